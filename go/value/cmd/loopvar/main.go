// Command loopvar shows Go 1.22's per-iteration loop variables. This module
// says `go 1.23`, so main's loop creates a new i for each iteration; the
// file before.go says `//go:build go1.21`, which makes it keep the language
// of Go 1.21, where one i lived through the whole loop.
//
//	go run ./value/cmd/loopvar
package main

import "fmt"

func main() {
	// ANCHOR: since_122
	var prints []func()      // pair: closures
	for i := 0; i < 3; i++ { // pair: loop
		prints = append(prints, func() { fmt.Print(i, " ") }) // pair: capture
	}
	fmt.Print("go 1.22 and later: ")
	for _, p := range prints { // pair: call
		p() // pair: call
	}
	fmt.Println()
	// ANCHOR_END: since_122
	before122()
}
