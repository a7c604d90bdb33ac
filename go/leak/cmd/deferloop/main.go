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
	for batch := range 3 { // pair: loop
		fmt.Println("open batch", batch)        // pair: open
		defer fmt.Println("close batch", batch) // runs when process returns // pair: close-batch
	}
	fmt.Println("loop done") // pair: loop-done
}

// ANCHOR_END: deferloop
