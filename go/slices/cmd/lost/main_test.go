package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/lost.out", []byte(out))
}

var claims = []string{
	"nil slice:   0 0 []\n",
	"spare room:  0 4 []\n",
	"roomy[:2]:   [go rust]\n",
}
