// Package cancel holds the listings of chapter 3: the mirror image of the
// chapter-1 leak. There a producer failed and the consumer waited forever
// for a close; here the consumer fails and the producers wait forever to
// send. Closing cannot help: only a receiver can unblock a sender, or a
// cancellation that the sender listens for.
package cancel

import (
	"context"

	"golang.org/x/sync/errgroup"

	"example.com/workbook/leak"
)

// A Sink stores one record, e.g. in a database. It fails when the database
// is down.
type Sink func(leak.Record) error

// Each producer has more records (100) than the channel buffers (10), so
// once the consumer stops, no producer can finish: all three block.
const producers, perProducer = 3, 100

// ANCHOR: stuck_job
// RunJobStuck closes on the sending side, as chapter 2 taught, and returns
// as soon as a write fails. Nobody receives from records after that: the
// producers fill the buffer and block on their next send, forever.
func RunJobStuck(read leak.Source, write Sink) error {
	records := make(chan leak.Record, 10) // pair: channel
	var g errgroup.Group
	g.Go(func() error { // pair: produce
		defer close(records)          // pair: close
		return produce(records, read) // pair: produce
	})

	for r := range records { // pair: consume
		if err := write(r); err != nil {
			return err // BUG: the producers are left sending to nobody // pair: early-return
		}
	}
	return g.Wait() // pair: wait
}

func produce(records chan<- leak.Record, read leak.Source) error {
	var readers errgroup.Group
	for p := range producers {
		readers.Go(func() error { // pair: spawn
			for id := p * perProducer; id < (p+1)*perProducer; id++ {
				r, err := read(id)
				if err != nil {
					return err
				}
				records <- r // blocks forever once nobody receives // pair: send
			}
			return nil
		})
	}
	return readers.Wait() // pair: join-readers
}

// ANCHOR_END: stuck_job

// ANCHOR: cancel_job
// RunJob runs the consumer in the same errgroup as the producers. When any
// of them returns an error, errgroup cancels ctx, and every producer that
// is blocked on a send takes the ctx.Done() branch instead and returns.
func RunJob(ctx context.Context, read leak.Source, write Sink) error {
	g, ctx := errgroup.WithContext(ctx)   // pair: cancel
	records := make(chan leak.Record, 10) // pair: channel
	g.Go(func() error {
		defer close(records)
		return produceCtx(ctx, records, read)
	})

	g.Go(func() error {
		for r := range records {
			if err := write(r); err != nil {
				return err // cancels ctx: the producers stop // pair: failed-write
			}
		}
		return nil
	})
	return g.Wait() // the first error: here, the failed write // pair: wait
}

func produceCtx(ctx context.Context, records chan<- leak.Record, read leak.Source) error {
	readers, ctx := errgroup.WithContext(ctx) // a failed read stops the other readers too
	for p := range producers {
		readers.Go(func() error {
			for id := p * perProducer; id < (p+1)*perProducer; id++ {
				r, err := read(id)
				if err != nil {
					return err
				}
				select { // pair: select
				case records <- r: // pair: send
				case <-ctx.Done(): // nobody will receive: give up // pair: done
					return ctx.Err()
				}
			}
			return nil
		})
	}
	return readers.Wait()
}

// ANCHOR_END: cancel_job

// The two half-fixes below each take one half of RunJob. Both still leave
// the producers blocked (TestConsumerOutsideTheGroupStillLeaks,
// TestPlainSendStillHangsAfterCancel).

// ANCHOR: consumer_outside
// RunJobConsumerOutsideGroup has the producers' half: they select on
// ctx.Done(). The consumer is still the caller's loop, so its error is
// returned, not handed to the group, and ctx is never cancelled.
func RunJobConsumerOutsideGroup(ctx context.Context, read leak.Source, write Sink) error {
	g, ctx := errgroup.WithContext(ctx)
	records := make(chan leak.Record, 10)
	g.Go(func() error {
		defer close(records)
		return produceCtx(ctx, records, read)
	})

	for r := range records {
		if err := write(r); err != nil {
			return err // BUG: cancels nothing; the producers wait in select
		}
	}
	return g.Wait()
}

// ANCHOR_END: consumer_outside

// ANCHOR: plain_send
// RunJobPlainSend has the consumer's half: its error cancels ctx. The
// producers are RunJobStuck's, and a plain send does not look at ctx. Worse
// than a leak: g.Wait waits for them, so the job never returns.
func RunJobPlainSend(ctx context.Context, read leak.Source, write Sink) error {
	g, _ := errgroup.WithContext(ctx) // cancelled by the failed write, unheard
	records := make(chan leak.Record, 10)
	g.Go(func() error {
		defer close(records)
		return produce(records, read) // BUG: records <- r ignores any cancel
	})

	g.Go(func() error {
		for r := range records {
			if err := write(r); err != nil {
				return err
			}
		}
		return nil
	})
	return g.Wait() // blocks with the producers
}

// ANCHOR_END: plain_send

// ANCHOR: drain_job
// RunJobDrain is the fix without a context: after a failed write the
// consumer keeps receiving, and throws the records away, until the
// producers' side closes the channel. Nothing is left blocked, but the
// producers read their whole shares for nobody.
func RunJobDrain(read leak.Source, write Sink) error {
	records := make(chan leak.Record, 10)
	var g errgroup.Group
	g.Go(func() error {
		defer close(records)
		return produce(records, read)
	})

	var werr error
	for r := range records {
		if werr != nil {
			continue // drain: keep the producers' sends moving
		}
		werr = write(r)
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return werr
}

// ANCHOR_END: drain_job
