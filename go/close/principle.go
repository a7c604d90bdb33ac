package closing

import "sync"

// The Channel Closing Principle: close a channel only from the sending
// side, and only when no other goroutine can still send on it. Receivers
// never close; with several senders, close once, after all have finished.

// ANCHOR: single_sender
// Countdown sends n, n-1, ..., 1 on the channel it returns, then closes it.
// There is one sender, so the sender closes, after its last send. The
// result is receive-only: a caller that tries to close it does not compile.
// The caller must receive until the end; chapter 3 is about what happens
// when a receiver stops early.
func Countdown(n int) <-chan int {
	ch := make(chan int) // pair: channel
	go func() {          // pair: spawn
		defer close(ch) // pair: close
		for i := n; i > 0; i-- {
			ch <- i // pair: send
		}
	}()
	return ch // pair: return
}

// ANCHOR_END: single_sender

// ANCHOR: many_senders
// Merge forwards every value of every input to one output channel. Each
// input gets its own sending goroutine, and none of them may close out
// while the others might still send. One more goroutine closes out once,
// after the WaitGroup says every sender has returned.
func Merge(inputs ...<-chan int) <-chan int {
	out := make(chan int) // pair: channel
	var wg sync.WaitGroup
	for _, in := range inputs {
		wg.Add(1)   // pair: count
		go func() { // pair: forwarder
			defer wg.Done() // pair: done
			for v := range in {
				out <- v // pair: send
			}
		}()
	}
	go func() {
		wg.Wait()  // pair: close
		close(out) // exactly once, after the last send // pair: close
	}()
	return out // pair: return
}

// ANCHOR_END: many_senders
