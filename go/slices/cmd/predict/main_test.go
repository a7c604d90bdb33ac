package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The answers of exercise slice_predict, checked on their own so that
	// -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/predict.out", []byte(out))
}

var claims = []string{
	"-- puzzle 1\n[0 2 3] 3 3\n",
	"-- puzzle 2\n[0 0 0 2] [0 0 0 2]\n",
	"-- puzzle 3\n[1 2 3 99 5] [2 3 99] 3 4\n",
	"-- puzzle 4\n[1 2 3 4 5] [0 3 99] 3 4\n",
	"-- puzzle 5\n4 6\n7 12\n",
}
