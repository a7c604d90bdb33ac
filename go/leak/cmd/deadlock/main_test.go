package main

import (
	"regexp"
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

// The tests run the program in a child process (leaktest.Run): it must die.
func TestMain(m *testing.M) { leaktest.ProgramMain(m, main) }

// The claim of chapter 1: the runtime reports a deadlock when every
// goroutine is blocked, main included. (leak/cmd/oneshot leaks the same
// consumer, but main returns: exit status 0, nothing reported.)
func TestTheRuntimeReportsADeadlockWhenMainBlocksToo(t *testing.T) {
	exit := leaktest.Run(t)
	t.Logf("the program exited with status %d; it printed:\n%s", exit.Code, exit.Stdout+exit.Stderr)
	if exit.Code != 2 {
		t.Errorf("exit status %d, want 2 (a fatal error)", exit.Code)
	}
	if want := "fatal error: all goroutines are asleep - deadlock!\n"; !strings.HasPrefix(exit.Stderr, want) {
		t.Errorf("standard error should start with %q", want)
	}
	// Who is blocked where: main in the job's consumers.Wait, the consumer
	// in its range loop, and no one else.
	transcript := exit.Transcript()
	for _, blocked := range []*regexp.Regexp{
		regexp.MustCompile(`\ngoroutine 1 \[semacquire\]:\n(?:.+\n)*?example\.com/workbook/leak\.RunJobWaitsOnError\(\.\.\.\)\nmain\.main\(\)\n\n`),
		regexp.MustCompile(`\ngoroutine N \[chan receive\]:\nexample\.com/workbook/leak\.RunJobWaitsOnError\.func2\(\)\n`),
	} {
		if !blocked.MatchString(transcript) {
			t.Errorf("the stack traces should list a goroutine matching %s", blocked)
		}
	}
	if n := strings.Count(transcript, "\ngoroutine "); n != 2 {
		t.Errorf("the stack traces list %d goroutines, want 2 (main and the consumer)", n)
	}
	if want := "running the job; record 7 is corrupt\n"; exit.Stdout != want {
		t.Errorf("standard output is %q, want only %q", exit.Stdout, want)
	}
	golden.Check(t, "../../testdata/deadlock.out", []byte(transcript))
}
