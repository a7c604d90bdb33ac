// Command profile shows why the incident's flame graph pointed at a
// function that had already returned. It runs the leaky job 20 times, each
// on a batch whose record 7 is corrupt (records of 1024 ints, 8 KiB), takes
// a heap profile, as a profiler would, and prints the live memory
// (inuse_space) that the profile charges to two functions: the read that
// allocated the records, and the consumer that keeps them alive. Next to
// each, how many goroutines are running it now.
//
//	go run ./leak/cmd/profile
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/profile"
	"example.com/workbook/leak"
)

const (
	jobs       = 20
	recordSize = 1024 // ints: 8 KiB
	pkg        = "example.com/workbook/leak."
)

// The two functions the chapter talks about.
var watched = []struct{ fn, role string }{
	{pkg + "NewSource.func1", "the read"},
	{pkg + "RunJobLeaky.func2", "the consumer"},
}

// ANCHOR: profile
func main() {
	// Record every allocation, not one per 512 KiB on average: the numbers
	// are then exact, the same on every run.
	runtime.MemProfileRate = 1

	heap, _, err := run(jobs)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	print(os.Stdout, jobs, heap)
}

// ANCHOR_END: profile

// usage is what the heap profile says about one function.
type usage struct {
	flat    int64 // live bytes that the function itself allocated
	cum     int64 // live bytes allocated by it or by anything it called
	running int   // goroutines with the function on their stack now
}

// run runs n failed leaky jobs, then takes a heap profile. It returns, for
// every function of package leak in the profile, what the profile charges
// to it, and the profile itself (a gzipped protocol buffer, the file a
// profiler would show as a flame graph).
func run(n int) (map[string]*usage, []byte, error) {
	for range n {
		if _, err := leak.RunJobLeaky(leak.NewSource(recordSize, 7)); err == nil {
			return nil, nil, fmt.Errorf("the job should fail on record 7")
		}
	}
	// Wait until every leaked consumer has received all it will ever
	// receive and is blocked, then collect the garbage: the profile is "as
	// of the most recently completed garbage collection" (runtime/pprof).
	goroutines.Settle()
	runtime.GC()

	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		return nil, nil, err
	}
	prof, err := profile.Parse(buf.Bytes())
	if err != nil {
		return nil, nil, err
	}
	inuse := prof.Index("inuse_space")
	if inuse < 0 {
		return nil, nil, fmt.Errorf("no inuse_space in the heap profile: %q", prof.SampleTypes)
	}

	heap := map[string]*usage{}
	get := func(fn string) *usage {
		if heap[fn] == nil {
			heap[fn] = &usage{}
		}
		return heap[fn]
	}
	for _, s := range prof.Samples {
		v := s.Values[inuse]
		if v == 0 || len(s.Stack) == 0 {
			continue
		}
		if strings.HasPrefix(s.Stack[0], pkg) {
			get(s.Stack[0]).flat += v // Stack[0]: the function that allocated
		}
		seen := map[string]bool{}
		for _, fn := range s.Stack {
			if strings.HasPrefix(fn, pkg) && !seen[fn] {
				seen[fn] = true
				get(fn).cum += v
			}
		}
	}
	for _, w := range watched {
		get(w.fn)
	}
	// One stop-the-world snapshot of every goroutine's stack.
	for _, g := range strings.Split(string(goroutines.Stacks()), "\n\n") {
		for fn, u := range heap {
			if strings.Contains(g, "\n"+fn+"(") {
				u.running++
			}
		}
	}
	return heap, buf.Bytes(), nil
}

// print writes the lines for the watched functions: the live bytes the
// profile charges to each one itself (pprof's "flat": the width of its own
// box in a flame graph), per job, to the nearest KiB. Per job and rounded,
// because a few bytes more or less can be live from run to run (an old rows
// array still referenced from a stack slot, say); the test checks the bytes.
func print(w io.Writer, n int, heap map[string]*usage) {
	fmt.Fprintf(w, "live memory per failed job (inuse_space, %d jobs), by the function that allocated it:\n", n)
	for _, f := range watched {
		u := heap[f.fn]
		perJob := (u.flat/int64(n) + 512) / 1024
		fmt.Fprintf(w, "%4d KiB  %-23s %-13s running in %d goroutines\n",
			perJob, strings.TrimPrefix(f.fn, "example.com/workbook/"), f.role, u.running)
	}
}
