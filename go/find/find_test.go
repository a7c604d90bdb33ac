package find

import (
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	_ "example.com/workbook/internal/golden" // accepts -update, like every test binary here
	"example.com/workbook/internal/leaktest"
	"example.com/workbook/leak"
	"go.uber.org/goleak"
)

// Tests that leak on purpose run in a child process (leaktest.Isolated), so
// that their leftovers cannot fail the goleak check of another test.
func TestMain(m *testing.M) { leaktest.Main(m) }

// ANCHOR: verify_none
func TestFixedJobLeavesNoGoroutine(t *testing.T) {
	defer goleak.VerifyNone(t) // after the test: any goroutine left is a failure

	if _, err := leak.RunJobFixed(leak.NewSource(4, 7)); err == nil {
		t.Fatal("record 7 is corrupt: want an error")
	}
}

// ANCHOR_END: verify_none

// TestGoleakWaitsForAGoroutineAboutToExit: a goroutine still running when
// the test ends, but about to return, is not reported. goleak v1.2.0 looks
// up to 21 times, sleeping 1 µs, 2 µs, 4 µs, ... (doubling, at most 100 ms)
// between looks, about 0.43 s in all, before it calls a goroutine leaked.
// The goroutine here ends 20 ms after the first look, well inside that window.
func TestGoleakWaitsForAGoroutineAboutToExit(t *testing.T) {
	go time.Sleep(20 * time.Millisecond)
	if err := goleak.Find(); err != nil {
		t.Errorf("goleak reported a goroutine that ends 20 ms later:\n%v", err)
	}
}

// TestGoleakReportsAGoroutineStillBlockedAfterItsRetries: one blocked until
// after goleak has finished looking is reported, in its state.
func TestGoleakReportsAGoroutineStillBlockedAfterItsRetries(t *testing.T) {
	release := make(chan struct{})
	go func() { <-release }()
	err := goleak.Find()
	close(release)
	if err == nil || !strings.Contains(err.Error(), "in state chan receive") {
		t.Errorf("goleak.Find() = %v; want a goroutine in state chan receive", err)
	}
}

// TestIgnoreCurrentForgivesWhatRanBefore: IgnoreCurrent snapshots the
// goroutines alive when the option is built, so a test can check only what
// it starts itself. The leaky job runs first; the check after the fixed job
// passes.
func TestIgnoreCurrentForgivesWhatRanBefore(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	leak.RunJobLeaky(leak.NewSource(4, 7)) // leaks one consumer
	ignoreOlder := goleak.IgnoreCurrent()
	leak.RunJobFixed(leak.NewSource(4, 7))
	if err := goleak.Find(ignoreOlder); err != nil {
		t.Errorf("with IgnoreCurrent, goleak still reported:\n%v", err)
	}
	if err := goleak.Find(); err == nil {
		t.Error("without IgnoreCurrent, goleak should report the leaky job's consumer")
	}
}

// TestVerifyNoneSeesTheGoroutinesOfAParallelTest: goleak keeps no snapshot
// and looks at every goroutine of the process, so a check in one parallel
// test reports the goroutines of another test running at the same time.
// Test "busy" keeps a goroutine blocked until test "checks" has finished
// looking; goleak.Find (what VerifyNone calls) reports it, although "checks"
// itself started nothing.
func TestVerifyNoneSeesTheGoroutinesOfAParallelTest(t *testing.T) {
	started, checked := make(chan struct{}), make(chan struct{})
	var report error
	t.Run("group", func(t *testing.T) {
		t.Run("busy", func(t *testing.T) {
			t.Parallel()
			release := make(chan struct{})
			go func() { <-release }()
			close(started)
			<-checked
			close(release)
		})
		t.Run("checks", func(t *testing.T) {
			t.Parallel()
			<-started
			report = goleak.Find()
			close(checked)
		})
	})
	if report == nil || !strings.Contains(report.Error(), "TestVerifyNoneSeesTheGoroutinesOfAParallelTest") {
		t.Errorf("goleak.Find() in a parallel test = %v; want the other test's goroutines", report)
	}
}

// TestGo123HasNoGoroutineLeakProfile: Go 1.26 added a "goroutineleak"
// profile as an experiment (GOEXPERIMENT=goroutineleakprofile), and Go 1.27
// made it generally available. The workbook's Go 1.23 does not know that
// name.
func TestGo123HasNoGoroutineLeakProfile(t *testing.T) {
	if p := pprof.Lookup("goroutineleak"); p != nil {
		t.Errorf("pprof.Lookup(\"goroutineleak\") = %v; Go 1.23 has no such profile", p.Name())
	}
	if pprof.Lookup("goroutine") == nil {
		t.Error("the goroutine profile should exist")
	}
}
