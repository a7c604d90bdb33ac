// A data race that happens only on one path: with "hit" two goroutines add
// to total without synchronisation; with "miss" only one goroutine runs.
// TestRaceDetectorReportsOnlyTheRaceThatRuns runs it with -race.
package main

import (
	"fmt"
	"os"
	"sync"
)

// ANCHOR: race
func main() {
	total := 0
	workers := 1
	if len(os.Args) > 1 && os.Args[1] == "hit" {
		workers = 2 // only now do two goroutines write total at once
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() { defer wg.Done(); total += w + 1 }() // unsynchronised write
	}
	wg.Wait()
	fmt.Println("total:", total)
}

// ANCHOR_END: race
