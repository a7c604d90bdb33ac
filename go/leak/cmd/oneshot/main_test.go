package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

// TestExitsZeroAndHidesTheLeak runs the program in a child process
// (leaktest.Run), where it is the whole process, as with `go run`.
func TestMain(m *testing.M) { leaktest.ProgramMain(m, main) }

func TestOutput(t *testing.T) {
	out := golden.Stdout(t, main)
	// The claim, checked on its own so that -update cannot bless a change to it.
	if !strings.Contains(string(out), "goroutines left behind: 1\n") {
		t.Errorf("one failed run of RunJobLeaky should leave exactly one goroutine behind; the program printed:\n%s", out)
	}
	golden.Check(t, "../../testdata/oneshot.out", out)
}

// The other half of the deadlock claim (see leak/cmd/deadlock): the consumer
// is blocked forever, but main is not, so the runtime reports nothing; main
// returns and the process exits with status 0, the leak unnoticed.
func TestExitsZeroAndHidesTheLeak(t *testing.T) {
	exit := leaktest.Run(t)
	if exit.Code != 0 || exit.Stderr != "" {
		t.Errorf("exit status %d, standard error %q; want 0 and nothing", exit.Code, exit.Stderr)
	}
	if !strings.Contains(exit.Stdout, "goroutines left behind: 1\n") {
		t.Errorf("the program should still leave one goroutine behind; it printed:\n%s", exit.Stdout)
	}
	golden.Check(t, "../../testdata/oneshot.out", []byte(exit.Stdout))
}
