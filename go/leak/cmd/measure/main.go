// Command measure shows what the chapter-1 leak costs a long-running
// process. It runs RunJobFixed n times, then RunJobLeaky n times, each time
// on a batch whose record 7 is corrupt, and prints after selected numbers of
// jobs how many goroutines exist and how much heap and stack memory is in
// use after a garbage collection.
//
// Each record is 1 KiB and a failed job has read seven of them, so a leaked
// consumer pins about 7 KiB of rows plus its own stack, the way each leaked
// consumer of the incident pinned the batch it was holding.
//
// leak/testdata/measure.txt was produced by
//
//	cd go && GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod go run ./leak/cmd/measure -n 1000 > leak/testdata/measure.txt
//
// Its memory numbers depend on the machine and the Go version; its goroutine
// counts do not, and main_test.go checks those on a smaller run.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/leak"
)

const recordInts = 1024 / 8 // 1 KiB records (int is 8 bytes on 64-bit)

// checkpoints are the job counts after which a row is printed.
var checkpoints = []int{0, 10, 100, 250, 500, 1000, 2500, 5000, 10000}

type row struct {
	jobs, goroutines  int
	heapKiB, stackKiB uint64
}

func main() {
	n := flag.Int("n", 1000, "number of failing jobs to run with each variant")
	flag.Parse()

	fmt.Printf("# go run ./leak/cmd/measure -n %d\n", *n)
	fmt.Printf("# %s %s/%s, %d CPUs; memory in KiB after runtime.GC()\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	// The fixed job goes first: it leaves nothing behind, so both tables
	// start from the same state.
	for _, v := range []struct {
		name string
		job  func(leak.Source) (int, error)
	}{
		{"RunJobFixed", leak.RunJobFixed},
		{"RunJobLeaky", leak.RunJobLeaky},
	} {
		rows, err := measure(v.job, *n)
		if err != nil {
			fmt.Fprintln(os.Stderr, v.name+":", err)
			os.Exit(1)
		}
		fmt.Println()
		printTable(os.Stdout, v.name, rows)
	}
}

// measure runs job n times on a batch with a corrupt record and samples
// the process at each checkpoint up to n (and at n itself).
func measure(job func(leak.Source) (int, error), n int) ([]row, error) {
	var rows []row
	for done := 0; ; done++ {
		if isCheckpoint(done, n) {
			rows = append(rows, sample(done))
		}
		if done == n {
			return rows, nil
		}
		if _, err := job(leak.NewSource(recordInts, 7)); !errors.Is(err, leak.ErrCorrupt) {
			return nil, fmt.Errorf("job %d returned %v, want a corrupt-record error", done+1, err)
		}
	}
}

func isCheckpoint(done, n int) bool {
	if done == n {
		return true
	}
	for _, c := range checkpoints {
		if c == done {
			return true
		}
	}
	return false
}

// ANCHOR: sample
// sample is one row of the table: the goroutine count once every goroutine
// is parked, and heap and stack in use after a full garbage collection, so
// that only memory something still references is counted.
func sample(jobs int) row {
	runtime.GC()
	g, _ := goroutines.Settle() // exact: nothing is about to exit
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return row{jobs: jobs, goroutines: g, heapKiB: ms.HeapInuse / 1024, stackKiB: ms.StackInuse / 1024}
}

// ANCHOR_END: sample

func printTable(w io.Writer, name string, rows []row) {
	fmt.Fprintln(w, name)
	fmt.Fprintf(w, "%6s %11s %15s %16s\n", "jobs", "goroutines", "HeapInuse KiB", "StackInuse KiB")
	for _, r := range rows {
		fmt.Fprintf(w, "%6d %11d %15d %16d\n", r.jobs, r.goroutines, r.heapKiB, r.stackKiB)
	}
	first, last := rows[0], rows[len(rows)-1]
	if last.jobs > 0 {
		fmt.Fprintf(w, "per job: %+.1f goroutines, %+.1f KiB heap, %+.1f KiB stack\n",
			float64(last.goroutines-first.goroutines)/float64(last.jobs),
			(float64(last.heapKiB)-float64(first.heapKiB))/float64(last.jobs),
			(float64(last.stackKiB)-float64(first.stackKiB))/float64(last.jobs))
	}
}
