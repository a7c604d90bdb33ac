package closing

import (
	"errors"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"
)

func TestMergeTwoTurnsOffAClosedChannel(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	a, b := make(chan int), make(chan int)
	go func() { a <- 1; close(a); b <- 2; b <- 3; close(b) }()
	var got []int
	leaktest.Returns(t, "MergeTwo", func() { got = MergeTwo(a, b) })
	if want := []int{1, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("MergeTwo delivered %v, want %v (no zero values from the closed a)", got, want)
	}
}

// A receive from a nil channel blocks forever: the goroutine is parked in
// state "chan receive (nil chan)" and nothing can wake it.
func TestANilChannelBlocksForever(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	var ch chan int // nil
	go func() { <-ch }()
	goroutines.Settle()
	leaked := leaktest.Leaked()
	if len(leaked) != 1 || leaked[0].State != "chan receive (nil chan)" {
		t.Errorf("goleak found %d goroutines, want 1 in state chan receive (nil chan):\n%s", len(leaked), leaktest.Dump(leaked))
	}
}

// Go 1.22 gave each iteration of a for loop its own variable (go.mod says
// go 1.23), which the closures of `for p := range producers` rely on: each
// producer reads its own p.
func TestEachIterationHasItsOwnLoopVariable(t *testing.T) {
	var fs []func() int
	for p := range 3 {
		fs = append(fs, func() int { return p })
	}
	var got []int
	for _, f := range fs {
		got = append(got, f())
	}
	if want := []int{0, 1, 2}; !slices.Equal(got, want) {
		t.Errorf("closures saw %v, want %v (one variable per iteration)", got, want)
	}
	if want := []int{3, 3, 3}; !slices.Equal(sharedLoopVariable(), want) {
		t.Errorf("before Go 1.22 (loopvar_go121_test.go): closures saw %v, want %v", sharedLoopVariable(), want)
	}
}

// Go's race detector reports a data race when a run executes it, not before:
// the same program, built with -race, is silent on the path where one
// goroutine writes total and reports the race (exit status 66) on the path
// where two do. Rust rejects the shared write at compile time (Send/Sync;
// listings/src/close/rc_to_thread.rs). The first -race build of the
// standard library takes about 40 s on the 2-core machine; it is cached.
func TestRaceDetectorReportsOnlyTheRaceThatRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds the race runtime")
	}
	run := func(arg string) (string, int) {
		cmd := exec.Command("go", "run", "-race", "./testdata/race", arg)
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return string(out), exit.ExitCode()
		}
		if err != nil {
			t.Fatalf("go run -race: %v\n%s", err, out)
		}
		return string(out), 0
	}
	if out, code := run("miss"); code != 0 || strings.Contains(out, "DATA RACE") {
		t.Errorf("one writer: want no report and status 0, got status %d:\n%s", code, out)
	}
	if out, code := run("hit"); code != 1 || !strings.Contains(out, "WARNING: DATA RACE") || !strings.Contains(out, "exit status 66") {
		t.Errorf("two writers: want a DATA RACE report and go run's 'exit status 66', got status %d:\n%s", code, out)
	}
}
