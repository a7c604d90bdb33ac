// Command clip shows the slices package's two capacity tools, and what a
// small sub-slice costs: the whole array it points into.
//
//	go run ./slices/cmd/clip
package main

import (
	"fmt"
	"runtime"
	"slices"
)

func main() {
	// ANCHOR: clip
	a := make([]int, 3, 10) // 7 spare slots: appends would share them
	b := append(slices.Clip(a), 4)
	c := append(slices.Clip(a), 5) // Clip: cap = len, so each append copies
	fmt.Println("b:", b, "c:", c, "share one array:", &b[0] == &c[0])

	g := slices.Grow([]int{1, 2, 3}, 100) // room for 100 more, one allocation
	fmt.Println("after Grow(s, 100): len", len(g), "cap", cap(g))
	// ANCHOR_END: clip

	// ANCHOR: pin
	head := firstBytes(make([]byte, 64<<20)) // 16 bytes of a 64 MiB batch
	fmt.Println("a 16-byte sub-slice keeps alive:", liveMiB(), "MiB")
	runtime.KeepAlive(head)

	head = slices.Clone(firstBytes(make([]byte, 64<<20)))
	fmt.Println("a 16-byte clone keeps alive:    ", liveMiB(), "MiB")
	runtime.KeepAlive(head)
	// ANCHOR_END: pin
}

// ANCHOR: first_bytes
// firstBytes returns a view of its argument's array: as long as the view
// lives, the whole array does.
func firstBytes(batch []byte) []byte { return batch[:16] }

// ANCHOR_END: first_bytes

// liveMiB collects the garbage and returns the live heap, to the nearest MiB.
func liveMiB() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return (m.HeapAlloc + 1<<19) >> 20
}
