package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/loopvar.out", []byte(out))
}

var claims = []string{
	"go 1.22 and later: 0 1 2 \n",
	"go 1.21 and earlier: 3 3 3 \n",
}
