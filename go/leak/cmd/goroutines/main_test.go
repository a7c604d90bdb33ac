package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

// The program runs in a child process (leaktest.Run), where it is the whole
// process, as with `go run`: the profile's total is then exact.
func TestMain(m *testing.M) { leaktest.ProgramMain(m, main) }

// TestTheGoroutineProfileShowsOneConsumerPerFailedJob: after five failed
// jobs, the debug=1 profile groups five goroutines in the consumer closure,
// and debug=2 says each one waits in `chan receive`.
func TestTheGoroutineProfileShowsOneConsumerPerFailedJob(t *testing.T) {
	exit := leaktest.Run(t)
	if exit.Code != 0 || exit.Stderr != "" {
		t.Fatalf("exit status %d, standard error %q; want 0 and nothing", exit.Code, exit.Stderr)
	}
	for _, claim := range []string{
		"goroutine profile: total 6\n", // main and the five leaked consumers
		"5 @ ...\n#\texample.com/workbook/leak.RunJobLeaky.func2\n",
		"(debug=2): 5 × [chan receive]\n",
	} {
		if !strings.Contains(exit.Stdout, claim) {
			t.Errorf("the program should print %q; it printed:\n%s", claim, exit.Stdout)
		}
	}
	golden.Check(t, "../../testdata/goroutines.out", []byte(exit.Stdout))
}
