// This file is not compiled with the module (it is under testdata/):
// value_test.go type-checks it and expects the error in methodset.out.
package methodset

// ANCHOR: methodset
type Incrementer interface{ Inc() }

type PCounter struct{ hits int }

func (c *PCounter) Inc() { c.hits++ }

var _ Incrementer = &PCounter{} // fine: *PCounter has Inc
var _ Incrementer = PCounter{}  // compile error: PCounter's method set has no Inc

// ANCHOR_END: methodset
