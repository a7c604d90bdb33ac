// Command rules shows the four rules of a closed channel (chapter 2): a
// receive after the close gets the values sent before it, then the zero
// value and ok=false without blocking; closing a closed channel, sending on
// a closed channel and closing a nil channel panic. Each panic is recovered,
// so that the program prints one line per rule and exits normally.
//
//	go run ./close/cmd/rules
//
// Its output is close/testdata/rules.out; main_test.go checks both.
package main

import "fmt"

// ANCHOR: rules
func main() {
	fmt.Println("receive after close:", receiveAfterClose())
	fmt.Println("close twice:        ", recovered(closeTwice))
	fmt.Println("send after close:   ", recovered(sendAfterClose))
	fmt.Println("close a nil channel:", recovered(closeNil))
}

func receiveAfterClose() string {
	ch := make(chan int, 1)
	ch <- 7
	close(ch)
	v, ok := <-ch // a value sent before the close is still delivered
	got := fmt.Sprint(v, " ", ok)
	for range 2 {
		select {
		case v, ok := <-ch: // ready at once: the zero value and false, every time
			got += fmt.Sprint(", then ", v, " ", ok)
		default: // taken only if the receive would block
			got += ", then it would block"
		}
	}
	return got
}

func closeTwice() {
	ch := make(chan int)
	close(ch)
	close(ch) // panics
}

func sendAfterClose() {
	ch := make(chan int, 1) // there is room in the buffer...
	close(ch)
	ch <- 1 // ...and it still panics
}

func closeNil() {
	var ch chan int
	close(ch) // panics
}

// recovered runs f and returns the message of the panic it raised.
func recovered(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint("panic: ", r)
		}
	}()
	f()
	return "no panic"
}

// ANCHOR_END: rules
