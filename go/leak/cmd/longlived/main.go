// Command longlived runs the leaky job the way a long-running service does:
// batch after batch in one process, every second batch with a corrupt
// record. Each failed batch leaves one more goroutine behind.
//
//	go run ./leak/cmd/longlived
package main

import (
	"fmt"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/leak"
)

// ANCHOR: longlived
func main() {
	start, _ := goroutines.Settle()
	for batch := 1; batch <= 6; batch++ {
		bad := -1 // no corrupt record
		if batch%2 == 0 {
			bad = 7
		}
		_, err := leak.RunJobLeaky(leak.NewSource(4, bad))

		now, _ := goroutines.Settle()
		fmt.Printf("batch %d: %-30v goroutines left behind so far: %d\n", batch, result(err), now-start)
	}
}

// ANCHOR_END: longlived

func result(err error) any {
	if err == nil {
		return "ok"
	}
	return err
}
