package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/alias.out", []byte(out))
}

var claims = []string{
	"b: [1 2 3 5] c: [1 2 3 5]\n",
	"b and c share one array: true\n",
	"d: [1 2 3 4] e: [1 2 3 5]\n",
	"d and e share one array: false\n",
}
