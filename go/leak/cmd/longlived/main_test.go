package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := golden.Stdout(t, main)
	// Three of the six batches fail: one goroutine left behind per failure.
	if !strings.HasSuffix(string(out), "goroutines left behind so far: 3\n") {
		t.Errorf("six batches, three failed, should leave three goroutines behind; the program printed:\n%s", out)
	}
	golden.Check(t, "../../testdata/longlived.out", out)
}
