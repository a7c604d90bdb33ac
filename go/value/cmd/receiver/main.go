// Command receiver shows the lost update through a value receiver, the twin
// of the lost append of chapter 4: the method gets a copy of the struct, so
// its changes die with the call. A pointer receiver is the fix.
//
//	go run ./value/cmd/receiver
package main

import "fmt"

// ANCHOR: value_receiver
// Counter counts hits.
type Counter struct {
	hits int
}

// Inc has a value receiver: c is a copy of the caller's Counter.
func (c Counter) Inc() {
	c.hits++
}

// ANCHOR_END: value_receiver

// ANCHOR: pointer_receiver
// PCounter is the same counter with a pointer receiver.
type PCounter struct {
	hits int
}

// Inc gets the address of the caller's PCounter and changes it.
func (c *PCounter) Inc() { // pair: pointer-receiver
	c.hits++ // pair: inc
}

// ANCHOR_END: pointer_receiver

func main() {
	// ANCHOR: receiver_main
	var c Counter
	c.Inc()
	c.Inc()
	fmt.Println("value receiver:  ", c.hits)

	var p PCounter
	p.Inc() // Go takes &p for you, because p is addressable
	p.Inc()
	fmt.Println("pointer receiver:", p.hits)

	counters := map[string]PCounter{"a": {}}
	a := counters["a"] // a copy: the map's element is not addressable
	a.Inc()
	fmt.Println("copy from a map: ", a.hits, counters["a"].hits)
	// ANCHOR_END: receiver_main
}
