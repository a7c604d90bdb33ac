// Command repro rebuilds the incident of chapter 8: a long-lived service that
// runs the chapter-1 job (leak.RunJobLeaky or leak.RunJobFixed) on a stream
// of batches, some of which fail, and samples the process as it goes.
//
//	go run ./repro -mode leaky -jobs 1000 -failure-rate 0.5 -record-kib 64 -every 50
//
// Every -every jobs (and before the first) it prints one CSV row: the jobs
// run so far, how many of them failed, the goroutines (exact, see
// internal/goroutines), the Go heap and stack in use after a garbage
// collection (runtime.MemStats HeapInuse, StackInuse) and the resident set
// size of the whole process (/proc/self/statm), in KiB.
//
// src/repro/measure.sh runs it (and its Rust twin) and writes the chapter's
// data, src/repro/incident.csv.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/leak"
)

// Config is what the flags set.
type Config struct {
	Mode        string  // "leaky" (leak.RunJobLeaky) or "fixed" (leak.RunJobFixed)
	Jobs        int     // how many jobs the service runs
	FailureRate float64 // the fraction of jobs whose record 7 is corrupt, spread evenly
	RecordKiB   int     // the batch size: each of a job's 9 records is this many KiB
	Every       int     // sample after every this many jobs
}

// Sample is one row of the output.
type Sample struct {
	Jobs, Failed, Goroutines  int
	HeapKiB, StackKiB, RSSKiB uint64
}

func main() {
	var cfg Config
	flag.StringVar(&cfg.Mode, "mode", "leaky", "leaky (RunJobLeaky) or fixed (RunJobFixed)")
	flag.IntVar(&cfg.Jobs, "jobs", 1000, "number of jobs to run")
	flag.Float64Var(&cfg.FailureRate, "failure-rate", 0.5, "fraction of jobs that fail (0 to 1), spread evenly")
	flag.IntVar(&cfg.RecordKiB, "record-kib", 64, "batch size: KiB per record (a batch is 9 records)")
	flag.IntVar(&cfg.Every, "every", 50, "sample after every this many jobs")
	header := flag.Bool("header", true, "print the comment lines that say how the data was made")
	flag.Parse()

	if *header {
		fmt.Printf("# go run ./repro -mode %s -jobs %d -failure-rate %g -record-kib %d -every %d\n",
			cfg.Mode, cfg.Jobs, cfg.FailureRate, cfg.RecordKiB, cfg.Every)
		fmt.Printf("# %s %s/%s, %d CPUs\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	}
	err := Run(cfg, func(s Sample) { writeRow(os.Stdout, "go "+cfg.Mode, s) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "repro:", err)
		os.Exit(1)
	}
}

// ANCHOR: service
// Run is the service: it runs cfg.Jobs jobs one after the other, as a
// long-lived process does, and calls sample before the first job and after
// every cfg.Every jobs (and after the last).
func Run(cfg Config, sample func(Sample)) error {
	job, err := cfg.job() // leak.RunJobLeaky or leak.RunJobFixed
	if err != nil {
		return err
	}
	ints := cfg.RecordKiB * 1024 / 8 // int is 8 bytes on 64-bit
	failed := 0
	sample(measure(0, 0))
	for n := 1; n <= cfg.Jobs; n++ {
		bad := -1 // a clean batch
		if Fails(n, cfg.FailureRate) {
			bad = 7
		}
		_, err := job(leak.NewSource(ints, bad))
		if (err != nil) != (bad >= 0) {
			return fmt.Errorf("job %d: want an error: %t, got %v", n, bad >= 0, err)
		}
		if err != nil {
			failed++ // the incident's service logged it, retried later
		}
		if n%cfg.Every == 0 || n == cfg.Jobs {
			sample(measure(n, failed))
		}
	}
	return nil
}

// ANCHOR_END: service

// job checks the configuration and returns the job it names.
func (cfg Config) job() (func(leak.Source) (int, error), error) {
	if cfg.Every < 1 || cfg.Jobs < 0 || cfg.RecordKiB < 1 || cfg.FailureRate < 0 || cfg.FailureRate > 1 {
		return nil, fmt.Errorf("bad configuration %+v", cfg)
	}
	switch cfg.Mode {
	case "leaky":
		return leak.RunJobLeaky, nil
	case "fixed":
		return leak.RunJobFixed, nil
	}
	return nil, fmt.Errorf("unknown mode %q: want leaky or fixed", cfg.Mode)
}

// Fails reports whether job number n (from 1) fails when a fraction rate
// of the jobs fail, spread evenly: after n jobs exactly floor(n*rate) have
// failed. Rate 0.5 fails every second job, 0.25 every fourth.
func Fails(n int, rate float64) bool {
	return int(float64(n)*rate) > int(float64(n-1)*rate)
}

// ANCHOR: sample
// measure is one sample: the goroutine count once every goroutine is
// parked, Go's heap and stack in use after a full collection (only memory
// something still references), and what the kernel says the process holds.
func measure(jobs, failed int) Sample {
	runtime.GC()
	g, _ := goroutines.Settle() // exact: nothing is about to exit
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Sample{
		Jobs: jobs, Failed: failed, Goroutines: g,
		HeapKiB: ms.HeapInuse / 1024, StackKiB: ms.StackInuse / 1024,
		RSSKiB: rssKiB(),
	}
}

// ANCHOR_END: sample

// rssKiB is the resident set size of this process: the second field of
// /proc/self/statm, in pages (proc(5)). 0 where there is no /proc.
func rssKiB() uint64 {
	statm, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(statm))
	if len(fields) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(fields[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize()) / 1024
}

// Columns is the CSV header of src/repro/incident.csv; writeRow writes the
// rows under it. "live" is goroutines for Go, threads for Rust; the Rust
// side leaves the Go-only columns empty.
const Columns = "series,jobs,failed,live,rss_kib,heap_inuse_kib,stack_inuse_kib"

func writeRow(w io.Writer, series string, s Sample) {
	fmt.Fprintf(w, "%s,%d,%d,%d,%d,%d,%d\n", series, s.Jobs, s.Failed, s.Goroutines, s.RSSKiB, s.HeapKiB, s.StackKiB)
}
