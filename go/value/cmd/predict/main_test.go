package main

import (
	"testing"

	"example.com/workbook/internal/golden"
)

func TestOutput(t *testing.T) {
	out := string(golden.Stdout(t, main))
	// The answers of exercise value_predict, checked on their own so that
	// -update cannot bless a change to them.
	golden.Contains(t, out, claims)
	golden.Check(t, "../../testdata/predict.out", []byte(out))
}

var claims = []string{
	"-- puzzle 1\n{a [9 2]} {b [9 2]}\n",
	"-- puzzle 2\n3\n",
	"-- puzzle 3\n3\n[1 2 10]\n",
	"-- puzzle 4\n{1 2} {5 2}\n",
	"-- puzzle 5\n[1 2 3] [0 2 3]\n",
}
