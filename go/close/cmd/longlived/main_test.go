package main

import (
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := golden.Stdout(t, main)
	if !strings.HasSuffix(string(out), "goroutines left behind so far: 0\n") {
		t.Errorf("RunJob should leave nothing behind, even after failed batches; the program printed:\n%s", out)
	}
	golden.Check(t, "../../testdata/longlived.out", out)
}
