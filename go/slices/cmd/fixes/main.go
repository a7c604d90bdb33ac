// Command fixes shows four ways out of the two pitfalls: return the slice,
// pass a pointer to it, cap it with a full slice expression, or clone it.
//
//	go run ./slices/cmd/fixes
package main

import (
	"fmt"
	"slices"
)

// ANCHOR: fix_return
// addTags returns the new header, like append itself; the caller stores it.
func addTags(tags []string, more ...string) []string { // pair: signature
	return append(tags, more...) // pair: grow return
}

// ANCHOR_END: fix_return

// ANCHOR: fix_pointer
// addTagsTo appends through a pointer to the caller's header.
func addTagsTo(tags *[]string, more ...string) { // pair: borrow
	*tags = append(*tags, more...) // pair: grow
}

// ANCHOR_END: fix_pointer

func main() {
	// ANCHOR: fix_calls
	var tags []string
	tags = addTags(tags, "go")
	addTagsTo(&tags, "rust")
	fmt.Println("tags:", tags)
	// ANCHOR_END: fix_calls

	a := []int{1, 2}
	a = append(a, 3) // len 3, cap 4, as in the alias program

	// ANCHOR: fix_full_slice
	// a[low:high:max] sets the capacity to max-low: no spare slot, so
	// append has to copy.
	b := append(a[:len(a):len(a)], 4)
	c := append(a[:len(a):len(a)], 5)
	fmt.Println("full slice expression:", b, c, "shared:", &b[0] == &c[0])
	// ANCHOR_END: fix_full_slice

	// ANCHOR: fix_clone
	// slices.Clone copies into a new array; whatever spare room it has
	// belongs to the clone alone.
	d := append(slices.Clone(a), 4)
	e := append(slices.Clone(a), 5)
	fmt.Println("slices.Clone:         ", d, e, "shared:", &d[0] == &e[0])
	// ANCHOR_END: fix_clone

	fmt.Println("a is untouched:       ", a)
}
