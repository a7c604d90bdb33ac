package leak

import (
	"errors"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
)

// TestMain checks with goleak that the package leaks nothing. The one test
// that leaks on purpose runs in a child process (see leaktest.Isolated).
func TestMain(m *testing.M) { leaktest.Main(m) }

const runs = 10

var jobs = []struct {
	name string
	run  func(Source) (int, error)
}{
	{"RunJobLeaky", RunJobLeaky},
	{"RunJobFixed", RunJobFixed},
}

// call runs one job under leaktest.Returns, so that a job that deadlocks
// fails the test instead of hanging it.
func call(t *testing.T, name string, job func(Source) (int, error), src Source) (total int, err error) {
	t.Helper()
	leaktest.Returns(t, name, func() { total, err = job(src) })
	return total, err
}

func TestBothJobsTotalACleanBatch(t *testing.T) {
	// Records 0..8, two values each: 2*(0+1+...+8) = 72.
	for _, job := range jobs {
		got, err := call(t, job.name, job.run, NewSource(2, -1))
		if err != nil || got != 72 {
			t.Errorf("%s on a clean batch = %d, %v; want 72, nil", job.name, got, err)
		}
	}
}

func TestBothJobsReturnTheReadError(t *testing.T) {
	for _, job := range jobs {
		if job.name == "RunJobLeaky" {
			continue // it leaks: covered by the isolated test below
		}
		if _, err := call(t, job.name, job.run, NewSource(2, 7)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s with record 7 corrupt returned %v; want an error wrapping ErrCorrupt", job.name, err)
		}
	}
}

// The bug hides on the happy path: a clean batch closes the channel.
func TestLeakyJobLeaksNothingWhenNoReadFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	before, _ := goroutines.Settle()
	for range runs {
		if _, err := call(t, "RunJobLeaky", RunJobLeaky, NewSource(2, -1)); err != nil {
			t.Fatal(err)
		}
	}
	if after, _ := goroutines.Settle(); after != before {
		t.Errorf("goroutines: %d before %d clean runs of RunJobLeaky, %d after; want no change", before, runs, after)
	}
}

// The claim of chapter 1: each failed run leaves exactly one goroutine
// behind, the consumer, blocked forever in its range loop.
func TestLeakyJobLeaksOneGoroutinePerFailedRun(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	before, _ := goroutines.Settle()
	snapshot := goleak.IgnoreCurrent()

	for range runs {
		if _, err := call(t, "RunJobLeaky", RunJobLeaky, NewSource(2, 7)); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("RunJobLeaky with record 7 corrupt returned %v; want ErrCorrupt", err)
		}
	}

	after, settled := goroutines.Settle()
	if after-before != runs || !settled {
		t.Errorf("runtime.NumGoroutine: %d before %d failed runs of RunJobLeaky, %d after (settled: %v); want exactly one more per failed run (+%d)",
			before, runs, after, settled, runs)
	}
	leaked := leaktest.Leaked(snapshot)
	consumers := leaktest.Count(leaked, "chan receive", "leak.RunJobLeaky.func")
	t.Logf("NumGoroutine %d -> %d after %d failed runs; goleak: %d new goroutines, %d of them RunJobLeaky's consumer in chan receive",
		before, after, runs, len(leaked), consumers)
	if len(leaked) != runs || consumers != runs {
		t.Errorf("goleak found %d new goroutines, %d of them RunJobLeaky's consumer blocked in chan receive; want %d and %d:\n%s",
			len(leaked), consumers, runs, runs, leaktest.Dump(leaked))
	}
}

func TestFixedJobLeaksNothingWhenAReadFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	before, _ := goroutines.Settle()
	for range runs {
		if _, err := call(t, "RunJobFixed", RunJobFixed, NewSource(2, 7)); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("RunJobFixed with record 7 corrupt returned %v; want ErrCorrupt", err)
		}
	}
	if after, _ := goroutines.Settle(); after != before {
		t.Errorf("runtime.NumGoroutine: %d before %d failed runs of RunJobFixed, %d after; want no change", before, runs, after)
	}
}

// ANCHOR: goleak
func TestFixedJobLeaksNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t) // fails the test if a goroutine is left at the end
	RunJobFixed(NewSource(2, 7))
}

// ANCHOR_END: goleak

// The same two lines around RunJobLeaky fail: goleak reports the consumer
// blocked in chan receive (run in its own process, see leaktest.Isolated;
// leaktest.Leaked is what goleak.VerifyNone reports).
func TestGoleakCatchesTheLeakyJob(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	RunJobLeaky(NewSource(2, 7))
	leaked := leaktest.Leaked()
	if len(leaked) != 1 || leaktest.Count(leaked, "chan receive", "leak.RunJobLeaky.func2") != 1 {
		t.Errorf("goleak found %d goroutines; want RunJobLeaky's consumer in chan receive:\n%s", len(leaked), leaktest.Dump(leaked))
	}
}
