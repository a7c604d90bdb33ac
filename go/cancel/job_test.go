package cancel

import (
	"context"
	"errors"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"
	"example.com/workbook/leak"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
)

// TestMain checks with goleak that the package leaks nothing. The one test
// that leaks on purpose runs in a child process (see leaktest.Isolated).
func TestMain(m *testing.M) { leaktest.Main(m) }

var errSinkDown = errors.New("sink unavailable")

func sinkDown(leak.Record) error { return errSinkDown }

// counter is a working sink that counts what it stored.
type counter struct{ n int }

func (c *counter) write(leak.Record) error { c.n++; return nil }

const runs = 5

// returns runs job under leaktest.Returns, so that a job that deadlocks
// fails the test instead of hanging it.
func returns(t *testing.T, name string, job func() error) (err error) {
	t.Helper()
	leaktest.Returns(t, name, func() { err = job() })
	return err
}

func TestBothJobsStoreEveryRecordWhenNothingFails(t *testing.T) {
	var stuck, fixed counter
	if err := returns(t, "RunJobStuck", func() error { return RunJobStuck(leak.NewSource(1, -1), stuck.write) }); err != nil || stuck.n != 300 {
		t.Errorf("RunJobStuck stored %d records, err %v; want 300, nil", stuck.n, err)
	}
	if err := returns(t, "RunJob", func() error { return RunJob(context.Background(), leak.NewSource(1, -1), fixed.write) }); err != nil || fixed.n != 300 {
		t.Errorf("RunJob stored %d records, err %v; want 300, nil", fixed.n, err)
	}
}

// The claim of chapter 3: each run whose consumer fails leaves four
// goroutines behind: the three producers, blocked on a send, and the
// goroutine that would close records, blocked in readers.Wait.
func TestStuckJobLeaksFourGoroutinesPerFailedWrite(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	before, _ := goroutines.Settle()
	snapshot := goleak.IgnoreCurrent()
	for range runs {
		if err := returns(t, "RunJobStuck", func() error { return RunJobStuck(leak.NewSource(1, -1), sinkDown) }); !errors.Is(err, errSinkDown) {
			t.Fatalf("RunJobStuck with the sink down returned %v; want the sink's error", err)
		}
	}
	after, settled := goroutines.Settle()
	if after-before != 4*runs || !settled {
		t.Errorf("runtime.NumGoroutine: %d before %d runs of RunJobStuck with the sink down, %d after (settled: %v); want exactly 4 more per run (+%d)",
			before, runs, after, settled, 4*runs)
	}
	leaked := leaktest.Leaked(snapshot)
	senders := leaktest.Count(leaked, "chan send", "cancel.produce.func")
	closers := leaktest.Count(leaked, "semacquire", "cancel.RunJobStuck.func")
	t.Logf("NumGoroutine %d -> %d after %d runs; goleak: %d new goroutines: %d producers in chan send, %d closers in Wait",
		before, after, runs, len(leaked), senders, closers)
	if len(leaked) != 4*runs || senders != 3*runs || closers != runs {
		t.Errorf("goleak found %d new goroutines, %d producers blocked in chan send and %d closers blocked in Wait; want %d, %d and %d:\n%s",
			len(leaked), senders, closers, 4*runs, 3*runs, runs, leaktest.Dump(leaked))
	}
}

func TestRunJobLeaksNothingWhenAWriteFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	before, _ := goroutines.Settle()
	for range runs {
		if err := returns(t, "RunJob", func() error { return RunJob(context.Background(), leak.NewSource(1, -1), sinkDown) }); !errors.Is(err, errSinkDown) {
			t.Fatalf("RunJob with the sink down returned %v; want the sink's error", err)
		}
	}
	if after, _ := goroutines.Settle(); after != before {
		t.Errorf("runtime.NumGoroutine: %d before %d runs of RunJob with the sink down, %d after; want no change", before, runs, after)
	}
}

func TestRunJobLeaksNothingWhenAReadFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var c counter
	if err := returns(t, "RunJob", func() error { return RunJob(context.Background(), leak.NewSource(1, 150), c.write) }); !errors.Is(err, leak.ErrCorrupt) {
		t.Fatalf("RunJob with record 150 corrupt returned %v; want ErrCorrupt", err)
	}
}

func TestRunJobStopsWhenTheCallerCancels(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(context.Background())
	var c counter
	write := func(r leak.Record) error {
		if c.n == 10 {
			cancel() // e.g. the service is shutting down
		}
		return c.write(r)
	}
	if err := returns(t, "RunJob", func() error { return RunJob(ctx, leak.NewSource(1, -1), write) }); !errors.Is(err, context.Canceled) {
		t.Fatalf("RunJob cancelled by its caller returned %v; want context.Canceled", err)
	}
}
