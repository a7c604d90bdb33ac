// Command oneshot runs the leaky job once and exits, like the batch program
// of the incident: the leak is there, and nothing notices.
//
//	go run ./leak/cmd/oneshot
package main

import (
	"fmt"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/leak"
)

// ANCHOR: oneshot
func main() {
	before, _ := goroutines.Settle()

	_, err := leak.RunJobLeaky(leak.NewSource(4, 7)) // record 7 is corrupt
	fmt.Println("job failed:", err)

	after, _ := goroutines.Settle()
	fmt.Println("goroutines left behind:", after-before)
	// main returns, the process exits, and the blocked consumer goes with
	// it: no error, no crash, exit status 0.
}

// ANCHOR_END: oneshot
