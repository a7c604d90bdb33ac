// Command goroutines shows what does report the leak in Go 1.23: the
// goroutine profile. It runs the leaky job on five failing batches, then
// prints the profile as net/http/pprof's /debug/pprof/goroutine?debug=1
// would: goroutines grouped by identical stack, with a count.
//
//	go run ./leak/cmd/goroutines
package main

import (
	"bytes"
	"fmt"

	"os"
	"regexp"
	"runtime/pprof"
	"strings"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/leak"
)

// ANCHOR: goroutines
func main() {
	for range 5 {
		leak.RunJobLeaky(leak.NewSource(4, 7)) // record 7 is corrupt
	}
	goroutines.Settle() // every leaked consumer is parked

	var profile bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&profile, 1) // debug=1: grouped, readable
	os.Stdout.Write(jobStacks(normalise(profile.Bytes())))

	var dump bytes.Buffer
	pprof.Lookup("goroutine").WriteTo(&dump, 2) // debug=2: one stack per goroutine, with its state
	fmt.Println("state of each goroutine in RunJobLeaky.func2 (debug=2):", states(dump.String(), "leak.RunJobLeaky.func2("))
}

// ANCHOR_END: goroutines

var (
	// "5 @ 0x43f1ce 0x4098c5 ..." -> "5 @ ..."
	pcs = regexp.MustCompile(`(?m)^(\d+) @ .*$`)
	// "#	0x4c7a44	example.com/workbook/leak.RunJobLeaky.func2+0x84	/home/u/go/leak/pipeline.go:47"
	// -> "#	example.com/workbook/leak.RunJobLeaky.func2"
	frame = regexp.MustCompile(`(?m)^#\t0x[0-9a-f]+\t(\S+?)\+0x[0-9a-f]+\t.*$`)
)

// normalise keeps what the profile says and drops what changes from build
// to build: program counters, offsets, file paths and line numbers.
func normalise(p []byte) []byte {
	p = pcs.ReplaceAll(p, []byte("$1 @ ..."))
	return frame.ReplaceAll(p, []byte("#\t$1"))
}

// jobStacks keeps the profile's header and the groups of goroutines whose
// stack is in package leak; the other group is main, writing the profile.
func jobStacks(p []byte) []byte {
	header, body, _ := strings.Cut(string(p), "\n") // "goroutine profile: total N"
	out := header + "\n"
	for _, g := range strings.Split(body, "\n\n") {
		if strings.Contains(g, "workbook/leak.") {
			out += strings.TrimSuffix(g, "\n") + "\n"
		}
	}
	return []byte(out)
}

// states counts the states in the header lines ("goroutine 7 [chan
// receive]:") of the goroutines of a debug=2 dump whose stack calls fn:
// "5 × [chan receive]".
func states(dump, fn string) string {
	count := map[string]int{}
	var order []string
	for _, g := range strings.Split(dump, "\n\n") {
		if !strings.Contains(g, "\nexample.com/workbook/"+fn) {
			continue
		}
		header, _, _ := strings.Cut(g, "\n")
		state := header[strings.IndexByte(header, '[') : strings.IndexByte(header, ']')+1]
		if count[state] == 0 {
			order = append(order, state)
		}
		count[state]++
	}
	var parts []string
	for _, st := range order {
		parts = append(parts, fmt.Sprintf("%d × %s", count[st], st))
	}
	return strings.Join(parts, ", ")
}
