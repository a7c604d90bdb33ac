package fanout

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/sync/errgroup"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"
)

// TestMain checks with goleak that the package leaks nothing.
func TestMain(m *testing.M) { leaktest.Main(m) }

// No test here looks at a clock: the orders and counts are forced with
// channels, so they do not depend on scheduling or load.

func square(i int) (uint64, error) { return uint64(i * i), nil }

// The Rust listing checks the same value (listings/src/rayon.rs), so both
// programs of the benchmark do exactly the same work.
func TestChecksumMatchesTheRustListing(t *testing.T) {
	if got := Checksum(7, 1000); got != 0xbb3bd08bb4e70c5a {
		t.Errorf("Checksum(7, 1000) = %#x", got)
	}
}

// Item 0 cannot finish before item 3 has: the channel delivers 1, 2, 3, 0;
// the indexed slice is in item order anyway.
func TestChannelDeliversInCompletionOrderIndexedKeepsItemOrder(t *testing.T) {
	held := func() Work {
		lastDone := make(chan struct{})
		return func(i int) (uint64, error) {
			if i == 0 {
				<-lastDone
			}
			if i == 3 {
				defer close(lastDone)
			}
			return square(i)
		}
	}
	var byChannel []Result
	var indexed []uint64
	var err1, err2 error
	leaktest.Returns(t, "ByChannel", func() { byChannel, err1 = ByChannel(4, 2, held()) })
	leaktest.Returns(t, "Indexed", func() { indexed, err2 = Indexed(4, 2, held()) })
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	var order []int
	for _, r := range byChannel {
		order = append(order, r.Index)
	}
	if !slices.Equal(order, []int{1, 2, 3, 0}) {
		t.Errorf("ByChannel delivered items in order %v, want [1 2 3 0]", order)
	}
	if !slices.Equal(indexed, []uint64{0, 1, 4, 9}) {
		t.Errorf("Indexed = %v, want [0 1 4 9]", indexed)
	}
}

// concurrency counts how many calls of a Work run at once.
type concurrency struct {
	running, max atomic.Int64
}

func (c *concurrency) enter() int64 {
	n := c.running.Add(1)
	for {
		m := c.max.Load()
		if n <= m || c.max.CompareAndSwap(m, n) {
			return n
		}
	}
}

func (c *concurrency) leave() { c.running.Add(-1) }

// SetLimit(3) with 20 items: never more than 3 at once, and 3 do run at
// once (the first three wait for each other).
func TestSetLimitBoundsTheActiveGoroutines(t *testing.T) {
	var c concurrency
	three := make(chan struct{})
	var once sync.Once
	work := func(i int) (uint64, error) {
		defer c.leave()
		if c.enter() == 3 {
			once.Do(func() { close(three) })
		}
		if i < 3 {
			<-three
		}
		return square(i)
	}
	var err error
	leaktest.Returns(t, "Indexed", func() { _, err = Indexed(20, 3, work) })
	if err != nil || c.max.Load() != 3 {
		t.Errorf("Indexed(20, 3, ...): at most %d items at once, err %v; want 3, nil", c.max.Load(), err)
	}
}

// With one goroutine per item, all 20 run at once (each waits for all).
func TestPerItemRunsEveryItemAtOnce(t *testing.T) {
	var c concurrency
	all := make(chan struct{})
	var once sync.Once
	work := func(i int) (uint64, error) {
		defer c.leave()
		if c.enter() == 20 {
			once.Do(func() { close(all) })
		}
		<-all
		return square(i)
	}
	var err error
	leaktest.Returns(t, "PerItem", func() { _, err = PerItem(context.Background(), 20, work) })
	if err != nil || c.max.Load() != 20 {
		t.Errorf("PerItem(20): at most %d at once, err %v; want 20, nil", c.max.Load(), err)
	}
}

var errBad = errors.New("bad record")

func failAt(k int, calls *atomic.Int64) Work {
	return func(i int) (uint64, error) {
		calls.Add(1)
		if i == k {
			return 0, fmt.Errorf("item %d: %w", i, errBad)
		}
		return square(i)
	}
}

