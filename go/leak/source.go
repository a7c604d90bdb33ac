// Package leak holds the listings of chapter 1: an errgroup pipeline that
// leaks its consumer goroutine every time a producer fails.
package leak

import (
	"errors"
	"fmt"
)

// A Record is one row of a batch. In the incident the rows were large and
// the whole batch was kept in memory; NewSource decides how large they are.
type Record []int

// A Source reads record number id. It stands in for the job's storage.
type Source func(id int) (Record, error)

// ErrCorrupt is the read error of a record that cannot be decoded.
var ErrCorrupt = errors.New("corrupt record")

// NewSource returns a Source whose records hold size ints and whose record
// number bad fails to read with ErrCorrupt. bad < 0 gives a clean batch.
//
// The records are allocated by the closure, leak.NewSource.func1 in stack
// traces and profiles. NewSource is not inlined so that this name does not
// depend on the caller (inlined, its closure would be called after the
// caller, e.g. main.main.NewSource.func1).
//
//go:noinline
func NewSource(size, bad int) Source {
	return func(id int) (Record, error) {
		if id == bad {
			return nil, fmt.Errorf("read record %d: %w", id, ErrCorrupt)
		}
		r := make(Record, size)
		for i := range r {
			r[i] = id
		}
		return r, nil
	}
}

// sum totals every value of every row.
func sum(rows []Record) int {
	total := 0
	for _, r := range rows {
		for _, v := range r {
			total += v
		}
	}
	return total
}
