// Package goroutines counts goroutines in a way that does not depend on
// scheduling, so that the numbers the listings print are reproducible.
//
// runtime.NumGoroutine also counts goroutines that have finished their work
// (wg.Done has run, Wait has returned) but have not yet exited. Settle waits
// until no goroutine other than the caller is runnable, running or sleeping:
// every other one is parked on a channel, a lock, a select or a system call.
// From then on nothing can change without the caller (the listings use no
// timers), so the count is exact. This is the idea behind goleak's retries,
// without needing to know the expected answer in advance.
package goroutines

import (
	"bytes"
	"runtime"
	"time"
)

// Settle waits, with bounded retries, until every goroutine except the
// caller is parked, then returns runtime.NumGoroutine(). If that does not
// happen within about two seconds it returns the last count and ok=false.
func Settle() (n int, ok bool) {
	deadline := time.Now().Add(2 * time.Second)
	for delay := time.Microsecond; ; delay = min(2*delay, 10*time.Millisecond) {
		if Quiet() {
			return runtime.NumGoroutine(), true
		}
		if time.Now().After(deadline) {
			return runtime.NumGoroutine(), false
		}
		time.Sleep(delay)
	}
}

// Quiet reports whether, in one stop-the-world snapshot of all goroutines,
// none but the caller (always listed first) is running, runnable or in
// time.Sleep. A goroutine that sleeps will wake up by itself; one blocked on
// a channel or a lock needs another goroutine to wake it.
func Quiet() bool {
	dump := Stacks()
	first := true
	for _, line := range bytes.Split(dump, []byte("\n")) {
		state, isHeader := headerState(line)
		if !isHeader {
			continue
		}
		if first {
			first = false
			continue
		}
		for _, live := range []string{"running", "runnable", "sleep"} {
			if bytes.HasPrefix(state, []byte(live)) {
				return false
			}
		}
	}
	return true
}

// headerState returns "chan receive" for a line like
// "goroutine 7 [chan receive, 2 minutes]:".
func headerState(line []byte) (state []byte, ok bool) {
	if !bytes.HasPrefix(line, []byte("goroutine ")) || !bytes.HasSuffix(line, []byte("]:")) {
		return nil, false
	}
	open := bytes.IndexByte(line, '[')
	if open < 0 {
		return nil, false
	}
	return line[open+1 : len(line)-2], true
}

// Stacks returns the stack traces of all goroutines (runtime.Stack with
// all=true), growing the buffer until they fit.
func Stacks() []byte {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}
