// Package closing holds the listings of chapter 2: who closes a channel,
// and when. (The directory is close/, but a package named close would hide
// the built-in close function in every file that imports it.)
package closing

import (
	"golang.org/x/sync/errgroup"

	"example.com/workbook/leak"
)

// ANCHOR: producer_closes
// RunJob runs the chapter-1 batch with the close moved to the sending side.
// The producers run inside one goroutine that closes records when they have
// all returned, whichever way they returned. The coordinator only waits.
func RunJob(read leak.Source) (int, error) {
	records := make(chan leak.Record, 10) // pair: channel
	var g errgroup.Group

	g.Go(func() error {
		defer close(records)          // the sending side closes, on every return path // pair: close
		return produce(records, read) // pair: produce
	})

	var total int
	g.Go(func() error { // pair: consumer
		total = consume(records) // pair: consumer
		return nil
	})

	if err := g.Wait(); err != nil { // pair: wait
		return 0, err
	}
	return total, nil
}

// ANCHOR_END: producer_closes

// ANCHOR: produce_consume
// produce runs the three producers and returns once all have returned.
// chan<- lets it send and close; consume gets <-chan, which cannot be closed:
// the compiler keeps the receiver from closing.
func produce(records chan<- leak.Record, read leak.Source) error {
	var readers errgroup.Group
	for p := range 3 {
		readers.Go(func() error { // pair: spawn
			for id := 3 * p; id < 3*p+3; id++ {
				r, err := read(id)
				if err != nil {
					return err // pair: read-fails
				}
				records <- r // pair: send
			}
			return nil
		})
	}
	return readers.Wait() // pair: wait
}

// consume keeps the whole batch until records is closed, then totals it.
func consume(records <-chan leak.Record) int { // pair: receiver
	var rows []leak.Record
	for r := range records { // pair: drain
		rows = append(rows, r) // pair: drain
	}
	total := 0
	for _, r := range rows {
		for _, v := range r {
			total += v
		}
	}
	return total
}

// ANCHOR_END: produce_consume

// ANCHOR: deferred_close
// RunJobDeferredClose is the tempting one-line fix of RunJobLeaky: close in
// a defer at the top. It repairs the error path and breaks the happy path:
// the deferred close runs after consumers.Wait returns, and consumers.Wait
// waits for the consumer, which waits for the close. A clean batch never
// finishes.
func RunJobDeferredClose(read leak.Source) (int, error) {
	records := make(chan leak.Record, 10)
	defer close(records)

	var readers, consumers errgroup.Group
	readers.Go(func() error { return produce(records, read) })
	var total int
	consumers.Go(func() error {
		total = consume(records)
		return nil
	})

	if err := readers.Wait(); err != nil {
		return 0, err // fine now: the deferred close releases the consumer
	}
	if err := consumers.Wait(); err != nil { // BUG: waits for the deferred close
		return 0, err
	}
	return total, nil
}

// ANCHOR_END: deferred_close
