package main

import (
	"testing"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

// The program runs in a child process, where it is the whole process, as
// with `go run`: goleak then sees exactly main and the leaked consumer.
func TestMain(m *testing.M) { leaktest.ProgramMain(m, main) }

// TestGoleakNamesTheBlockedConsumer: after one failed job goleak reports one
// goroutine, RunJobLeaky's consumer closure, blocked in chan receive, and the
// line where RunJobLeaky started it.
func TestGoleakNamesTheBlockedConsumer(t *testing.T) {
	exit := leaktest.Run(t)
	if exit.Code != 0 || exit.Stderr != "" {
		t.Fatalf("exit status %d, standard error %q; want 0 and nothing", exit.Code, exit.Stderr)
	}
	golden.Contains(t, exit.Stdout, []string{
		"found unexpected goroutines:\n",
		"[Goroutine N in state chan receive, with example.com/workbook/leak.RunJobLeaky.func2 on top of the stack:\n",
		"created by golang.org/x/sync/errgroup.(*Group).Go in goroutine N\n",
	})
	golden.Check(t, "../../testdata/goleakreport.out", []byte(exit.Stdout))
}
