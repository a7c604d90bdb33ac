// Command copylock copies structs that hold a sync.Mutex. It compiles and
// runs, and `go vet` reports every copy. It lives under testdata/ so that
// `go vet ./...` of the module stays clean; value_test.go runs both
// `go vet` and `go run` on it and checks their output.
//
//	go run ./value/testdata/copylock
package main

import (
	"fmt"
	"sync"
)

// ANCHOR: copylock
// Stats guards its hits with a mutex.
type Stats struct {
	mu   sync.Mutex // pair: lock
	hits int        // pair: lock
}

// Hit has a value receiver: it locks the copy's mutex and counts in the copy.
func (s Stats) Hit() { // pair: receiver
	s.mu.Lock() // pair: count
	defer s.mu.Unlock()
	s.hits++ // pair: count
}

// ANCHOR_END: copylock

func main() {
	// ANCHOR: copylock_main
	var s Stats
	s.Hit()
	s.Hit()
	fmt.Println("hits after two Hit calls:", s.hits)

	s.mu.Lock()
	snapshot := s // copies the mutex in its locked state
	s.mu.Unlock()
	fmt.Println("snapshot's lock free?   ", snapshot.mu.TryLock())

	other := s // copies an unlocked mutex
	s.mu.Lock()
	fmt.Println("copy's lock free while s is locked?", other.mu.TryLock())
	// ANCHOR_END: copylock_main
}
