// Command sinkdown runs both chapter-3 jobs once with a sink that is down
// and prints how many goroutines each leaves behind.
//
//	go run ./cancel/cmd/sinkdown
package main

import (
	"context"
	"errors"
	"fmt"

	"example.com/workbook/cancel"
	"example.com/workbook/internal/goroutines"
	"example.com/workbook/leak"
)

var errSinkDown = errors.New("sink unavailable")

// ANCHOR: sinkdown
func main() {
	down := func(leak.Record) error { return errSinkDown }

	before, _ := goroutines.Settle()
	err := cancel.RunJobStuck(leak.NewSource(1, -1), down)
	after, _ := goroutines.Settle()
	fmt.Printf("RunJobStuck: %v; goroutines left behind: %d\n", err, after-before)

	before = after
	err = cancel.RunJob(context.Background(), leak.NewSource(1, -1), down)
	after, _ = goroutines.Settle()
	fmt.Printf("RunJob:      %v; goroutines left behind: %d\n", err, after-before)
}

// ANCHOR_END: sinkdown
