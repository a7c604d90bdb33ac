package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/receiver.out", []byte(out))
}

var claims = []string{
	"value receiver:   0\n",
	"pointer receiver: 2\n",
	"copy from a map:  1 0\n",
}
