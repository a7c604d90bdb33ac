package closing

import (
	"errors"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"
	"example.com/workbook/leak"
)

// TestMain checks with goleak that the package leaks nothing. The one test
// that hangs a job on purpose runs in a child process (leaktest.Isolated).
func TestMain(m *testing.M) { leaktest.Main(m) }

// call runs one job under leaktest.Returns, so that a job that deadlocks
// fails the test instead of hanging it.
func call(t *testing.T, name string, job func(leak.Source) (int, error), src leak.Source) (total int, err error) {
	t.Helper()
	leaktest.Returns(t, name, func() { total, err = job(src) })
	return total, err
}

func TestRunJobTotalsACleanBatch(t *testing.T) {
	if got, err := call(t, "RunJob", RunJob, leak.NewSource(2, -1)); err != nil || got != 72 {
		t.Errorf("RunJob on a clean batch = %d, %v; want 72, nil", got, err)
	}
}

func TestRunJobLeaksNothingWhenAReadFails(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	before, _ := goroutines.Settle()
	for range 10 {
		if _, err := call(t, "RunJob", RunJob, leak.NewSource(2, 7)); !errors.Is(err, leak.ErrCorrupt) {
			t.Fatalf("RunJob with record 7 corrupt returned %v; want ErrCorrupt", err)
		}
	}
	if after, _ := goroutines.Settle(); after != before {
		t.Errorf("runtime.NumGoroutine: %d before 10 failed runs of RunJob, %d after; want no change", before, after)
	}
}

func TestDeferredCloseRepairsTheErrorPath(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	if _, err := call(t, "RunJobDeferredClose", RunJobDeferredClose, leak.NewSource(2, 7)); !errors.Is(err, leak.ErrCorrupt) {
		t.Fatalf("RunJobDeferredClose with record 7 corrupt returned %v; want ErrCorrupt", err)
	}
}

// The one-line fix deadlocks on a clean batch. This needs no timeout: once
// every goroutine is parked (goroutines.Settle) and none is waiting on a
// timer, nothing can ever wake them, so "not returned yet" means "never".
func TestDeferredCloseHangsOnACleanBatch(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	snapshot := goleak.IgnoreCurrent()
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunJobDeferredClose(leak.NewSource(2, -1))
	}()

	if _, settled := goroutines.Settle(); !settled {
		t.Fatal("goroutines did not settle")
	}
	select {
	case <-done:
		t.Fatal("RunJobDeferredClose returned on a clean batch; the book says it deadlocks")
	default:
	}
	leaked := leaktest.Leaked(snapshot)
	coordinator := leaktest.Count(leaked, "semacquire", "close.RunJobDeferredClose(")
	// Stack traces name the import path (close), not the package (closing).
	consumer := leaktest.Count(leaked, "chan receive", "close.consume(")
	t.Logf("goleak: %d goroutines stuck: coordinator in Wait: %d, consumer in range: %d", len(leaked), coordinator, consumer)
	if len(leaked) != 2 || coordinator != 1 || consumer != 1 {
		t.Errorf("want exactly the coordinator blocked in consumers.Wait and the consumer blocked in its range loop; goleak found:\n%s", leaktest.Dump(leaked))
	}
}
