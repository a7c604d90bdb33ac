// Command growth prints each capacity append picks while ints are appended
// one at a time: doubling below 256 elements, then a factor that shrinks
// toward 1.25x as the slice grows, rounded up to the allocator's size
// classes. The exact numbers depend on the Go version and the element size
// (8-byte int here: linux/amd64).
//
//	go run ./slices/cmd/growth
package main

import "fmt"

// ANCHOR: growth
func main() {
	var s []int
	prev := 0
	for i := 1; i <= 2000; i++ {
		s = append(s, i)
		if cap(s) == prev {
			continue // appended in place
		}
		if prev == 0 {
			fmt.Printf("len %4d  cap %4d\n", len(s), cap(s))
		} else {
			fmt.Printf("len %4d  cap %4d  x%.2f\n", len(s), cap(s), float64(cap(s))/float64(prev))
		}
		prev = cap(s)
	}
}

// ANCHOR_END: growth
