package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// No timing is checked: only what does not depend on the machine.

const producers, reads, failAt = 3, 40, 2

// gatedRead is a read without sleeps whose order of events is fixed: the
// producers other than 0 wait in their read number failAt until producer 0
// has failed and, for the cancelling group, until ctx is cancelled. So the
// counts below do not depend on scheduling: without cancellation the others
// read everything; with it, none of them gets past read failAt.
func gatedRead(cancelling bool, count *atomic.Int64) Read {
	failed := make(chan struct{})
	var once sync.Once
	return func(ctx context.Context, p, id int) error {
		if p != 0 && id == failAt {
			<-failed
			if cancelling {
				<-ctx.Done()
			}
		}
		count.Add(1)
		if p == 0 && id == failAt {
			once.Do(func() { close(failed) })
			return errRead
		}
		return nil
	}
}

func run(t *testing.T, cancelling bool) (done int, err error) {
	t.Helper()
	var count atomic.Int64
	read := gatedRead(cancelling, &count)
	// Returns fails the test at once if the job deadlocks (no sleeps here).
	leaktest.Returns(t, fmt.Sprintf("job(cancelling=%v)", cancelling), func() {
		err = job(cancelling, read, producers, reads)
	})
	return int(count.Load()), err
}

func TestWithoutCancellationTheOthersReadEverything(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	got, err := run(t, false)
	if !errors.Is(err, errRead) {
		t.Fatalf("job returned %v, want %v", err, errRead)
	}
	// Producer 0: reads 0..failAt; every other producer: all its reads.
	if want := failAt + 1 + (producers-1)*reads; got != want {
		t.Errorf("without cancellation: %d reads, want %d (the other producers read their whole share)", got, want)
	}
}

func TestCancellingStopsEveryProducerAtItsNextCheck(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	got, err := run(t, true)
	if !errors.Is(err, errRead) {
		t.Fatalf("job returned %v, want %v (the first error, not context.Canceled)", err, errRead)
	}
	// Producer 0 always does failAt+1 reads; the others stop before their
	// next read once ctx is cancelled, so at most failAt+1 each.
	if lo, hi := failAt+1, producers*(failAt+1); got < lo || got > hi {
		t.Errorf("cancelling: %d reads, want between %d and %d", got, lo, hi)
	}
	if full := failAt + 1 + (producers-1)*reads; got*4 > full {
		t.Errorf("cancelling: %d reads, want far fewer than the %d without cancellation", got, full)
	}
}

// The program itself, tiny: 2 runs of each group, 3 producers x 40 reads of
// 100 µs. Only the deterministic parts of its output are checked.
func TestReportTiny(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	before, _ := goroutines.Settle()
	var out strings.Builder
	var err error
	leaktest.Within(t, "report", 60*time.Second, func() {
		err = report(&out, config{producers: producers, reads: reads, readTime: 100 * time.Microsecond, failAt: failAt}, 2)
	})
	if err != nil {
		t.Fatal(err)
	}
	text := out.String()
	t.Logf("\n%s", text)
	if first := strings.SplitN(text, "\n", 2)[0]; !strings.HasPrefix(first, "go1.") || !strings.Contains(first, " CPUs.") {
		t.Errorf("the first line should state the Go version and the CPUs; it is %q", first)
	}
	var without, cancelling []string
	for _, line := range strings.Split(text, "\n") {
		switch f := strings.Fields(line); {
		case strings.HasPrefix(line, "without cancellation "):
			without = f[2:]
		case strings.HasPrefix(line, "cancelling "):
			cancelling = f[1:]
		}
	}
	if len(without) != 4 || len(cancelling) != 4 {
		t.Fatalf("want a row per group with median, min, max and median reads; got:\n%s", text)
	}
	if want := fmt.Sprint(failAt + 1 + (producers-1)*reads); without[3] != want {
		t.Errorf("without cancellation: median reads %s, want %s", without[3], want)
	}
	if after, _ := goroutines.Settle(); after != before {
		t.Errorf("runtime.NumGoroutine: %d before, %d after the runs; want no change", before, after)
	}
}
