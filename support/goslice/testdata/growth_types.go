// Command growth_types measures the capacities Go's append picks for several
// element types, and the capacity of slices.Clone, so that goslice's model of
// growslice can be tested against the real runtime
// (support/goslice/tests/agrees_with_go.rs). It is test data for the model,
// not a listing of the book.
//
//	go run growth_types.go > growth_types.out
package main

import (
	"fmt"
	"slices"
)

// growth appends zero values one at a time up to n elements and prints every
// new capacity.
func growth[T any](name string, n int) {
	var s []T
	var zero T
	prev := -1
	fmt.Print(name, ":")
	for i := 0; i < n; i++ {
		s = append(s, zero)
		if cap(s) != prev {
			fmt.Print(" ", cap(s))
			prev = cap(s)
		}
	}
	fmt.Println()
}

func main() {
	growth[int]("int", 100000)
	growth[int32]("int32", 100000)
	growth[byte]("byte", 100000)
	growth[string]("string", 100000)

	fmt.Print("clone:")
	for n := 0; n <= 20; n++ {
		fmt.Print(" ", cap(slices.Clone(make([]int, n))))
	}
	fmt.Println()

	fmt.Print("append5:")
	for n := 0; n <= 20; n++ {
		s := make([]int, n)
		fmt.Print(" ", cap(append(s, 1, 2, 3, 4, 5)))
	}
	fmt.Println()
}
