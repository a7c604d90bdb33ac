// Command cancellatency measures how long a job keeps running after its
// first error, with and without cancellation: the Go twin of
// listings/examples/close_cancel_latency.rs (chapter 2), with the same job
// shape. Four producers each read 200 records, a read being a 1 ms sleep
// standing in for storage; producer 0 fails at its read 10. The records go
// through a 10-slot channel to one consumer, as in closing.RunJob. The
// program measures the time from that error until the job returns with
// every goroutine done, for two groups of producers:
//
//   - without cancellation: a plain errgroup.Group; a failing producer only
//     records its error, the others read on until their share is done;
//   - cancelling: errgroup.WithContext; the first error cancels ctx, and
//     every producer checks ctx.Err() before each read.
//
// It runs both 21 times, interleaved, and prints the median, minimum and
// maximum time and the median number of reads.
//
//	go run ./close/cmd/cancellatency [-runs 21]
//
// close/testdata/cancellatency.txt is one run of it, produced by
//
//	cd go && GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=mod go run ./close/cmd/cancellatency > close/testdata/cancellatency.txt
//
// It is a measurement, not a golden file: the times depend on the machine
// and its load. main_test.go checks only what does not: the reads each group
// does, and that the job leaves no goroutine behind.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
)

// Read reads record id for producer p. ctx is the group's context: a read
// may give up when it is cancelled, but the simulated storage of this
// program does not (cancellation is cooperative: a producer stops only
// where it checks).
type Read func(ctx context.Context, p, id int) error

var errRead = errors.New("read failed")

// ANCHOR: latency_job
// job runs producers producers, each reading reads records with read, and
// one consumer, and returns once every one of them has returned.
func job(cancelling bool, read Read, producers, reads int) error {
	records := make(chan int, 10)
	var g errgroup.Group
	g.Go(func() error {
		defer close(records) // the sending side closes, as in closing.RunJob
		if cancelling {
			return produceCancelling(records, read, producers, reads)
		}
		return produceAll(records, read, producers, reads)
	})
	g.Go(func() error {
		for range records { // the consumer takes every record until the close
		}
		return nil
	})
	return g.Wait()
}

// produceAll: a plain errgroup.Group. A failing producer only records its
// error; the others read on until their share is done.
func produceAll(records chan<- int, read Read, producers, reads int) error {
	ctx := context.Background() // nothing cancels it
	var g errgroup.Group
	for p := range producers {
		g.Go(func() error {
			for id := range reads {
				if err := read(ctx, p, id); err != nil {
					return err
				}
				records <- id
			}
			return nil
		})
	}
	return g.Wait()
}

// produceCancelling: errgroup.WithContext cancels ctx when the first
// producer returns an error; every producer checks ctx before each read.
func produceCancelling(records chan<- int, read Read, producers, reads int) error {
	g, ctx := errgroup.WithContext(context.Background())
	for p := range producers {
		g.Go(func() error {
			for id := range reads {
				if err := ctx.Err(); err != nil {
					return err // another producer failed: stop here
				}
				if err := read(ctx, p, id); err != nil {
					return err
				}
				records <- id
			}
			return nil
		})
	}
	return g.Wait()
}

// ANCHOR_END: latency_job

// config is the shape of the measured job.
type config struct {
	producers, reads int
	readTime         time.Duration
	failAt           int // producer 0 fails at this read
}

var full = config{producers: 4, reads: 200, readTime: time.Millisecond, failAt: 10}

// latency is what one run measured.
type latency struct {
	errorToStopped time.Duration // from the failing read's error to job returning
	reads          int           // reads done by all producers together
}

// measure runs the job once with the simulated storage: every read sleeps
// c.readTime; read c.failAt of producer 0 then fails, and its time is noted.
func measure(cancelling bool, c config) (latency, error) {
	var reads atomic.Int64
	var once sync.Once
	var failedAt time.Time
	read := func(_ context.Context, p, id int) error {
		time.Sleep(c.readTime)
		reads.Add(1)
		if p == 0 && id == c.failAt {
			once.Do(func() { failedAt = time.Now() })
			return errRead
		}
		return nil
	}
	err := job(cancelling, read, c.producers, c.reads)
	stopped := time.Now()
	if !errors.Is(err, errRead) {
		return latency{}, fmt.Errorf("the job returned %v, want %v", err, errRead)
	}
	return latency{errorToStopped: stopped.Sub(failedAt), reads: int(reads.Load())}, nil
}

// report runs both groups runs times, interleaved, and prints the table.
func report(w io.Writer, c config, runs int) error {
	fmt.Fprintf(w, "%s %s/%s, %d CPUs. %d producers x %d reads, %v each (a sleep standing in\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), c.producers, c.reads, c.readTime)
	fmt.Fprintf(w, "for storage); producer 0 fails at its read %d. Time from that error until the\n", c.failAt)
	fmt.Fprintf(w, "job returns with every goroutine done; %d runs of each group, interleaved.\n", runs)
	fmt.Fprintf(w, "without cancellation: errgroup.Group; cancelling: errgroup.WithContext,\n")
	fmt.Fprintf(w, "ctx.Err() checked before each read.\n\n")

	groups := []struct {
		name       string
		cancelling bool
	}{{"without cancellation", false}, {"cancelling", true}}
	results := make([][]latency, len(groups))
	for range runs {
		for i, g := range groups {
			l, err := measure(g.cancelling, c)
			if err != nil {
				return fmt.Errorf("%s: %w", g.name, err)
			}
			results[i] = append(results[i], l)
		}
	}

	fmt.Fprintf(w, "%-24s %10s %10s %10s %14s\n", "group", "median ms", "min ms", "max ms", "median reads")
	for i, g := range groups {
		rs := results[i]
		if len(rs) == 0 {
			fmt.Fprintf(w, "%-24s (no runs)\n", g.name)
			continue
		}
		slices.SortFunc(rs, func(a, b latency) int { return cmp.Compare(a.errorToStopped, b.errorToStopped) })
		reads := make([]int, len(rs))
		for j, r := range rs {
			reads[j] = r.reads
		}
		slices.Sort(reads)
		ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
		fmt.Fprintf(w, "%-24s %10.2f %10.2f %10.2f %14d\n", g.name,
			ms(rs[len(rs)/2].errorToStopped), ms(rs[0].errorToStopped), ms(rs[len(rs)-1].errorToStopped),
			reads[len(reads)/2])
	}
	return nil
}

func main() {
	runs := flag.Int("runs", 21, "runs of each group")
	flag.Parse()
	if err := report(os.Stdout, full, *runs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
