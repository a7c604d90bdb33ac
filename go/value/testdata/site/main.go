// Command site is the Go service that exercise value_site ports: a struct
// that holds its lock and its table of page views, a value receiver, and a
// copy of the struct for every worker. A copy of the struct copies the lock
// and the map *value*, which is a pointer to the one table: every worker
// writes the same table, each under a lock of its own. That is a data race;
// `go run -race` reports it. It lives under testdata/ so that `go vet ./...`
// of the module (copylocks) stays clean; value_test.go runs it, with and
// without -race, and checks what it prints.
//
//	go run ./value/testdata/site
//	go run -race ./value/testdata/site
package main

import (
	"fmt"
	"reflect"
	"sync"
)

// ANCHOR: site
// Site counts page views; mu is meant to guard views.
type Site struct {
	mu    sync.Mutex
	views map[string]int
}

// View has a value receiver: s is a copy of the caller's Site, with a copy
// of its lock, and the same map.
func (s Site) View(page string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.views[page]++
}

// ANCHOR_END: site

func main() {
	// ANCHOR: site_main
	site := Site{views: map[string]int{}}
	worker := site // what `go work(site)` hands each worker

	same := reflect.ValueOf(worker.views).UnsafePointer() == reflect.ValueOf(site.views).UnsafePointer()
	fmt.Println("the copy's table is the site's table:", same)

	site.mu.Lock()
	fmt.Println("the copy's lock is free while the site's is held:", worker.mu.TryLock())
	site.mu.Unlock()

	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(s Site) { // a copy for each worker: one table, two locks
			defer wg.Done()
			s.View("home")
		}(site)
	}
	wg.Wait()
	// ANCHOR_END: site_main
}
