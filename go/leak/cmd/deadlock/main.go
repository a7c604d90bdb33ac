// Command deadlock runs the job once on a batch whose record 7 is corrupt,
// and waits for it, like oneshot; but this job (RunJobWaitsOnError) waits
// for its consumer on the error path, without closing the channel. Now
// every goroutine is blocked, main included, and the runtime says so: the
// program dies with "fatal error: all goroutines are asleep - deadlock!"
// and exit status 2. (oneshot leaks the same consumer, but main returns:
// no error, exit status 0.)
//
//	go run ./leak/cmd/deadlock
package main

import (
	"fmt"

	"example.com/workbook/leak"
)

// ANCHOR: deadlock
func main() {
	fmt.Println("running the job; record 7 is corrupt")
	_, err := leak.RunJobWaitsOnError(leak.NewSource(4, 7))
	fmt.Println("job failed:", err) // never printed: the job never returns
}

// ANCHOR_END: deadlock
