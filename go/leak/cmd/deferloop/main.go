// Command deferloop shows when a deferred call runs: when the surrounding
// function returns, not when the block or loop iteration that deferred it
// ends. Rust's drop is per block (listings/src/leak.rs, drop_per_block).
//
//	go run ./leak/cmd/deferloop
package main

import "fmt"

// ANCHOR: deferloop
func main() {
	process()
	fmt.Println("process returned")
}

func process() {
	for batch := range 3 {
		fmt.Println("open batch", batch)
		defer fmt.Println("close batch", batch) // runs when process returns
	}
	fmt.Println("loop done")
}

// ANCHOR_END: deferloop
