// Command copies shows what an assignment copies in Go. Every assignment,
// argument, return value, range variable and receiver is a copy of a value;
// what the value is decides what the copy shares. A struct or an array is
// copied whole. A slice, map, channel, function, interface or pointer is a
// small descriptor, and its copy still refers to the same thing.
//
//	go run ./value/cmd/copies
package main

import (
	"fmt"
	"unsafe"
)

// Point is a plain struct: two ints, nothing behind them.
type Point struct{ X, Y int }

func main() {
	// ANCHOR: sizes
	fmt.Println("how many bytes an assignment copies (64-bit):")
	fmt.Println("  struct{X, Y int} ", unsafe.Sizeof(Point{}))             // pair: point
	fmt.Println("  [4]int           ", unsafe.Sizeof([4]int{}))            // pair: array
	fmt.Println("  []int            ", unsafe.Sizeof([]int(nil)))          // pair: slice
	fmt.Println("  map[string]int   ", unsafe.Sizeof(map[string]int(nil))) // pair: map
	fmt.Println("  chan int         ", unsafe.Sizeof((chan int)(nil)))
	fmt.Println("  func()           ", unsafe.Sizeof((func())(nil)))
	fmt.Println("  any              ", unsafe.Sizeof(any(nil)))
	fmt.Println("  *Point           ", unsafe.Sizeof((*Point)(nil))) // pair: pointer
	// ANCHOR_END: sizes

	// ANCHOR: copies
	p := Point{1, 2}
	q := p // copies both ints
	q.X = 100
	fmt.Println("struct: ", p, q)

	arr := [3]int{1, 2, 3}
	arr2 := arr // copies all three elements
	arr2[0] = 100
	fmt.Println("array:  ", arr, arr2)

	s := []int{1, 2, 3}
	s2 := s // copies the header; the array is shared
	s2[0] = 100
	fmt.Println("slice:  ", s, s2)

	m := map[string]int{"a": 1}
	m2 := m // copies a pointer to the map's table
	m2["a"] = 100
	fmt.Println("map:    ", m, m2)

	ptr := &Point{1, 2}
	ptr2 := ptr // copies the address
	ptr2.X = 100
	fmt.Println("pointer:", *ptr, *ptr2)

	var i any = p // the interface holds its own copy of p
	p.X = 7
	fmt.Println("any:    ", i, p)
	// ANCHOR_END: copies
}
