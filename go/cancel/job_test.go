package cancel

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"
	"example.com/workbook/leak"
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

// The half-fixes pass the happy path too: the bug is only on the failure path.
func TestHalfFixesStoreEveryRecordWhenNothingFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	for _, job := range []struct {
		name string
		run  func(context.Context, leak.Source, Sink) error
	}{{"RunJobConsumerOutsideGroup", RunJobConsumerOutsideGroup}, {"RunJobPlainSend", RunJobPlainSend}} {
		var c counter
		if err := returns(t, job.name, func() error { return job.run(context.Background(), leak.NewSource(1, -1), c.write) }); err != nil || c.n != 300 {
			t.Errorf("%s stored %d records, err %v; want 300, nil", job.name, c.n, err)
		}
	}
}

// Chapter 3: the producers' half of the fix alone. They select on
// ctx.Done(), but the consumer is not a function of the group, so its error
// cancels nothing: each failed run leaves the same four goroutines as
// RunJobStuck, the producers now waiting in select instead of chan send.
func TestConsumerOutsideTheGroupStillLeaks(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	before, _ := goroutines.Settle()
	snapshot := goleak.IgnoreCurrent()
	for range runs {
		if err := returns(t, "RunJobConsumerOutsideGroup", func() error {
			return RunJobConsumerOutsideGroup(context.Background(), leak.NewSource(1, -1), sinkDown)
		}); !errors.Is(err, errSinkDown) {
			t.Fatalf("RunJobConsumerOutsideGroup with the sink down returned %v; want the sink's error", err)
		}
	}
	after, settled := goroutines.Settle()
	if after-before != 4*runs || !settled {
		t.Errorf("runtime.NumGoroutine: %d before %d runs of RunJobConsumerOutsideGroup with the sink down, %d after (settled: %v); want exactly 4 more per run (+%d)",
			before, runs, after, settled, 4*runs)
	}
	leaked := leaktest.Leaked(snapshot)
	selecting := leaktest.Count(leaked, "select", "cancel.produceCtx.func")
	closers := leaktest.Count(leaked, "semacquire", "cancel.RunJobConsumerOutsideGroup.func")
	t.Logf("NumGoroutine %d -> %d after %d runs; goleak: %d new goroutines: %d producers in select, %d closers in Wait",
		before, after, runs, len(leaked), selecting, closers)
	if len(leaked) != 4*runs || selecting != 3*runs || closers != runs {
		t.Errorf("goleak found %d new goroutines, %d producers blocked in select and %d closers blocked in Wait; want %d, %d and %d:\n%s",
			len(leaked), selecting, closers, 4*runs, 3*runs, runs, leaktest.Dump(leaked))
	}
}

// Chapter 3: the consumer's half of the fix alone. Its error cancels ctx
// (errgroup does that when a function returns an error, and the consumer is
// gone), but plain sends do not look at ctx: the producers stay blocked in
// chan send, and g.Wait with them, so the caller never gets the error.
// Each run leaves five goroutines: three producers, the closer and the
// caller. Like TestDeferredCloseHangsOnACleanBatch, the jobs run in
// goroutines of their own and the test settles instead of waiting for them.
func TestPlainSendStillHangsAfterCancel(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	before, _ := goroutines.Settle()
	snapshot := goleak.IgnoreCurrent()
	returned := make(chan error, runs)
	for range runs {
		go func() { returned <- RunJobPlainSend(context.Background(), leak.NewSource(1, -1), sinkDown) }()
	}
	after, settled := goroutines.Settle()
	if n := len(returned); n != 0 {
		t.Fatalf("%d of %d runs of RunJobPlainSend with the sink down returned (first error: %v); the book says none does", n, runs, <-returned)
	}
	if after-before != 5*runs || !settled {
		t.Errorf("runtime.NumGoroutine: %d before %d runs of RunJobPlainSend with the sink down, %d after (settled: %v); want exactly 5 more per run (+%d)",
			before, runs, after, settled, 5*runs)
	}
	leaked := leaktest.Leaked(snapshot)
	senders := leaktest.Count(leaked, "chan send", "cancel.produce.func")
	closers := leaktest.Count(leaked, "semacquire", "cancel.RunJobPlainSend.func1")
	callers := leaktest.Count(leaked, "semacquire", "cancel.RunJobPlainSend(")
	consumers := leaktest.Count(leaked, "", "cancel.RunJobPlainSend.func2")
	t.Logf("NumGoroutine %d -> %d after %d runs; goleak: %d new goroutines: %d producers in chan send, %d closers in Wait, %d callers in Wait, %d consumers",
		before, after, runs, len(leaked), senders, closers, callers, consumers)
	if len(leaked) != 5*runs || senders != 3*runs || closers != runs || callers != runs || consumers != 0 {
		t.Errorf("goleak found %d new goroutines: %d producers blocked in chan send, %d closers and %d callers blocked in Wait, %d consumers; want %d: %d, %d, %d and no consumer:\n%s",
			len(leaked), senders, closers, callers, consumers, 5*runs, 3*runs, runs, runs, leaktest.Dump(leaked))
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

// The ctx-free fix: draining releases the producers, at the price of every
// read. It leaks nothing and reads all 300 records although the first
// write failed.
func TestDrainLeaksNothingButReadsEverything(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var reads atomic.Int64
	src := leak.NewSource(1, -1)
	counted := func(id int) (leak.Record, error) { reads.Add(1); return src(id) }
	if err := returns(t, "RunJobDrain", func() error { return RunJobDrain(counted, sinkDown) }); !errors.Is(err, errSinkDown) {
		t.Fatalf("RunJobDrain with the sink down returned %v; want the sink's error", err)
	}
	if n := reads.Load(); n != producers*perProducer {
		t.Errorf("RunJobDrain read %d records after the first write failed; want all %d", n, producers*perProducer)
	}
}

// ANCHOR: cancel_cause
// context.WithCancelCause (Go 1.20): ctx.Err() still says only Canceled,
// context.Cause says why.
func TestWithCancelCauseKeepsTheReason(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(errSinkDown) // the first cause wins; later calls change nothing
	cancel(errors.New("too late"))
	<-ctx.Done()
	if ctx.Err() != context.Canceled || context.Cause(ctx) != errSinkDown {
		t.Errorf("Err() = %v, Cause() = %v; want context.Canceled and the sink's error", ctx.Err(), context.Cause(ctx))
	}
}

// ANCHOR_END: cancel_cause

// go vet's lostcancel analyzer rejects a cancel function that is not called
// on every path (testdata/lostcancel.go); the message is testdata/lostcancel.out.
func TestVetReportsALostCancel(t *testing.T) {
	cmd := exec.Command("go", "vet", "./testdata/lostcancel.go")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet accepted testdata/lostcancel.go; it should report the lost cancel:\n%s", out)
	}
	if !strings.Contains(string(out), "lostcancel") && !strings.Contains(string(out), "the cancel function") {
		t.Errorf("go vet failed for another reason:\n%s", out)
	}
	golden.Check(t, "testdata/lostcancel.out", out)
}
