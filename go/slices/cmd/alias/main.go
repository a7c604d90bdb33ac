// Command alias shows two appends to the same slice writing the same
// array slot, because the slice had spare capacity.
//
//	go run ./slices/cmd/alias
package main

import "fmt"

func main() {
	// ANCHOR: alias
	a := []int{1, 2}
	a = append(a, 3) // grows to capacity 4: one spare slot nobody asked for // pair: grow
	fmt.Println("a:", a, "len", len(a), "cap", cap(a))

	b := append(a, 4)                                       // fits: writes a's array at index 3 // pair: b
	c := append(a, 5)                                       // fits too: writes the same slot // pair: c
	fmt.Println("b:", b, "c:", c)                           // pair: print
	fmt.Println("b and c share one array:", &b[0] == &c[0]) // pair: shared
	// ANCHOR_END: alias

	// ANCHOR: no_alias
	full := []int{1, 2, 3} // capacity 3: no spare slot
	d := append(full, 4)   // must grow: copies into a new array
	e := append(full, 5)   // another new array
	fmt.Println("d:", d, "e:", e)
	fmt.Println("d and e share one array:", &d[0] == &e[0])
	// ANCHOR_END: no_alias
}
