package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/fixes.out", []byte(out))
}

var claims = []string{
	"tags: [go rust]\n",
	"full slice expression: [1 2 3 4] [1 2 3 5] shared: false\n",
	"[1 2 3 4] [1 2 3 5] shared: false\n",
	"a is untouched:        [1 2 3]\n",
}
