package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The book's claims, checked on their own so that -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/copies.out", []byte(out))
}

var claims = []string{
	"  struct{X, Y int}  16\n",
	"  [4]int            32\n",
	"  []int             24\n",
	"  map[string]int    8\n",
	"  chan int          8\n",
	"  func()            8\n",
	"  any               16\n",
	"  *Point            8\n",
	"struct:  {1 2} {100 2}\n",
	"array:   [1 2 3] [100 2 3]\n",
	"slice:   [100 2 3] [100 2 3]\n",
	"map:     map[a:100] map[a:100]\n",
	"pointer: {100 2} {100 2}\n",
	"any:     {1 2} {7 2}\n",
}
