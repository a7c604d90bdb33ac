package main

// ANCHOR: send_all
func sendAll(out chan<- int, n int) {
	defer close(out) // the sender closes // pair: close
	for i := 0; i < n; i++ {
		out <- i // pair: send
	}
}
// ANCHOR_END: send_all
