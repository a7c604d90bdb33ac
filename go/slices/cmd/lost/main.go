// Command lost shows an append that the caller never sees: Go passes the
// slice header (pointer, length, capacity) by value, so a helper that
// appends and does not return the result updates only its own copy.
//
//	go run ./slices/cmd/lost
package main

import (
	"fmt"
	"unsafe"
)

// ANCHOR: lost
// addTags appends to its own copy of the header and then drops it.
func addTags(tags []string, more ...string) {
	tags = append(tags, more...)
}

// ANCHOR_END: lost

func main() {
	// ANCHOR: lost_main
	var tags []string
	fmt.Println("a slice is passed as a header of", unsafe.Sizeof(tags), "bytes")

	addTags(tags, "go", "rust") // append allocates an array only the helper sees
	fmt.Println("nil slice:  ", len(tags), cap(tags), tags)

	roomy := make([]string, 0, 4)
	addTags(roomy, "go", "rust") // append writes into roomy's own array...
	fmt.Println("spare room: ", len(roomy), cap(roomy), roomy)
	fmt.Println("roomy[:2]:  ", roomy[:2]) // ...but roomy's length is still 0
	// ANCHOR_END: lost_main
}
