package closing

// ANCHOR: merge_two
// MergeTwo receives from a and b until both are closed. A receive from a
// nil channel blocks forever, so setting a closed channel's variable to nil
// turns its select case off; without that, the closed channel would be
// ready on every iteration and deliver zero values forever.
func MergeTwo(a, b <-chan int) []int {
	var got []int
	for a != nil || b != nil { // pair: loop
		select { // pair: select
		case v, ok := <-a: // pair: recv-a
			if !ok {
				a = nil // closed: never pick this case again // pair: off-a
				continue
			}
			got = append(got, v) // pair: push
		case v, ok := <-b: // pair: recv-b
			if !ok {
				b = nil // pair: off-b
				continue
			}
			got = append(got, v) // pair: push
		}
	}
	return got
}

// ANCHOR_END: merge_two
