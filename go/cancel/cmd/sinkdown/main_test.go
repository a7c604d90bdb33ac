package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	for _, claim := range []string{
		"RunJobStuck: sink unavailable; goroutines left behind: 4\n",
		"RunJob:      sink unavailable; goroutines left behind: 0\n",
	} {
		if !strings.Contains(out, claim) {
			t.Errorf("missing %q; the program printed:\n%s", claim, out)
		}
	}
	golden.Check(t, "../../testdata/sinkdown.out", []byte(out))
}
