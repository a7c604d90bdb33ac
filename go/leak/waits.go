package leak

import "golang.org/x/sync/errgroup"

// ANCHOR: waits_job
// RunJobWaitsOnError is RunJobLeaky with a tempting fix that does not close
// the channel: on a read error it waits for the consumer before returning,
// so that no goroutine outlives the job. The consumer waits for
// close(records), which never comes: the job never returns.
func RunJobWaitsOnError(read Source) (int, error) {
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

	// ANCHOR: waits_tail
	if err := readers.Wait(); err != nil {
		consumers.Wait() // BUG: the consumer waits for close(records), which never runs
		return 0, err
	}
	close(records)
	if err := consumers.Wait(); err != nil {
		return 0, err
	}
	return total, nil
	// ANCHOR_END: waits_tail
}

// ANCHOR_END: waits_job
