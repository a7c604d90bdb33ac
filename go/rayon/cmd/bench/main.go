// Command bench measures chapter 6's CPU-bound batch job in Go: wall time
// at 1, 2 and all cores for a sequential loop, errgroup with
// SetLimit(GOMAXPROCS), and one goroutine per item, as ratios to the
// sequential loop; then the time from the first error to the call's
// return. Its Rust twin is listings/examples/rayon_bench.rs, same job.
//
//	go run ./rayon/cmd/bench [-items 4000 -rounds 5000 -runs 5]
//
// rayon/testdata/bench.txt is one run of it, produced by
//
//	cd go && GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod go run ./rayon/cmd/bench > rayon/testdata/bench.txt
//
// It is a measurement, not a golden file: main_test.go checks its shape,
// and the counts that do not depend on the machine, never a time.
package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	fanout "example.com/workbook/rayon"
)

type config struct {
	items, rounds, runs int
}

var errItem = errors.New("bad item")

// variant is one way of running the job with p cores (GOMAXPROCS = p).
type variant struct {
	name string
	run  func(p, n int, work fanout.Work) error
}

// ANCHOR: variants
var variants = []variant{
	{"sequential loop", func(_, n int, work fanout.Work) error {
		for i := range n {
			if _, err := work(i); err != nil {
				return err
			}
		}
		return nil
	}},
	{"errgroup SetLimit(GOMAXPROCS)", func(p, n int, work fanout.Work) error {
		_, err := fanout.Stopping(context.Background(), n, p, work)
		return err
	}},
	{"goroutine per item", func(_, n int, work fanout.Work) error {
		_, err := fanout.PerItem(context.Background(), n, work)
		return err
	}},
}

// ANCHOR_END: variants

// noCancel is the errgroup without WithContext: it runs every item.
var noCancel = variant{"errgroup SetLimit, no cancel", func(p, n int, work fanout.Work) error {
	_, err := fanout.Indexed(n, p, work)
	return err
}}

// cores is 1, 2 and all of them, without repeats.
func cores() []int {
	var ps []int
	for _, p := range []int{1, 2, runtime.NumCPU()} {
		if p <= runtime.NumCPU() && !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	return ps
}

// wall runs the whole job once with p cores and returns its wall time.
func wall(v variant, p int, c config) (time.Duration, error) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(p))
	work := func(i int) (uint64, error) { return fanout.Checksum(i, c.rounds), nil }
	start := time.Now()
	err := v.run(p, c.items, work)
	return time.Since(start), err
}

// stop is what one failing run measured.
type stop struct {
	errorToReturn time.Duration
	items         int64 // items that did their work (or failed)
}

// failing runs the job with all cores; the item that is started
// items/2-th (whichever index that is) fails at once.
func failing(v variant, c config) (stop, error) {
	p := runtime.NumCPU()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(p))
	var started atomic.Int64
	var failedAt time.Time
	work := func(i int) (uint64, error) {
		if started.Add(1) == int64(c.items/2) {
			failedAt = time.Now()
			return 0, errItem
		}
		return fanout.Checksum(i, c.rounds), nil
	}
	err := v.run(p, c.items, work)
	returned := time.Now()
	if !errors.Is(err, errItem) {
		return stop{}, fmt.Errorf("%s returned %v, want %v", v.name, err, errItem)
	}
	return stop{errorToReturn: returned.Sub(failedAt), items: started.Load()}, nil
}

func median[T cmp.Ordered](xs []T) T {
	slices.Sort(xs)
	return xs[len(xs)/2]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func report(w io.Writer, c config) error {
	fmt.Fprintf(w, "Go: %s %s/%s, %d CPUs. %d items, each fanout.Checksum with %d rounds\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), c.items, c.rounds)
	fmt.Fprintf(w, "(CPU only); median of %d runs, variants interleaved. Load average at start: %s.\n\n", c.runs, loadavg())

	type row struct {
		v variant
		p int
	}
	var rows []row
	for _, v := range variants {
		ps := cores()
		if v.name == "sequential loop" {
			ps = []int{1}
		}
		for _, p := range ps {
			rows = append(rows, row{v, p})
		}
	}
	times := make([][]time.Duration, len(rows))
	for range c.runs {
		for i, r := range rows {
			d, err := wall(r.v, r.p, c)
			if err != nil {
				return err
			}
			times[i] = append(times[i], d)
		}
	}
	fmt.Fprintf(w, "%-34s %5s %10s %14s\n", "wall time", "cores", "median ms", "vs sequential")
	sequential := median(times[0])
	for i, r := range rows {
		m := median(times[i])
		fmt.Fprintf(w, "%-34s %5d %10.2f %14.2f\n", r.v.name, r.p, ms(m), float64(sequential)/float64(m))
	}

	fmt.Fprintf(w, "\nFirst error: the item started %d-th of %d fails at once; %d cores.\n", c.items/2, c.items, runtime.NumCPU())
	fmt.Fprintf(w, "%-34s %5s %10s %14s\n", "from the error to the return", "", "median ms", "items run")
	failers := []variant{noCancel, variants[1], variants[2]}
	stops := make([][]stop, len(failers))
	for range c.runs {
		for i, v := range failers {
			s, err := failing(v, c)
			if err != nil {
				return err
			}
			stops[i] = append(stops[i], s)
		}
	}
	for i, v := range failers {
		var ds []time.Duration
		var items []int64
		for _, s := range stops[i] {
			ds = append(ds, s.errorToReturn)
			items = append(items, s.items)
		}
		fmt.Fprintf(w, "%-34s %5s %10.2f %14d\n", v.name, "", ms(median(ds)), median(items))
	}
	return nil
}

// loadavg is the 1-minute load average (Linux), or "unknown": on a shared
// machine it says how much else was running.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil || len(bytes.Fields(b)) == 0 {
		return "unknown"
	}
	return string(bytes.Fields(b)[0])
}

func main() {
	var c config
	flag.IntVar(&c.items, "items", 4000, "items in the batch")
	flag.IntVar(&c.rounds, "rounds", 5000, "Checksum rounds per item")
	flag.IntVar(&c.runs, "runs", 5, "runs of each variant")
	flag.Parse()
	if err := report(os.Stdout, c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
