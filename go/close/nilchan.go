package closing

// ANCHOR: merge_two
// MergeTwo receives from a and b until both are closed. A receive from a
// nil channel blocks forever, so setting a closed channel's variable to nil
// turns its select case off; without that, the closed channel would be
// ready on every iteration and deliver zero values forever.
func MergeTwo(a, b <-chan int) []int {
	var got []int
	for a != nil || b != nil {
		select {
		case v, ok := <-a:
			if !ok {
				a = nil // closed: never pick this case again
				continue
			}
			got = append(got, v)
		case v, ok := <-b:
			if !ok {
				b = nil
				continue
			}
			got = append(got, v)
		}
	}
	return got
}

// ANCHOR_END: merge_two
