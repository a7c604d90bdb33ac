// Command longlived is leak/cmd/longlived with the chapter-2 job: the same
// six batches, three of them failing, and nothing left behind.
//
//	go run ./close/cmd/longlived
package main

import (
	"fmt"

	closing "example.com/workbook/close"
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
		_, err := closing.RunJob(leak.NewSource(4, bad))

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
