package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/growth.out", []byte(out))
}

var claims = []string{
	"len  257  cap  512  x2.00\n",
	"len  513  cap  848  x1.66\n",
}
