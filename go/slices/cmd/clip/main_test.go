package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/clip.out", []byte(out))
}

var claims = []string{
	"b: [0 0 0 4] c: [0 0 0 5] share one array: false\n",
	"after Grow(s, 100): len 3 cap ",
	"a 16-byte sub-slice keeps alive: 64 MiB\n",
	"a 16-byte clone keeps alive:     0 MiB\n",
}
