package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

// The tests run the program in a child process (leaktest.Run): it must crash.
func TestMain(m *testing.M) { leaktest.ProgramMain(m, main) }

// The claim of chapter 1: errgroup does not recover a panic in one of its
// goroutines, and a panic that no deferred recover stops ends the whole
// program, exit status 2, without main's deferred calls.
func TestAPanickingProducerEndsTheProgram(t *testing.T) {
	exit := leaktest.Run(t)
	t.Logf("the program exited with status %d; it printed:\n%s", exit.Code, exit.Stdout+exit.Stderr)
	if exit.Code != 2 {
		t.Errorf("exit status %d, want 2 (an unrecovered panic)", exit.Code)
	}
	if want := "panic: assignment to entry in nil map\n"; !strings.HasPrefix(exit.Stderr, want) {
		t.Errorf("standard error should start with %q", want)
	}
	if want := "created by golang.org/x/sync/errgroup.(*Group).Go in goroutine 1\n"; !strings.Contains(exit.Stderr, want) {
		t.Errorf("the panicking goroutine should be one that errgroup started (%q)", want)
	}
	// Neither "job returned" nor main's deferred call: main never got control back.
	if want := "running the job; reading record 7 panics\n"; exit.Stdout != want {
		t.Errorf("standard output is %q, want only %q", exit.Stdout, want)
	}
	golden.Check(t, "../../testdata/panic.out", []byte(exit.Transcript()))
}
