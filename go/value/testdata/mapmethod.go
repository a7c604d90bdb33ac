// This file is not compiled with the module (it is under testdata/):
// value_test.go type-checks it and expects the error in mapmethod.out.
package mapmethod

type PCounter struct {
	hits int
}

func (c *PCounter) Inc() {
	c.hits++
}

// ANCHOR: mapmethod
func bump(counters map[string]PCounter) {
	counters["a"].Inc() // compile error: Inc needs &counters["a"], which Go cannot take
}

// ANCHOR_END: mapmethod
