package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/rangecopy.out", []byte(out))
}

var claims = []string{
	"range copy:  [{pen 1} {ink 2}]\n",
	"by index:    [{pen 2} {ink 3}]\n",
	"store back:  {pen 2}\n",
	"pointers:    {pen 2}\n",
}
