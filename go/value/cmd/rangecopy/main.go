// Command rangecopy shows that a range variable is a copy of the element,
// and the two ways to change the elements themselves: by index, or through
// pointers. For a map of structs, `m[k].n++` does not even compile (see
// value/testdata/mapfield.go); the program shows the two fixes.
//
//	go run ./value/cmd/rangecopy
package main

import "fmt"

// Item is a stock line.
type Item struct {
	Name string
	N    int
}

func main() {
	// ANCHOR: range_copy
	items := []Item{{"pen", 1}, {"ink", 2}}
	for _, it := range items {
		it.N++ // changes the copy in it
	}
	fmt.Println("range copy: ", items)

	for i := range items {
		items[i].N++ // changes the element
	}
	fmt.Println("by index:   ", items)
	// ANCHOR_END: range_copy

	// ANCHOR: map_fixes
	stock := map[string]Item{"pen": {"pen", 1}} // pair: map
	it := stock["pen"]                          // 1. copy out, change, store back // pair: change-in-map
	it.N++                                      // pair: change-in-map
	stock["pen"] = it                           // pair: change-in-map
	fmt.Println("store back: ", stock["pen"])

	ptrs := map[string]*Item{"pen": {"pen", 1}}
	ptrs["pen"].N++ // 2. the map holds pointers; the Item is shared // pair: change-in-map
	fmt.Println("pointers:   ", *ptrs["pen"])
	// ANCHOR_END: map_fixes
}
