// Package fanout is chapter 6's Go side: a CPU-bound batch job fanned out
// with errgroup and SetLimit, the way Go code usually does it, in the
// variants the chapter compares with rayon. The directory is rayon/ (the
// chapter's slug); the package is fanout, because nothing here is rayon.
//
// Each job computes one uint64 per item with a Work function, items 0..n.
// The work is a parameter so that the tests can fail an item, hold one back,
// or count how many run at once; the programs use Checksum.
package fanout

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// Work computes the result of item i, or fails.
type Work func(i int) (uint64, error)

// ANCHOR: checksum
// Checksum is the CPU-bound work of one item: rounds steps of splitmix64,
// seeded with the item's id. No memory, no I/O, no locks: only the CPU.
// listings/src/rayon.rs has the same function and the same test value.
func Checksum(id, rounds int) uint64 {
	x := uint64(id)
	for range rounds {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		x = z ^ (z >> 31)
	}
	return x
}

// ANCHOR_END: checksum

// Result is one item's result as it travels through a channel: the index
// has to travel with it, because the channel delivers in completion order.
type Result struct {
	Index int
	Sum   uint64
}

// ANCHOR: by_channel
// ByChannel runs work for items 0..n, at most limit at a time, and collects
// the results through a channel: in the order they finished, not item order.
// Wait returns the first error; the other items run anyway.
func ByChannel(n, limit int, work Work) ([]Result, error) {
	results := make(chan Result, n) // room for every result: no send blocks
	var g errgroup.Group
	g.SetLimit(limit) // g.Go blocks while limit goroutines are active
	for i := range n {
		g.Go(func() error {
			sum, err := work(i)
			if err != nil {
				return err
			}
			results <- Result{Index: i, Sum: sum}
			return nil
		})
	}
	err := g.Wait()
	close(results) // every sender has returned
	var out []Result
	for r := range results {
		out = append(out, r)
	}
	return out, err
}

// ANCHOR_END: by_channel

// ANCHOR: indexed
// Indexed runs the same job and writes each result into its own slot of a
// slice made up front: item order, and no channel. Each goroutine writes
// only out[i], so there is no data race; Wait makes the writes visible.
func Indexed(n, limit int, work Work) ([]uint64, error) {
	out := make([]uint64, n)
	var g errgroup.Group
	g.SetLimit(limit)
	for i := range n {
		g.Go(func() error {
			sum, err := work(i)
			out[i] = sum
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// ANCHOR_END: indexed

// ANCHOR: stopping
// Stopping is Indexed that stops starting items once one has failed:
// WithContext cancels ctx at the first error, the loop stops calling g.Go,
// and an item that got its slot after the cancel returns without working.
// Items already running finish: nothing interrupts work in progress.
func Stopping(ctx context.Context, n, limit int, work Work) ([]uint64, error) {
	out := make([]uint64, n) // pair: results
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i := range n { // pair: items
		if ctx.Err() != nil { // pair: stop
			break // an item failed: start nothing more // pair: stop
		}
		g.Go(func() error { // pair: items
			if err := ctx.Err(); err != nil {
				return err // cancelled while this item waited for a slot
			}
			sum, err := work(i)
			out[i] = sum // pair: results
			return err
		})
	}
	if err := g.Wait(); err != nil { // pair: wait
		return nil, err
	}
	return out, nil
}

// ANCHOR_END: stopping

// ANCHOR: per_item
// PerItem is the other common shape: one goroutine per item, no limit. The
// Go scheduler runs them on GOMAXPROCS threads; each costs a few KiB of
// stack while it waits for its turn. Same cancellation as Stopping.
func PerItem(ctx context.Context, n int, work Work) ([]uint64, error) {
	out := make([]uint64, n)
	g, ctx := errgroup.WithContext(ctx)
	for i := range n {
		g.Go(func() error {
			if err := ctx.Err(); err != nil {
				return err
			}
			sum, err := work(i)
			out[i] = sum
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// ANCHOR_END: per_item