// A plain group returns the error and runs every item. Stopping, with a
// limit of 1, runs exactly items 0..5: the failing goroutine cancels ctx
// before it gives its slot back (errgroup cancels in the goroutine, before
// done()), so the item waiting for that slot sees the cancel, and so does
// the loop. (With a larger limit, how many items start while the failing
// one is on its way depends on scheduling; only "fewer" is certain.)
func TestAPlainGroupRunsEverythingStoppingStartsNothingNew(t *testing.T) {
	const n, k = 100, 5
	var plain, stopping atomic.Int64
	var err1, err2 error
	leaktest.Returns(t, "Indexed", func() { _, err1 = Indexed(n, 1, failAt(k, &plain)) })
	leaktest.Returns(t, "Stopping", func() { _, err2 = Stopping(context.Background(), n, 1, failAt(k, &stopping)) })
	if !errors.Is(err1, errBad) || plain.Load() != n {
		t.Errorf("Indexed: %d calls, err %v; want %d calls and the item's error", plain.Load(), err1, n)
	}
	if !errors.Is(err2, errBad) || stopping.Load() != k+1 {
		t.Errorf("Stopping: %d calls, err %v; want %d (items 0..%d) and the item's error", stopping.Load(), err2, k+1, k)
	}
}

// Wait returns the first error *in time*, not the lowest item: item 0
// fails only after item 1's error has cancelled the context.
func TestWaitReturnsTheFirstErrorInTimeNotTheLowestItem(t *testing.T) {
	g, ctx := errgroup.WithContext(context.Background())
	err0, err1 := errors.New("item 0"), errors.New("item 1")
	g.Go(func() error { <-ctx.Done(); return err0 })
	g.Go(func() error { return err1 })
	var err error
	leaktest.Returns(t, "Wait", func() { err = g.Wait() })
	if err != err1 {
		t.Errorf("Wait() = %v, want %v", err, err1)
	}
}

// TryGo starts the goroutine only if a slot is free, and says whether it did.
func TestTryGoSaysWhetherItStarted(t *testing.T) {
	var g errgroup.Group
	g.SetLimit(1)
	release := make(chan struct{})
	first := g.TryGo(func() error { <-release; return nil })
	second := g.TryGo(func() error { return nil })
	close(release)
	leaktest.Returns(t, "Wait", func() { _ = g.Wait() })
	third := g.TryGo(func() error { return nil })
	leaktest.Returns(t, "Wait", func() { _ = g.Wait() })
	if !first || second || !third {
		t.Errorf("TryGo with limit 1: %v, %v (while the first runs), %v (after Wait); want true, false, true", first, second, third)
	}
}

// SetLimit may not change while goroutines are active: it panics.
func TestSetLimitWhileActivePanics(t *testing.T) {
	var g errgroup.Group
	g.SetLimit(1)
	release := make(chan struct{})
	g.Go(func() error { <-release; return nil })
	defer func() {
		close(release)
		_ = g.Wait()
	}()
	defer func() {
		got := fmt.Sprint(recover())
		want := "errgroup: modify limit while 1 goroutines in the group are still active"
		if got != want {
			t.Errorf("SetLimit while active: recovered %q, want %q", got, want)
		}
	}()
	g.SetLimit(2)
}

// SetLimit panics only while goroutines started *under a limit* are active:
// it counts the tokens in its semaphore, and a group without a limit has
// none. A first SetLimit after unlimited Go calls is accepted silently, and
// the goroutine started before it gives back a slot it never took: it blocks
// in the group's done, and Wait never returns. The goroutines stay blocked,
// so the test runs in a process of its own.
func TestAFirstSetLimitAfterUnlimitedGoBreaksWait(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	var g errgroup.Group
	release := make(chan struct{})
	g.Go(func() error { <-release; return nil })
	g.SetLimit(1) // no panic: the running goroutine took no slot
	close(release)
	waited := make(chan struct{})
	go func() {
		_ = g.Wait()
		close(waited)
	}()
	// Once every goroutine is parked, nothing can wake any of them.
	if _, ok := goroutines.Settle(); !ok {
		t.Fatalf("the goroutines did not settle:\n%s", goroutines.Stacks())
	}
	select {
	case <-waited:
		t.Fatal("Wait returned: the goroutine started before SetLimit finished normally")
	default:
	}
	stacks := string(goroutines.Stacks())
	if !strings.Contains(stacks, "errgroup.(*Group).done") || !strings.Contains(stacks, "errgroup.(*Group).Wait") {
		t.Errorf("want one goroutine blocked in the group's done and one in Wait; got:\n%s", stacks)
	}
}
