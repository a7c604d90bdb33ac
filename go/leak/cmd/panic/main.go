// Command panic runs the fixed job on a batch whose record 7 makes the
// reader panic. errgroup (golang.org/x/sync v0.1.0) does not recover panics
// in its goroutines, and a panic that no deferred recover stops ends the
// whole program: main never sees an error, the process prints the panic on
// standard error and exits with status 2.
//
//	go run ./leak/cmd/panic
package main

import (
	"fmt"

	"example.com/workbook/leak"
)

// ANCHOR: panic
func main() {
	defer fmt.Println("main: deferred call") // never printed: main does not return
	fmt.Println("running the job; reading record 7 panics")
	total, err := leak.RunJobFixed(panicOnSeven)
	fmt.Println("job returned:", total, err) // never printed
}

// ANCHOR_END: panic

// slow stands for a slow disk: records 0 to 5 are still being read when
// record 7 panics, so the job cannot return first and what the program
// prints does not depend on scheduling. Nothing closes it.
var slow = make(chan struct{})

// panicOnSeven is a Source whose decoder has a bug that record 7 triggers.
func panicOnSeven(id int) (leak.Record, error) {
	switch {
	case id == 7:
		var header map[string]int // never initialised
		header["version"] = id    // panics: assignment to entry in nil map
	case id < 6:
		<-slow
	}
	return leak.Record{id}, nil
}
