package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := golden.Stdout(t, main)
	// The claim, checked on its own so that -update cannot bless a change to it.
	if !strings.Contains(string(out), "goroutines left behind: 1\n") {
		t.Errorf("one failed run of RunJobLeaky should leave exactly one goroutine behind; the program printed:\n%s", out)
	}
	golden.Check(t, "../../testdata/oneshot.out", out)
}
