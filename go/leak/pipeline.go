package leak

import "golang.org/x/sync/errgroup"

// The job's shape: three producers read three records each (0-2, 3-5, 6-8)
// into a channel that buffers up to ten; one consumer keeps them all and
// totals them when the channel is closed.

// ANCHOR: leaky_job
// RunJobLeaky runs one batch. If a read fails it returns the error, but it
// returns before close(records): the consumer's range loop never ends.
func RunJobLeaky(read Source) (int, error) {
	records := make(chan Record, 10) // pair: channel
	var readers, consumers errgroup.Group

	for p := range 3 { // three producers
		readers.Go(func() error { // pair: producer
			for id := 3 * p; id < 3*p+3; id++ {
				r, err := read(id)
				if err != nil {
					return err // this producer stops; the others finish // pair: read-fails
				}
				records <- r // pair: send
			}
			return nil
		})
	}

	var total int
	consumers.Go(func() error { // one consumer // pair: consumer
		// The whole batch stays in memory, as in the incident.
		var rows []Record
		for r := range records { // ends only when records is closed // pair: drain
			rows = append(rows, r) // pair: drain
		}
		total = sum(rows)
		return nil
	})

	// ANCHOR: leaky_tail
	if err := readers.Wait(); err != nil { // pair: early-return
		return 0, err // BUG: close(records) below never runs // pair: early-return
	}
	close(records)                           // pair: close
	if err := consumers.Wait(); err != nil { // pair: join-consumer
		return 0, err
	}
	return total, nil
	// ANCHOR_END: leaky_tail
}

// ANCHOR_END: leaky_job

// ANCHOR: fixed_job
// RunJobFixed is RunJobLeaky with the smallest correct fix: once Wait has
// returned no producer can send any more, so close on both paths.
func RunJobFixed(read Source) (int, error) {
	records := make(chan Record, 10)
	var readers, consumers errgroup.Group

	for p := range 3 {
		readers.Go(func() error {
			for id := 3 * p; id < 3*p+3; id++ {
				r, err := read(id)
				if err != nil {
					return err
				}
				records <- r
			}
			return nil
		})
	}

	var total int
	consumers.Go(func() error {
		var rows []Record
		for r := range records {
			rows = append(rows, r)
		}
		total = sum(rows)
		return nil
	})

	// ANCHOR: fixed_tail
	readErr := readers.Wait()
	close(records) // every producer has returned: safe to close, error or not
	if err := consumers.Wait(); err != nil {
		return 0, err
	}
	if readErr != nil {
		return 0, readErr
	}
	return total, nil
	// ANCHOR_END: fixed_tail
}

// ANCHOR_END: fixed_job
