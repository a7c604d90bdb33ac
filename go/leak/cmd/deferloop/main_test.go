package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// Every close comes after the loop, last deferred first.
	golden.Contains(t, out, []string{
		"open batch 2\nloop done\nclose batch 2\nclose batch 1\nclose batch 0\nprocess returned\n",
	})
	golden.Check(t, "../../testdata/deferloop.out", []byte(out))
}
