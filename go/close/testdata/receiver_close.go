// This file is not compiled with the package (it is under testdata/):
// principle_test.go type-checks it and expects the error below.
package receiver

// ANCHOR: receiver_close
func drain(ch <-chan int) {
	for range ch {
	}
	close(ch) // compile error: cannot close receive-only channel ch
}

// ANCHOR_END: receiver_close
