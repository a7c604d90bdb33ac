//go:build go1.21

// The build line above sets this file's language version to Go 1.21, older
// than the module's 1.23, so its loop has the old semantics: one variable for
// the whole loop (the test of this program checks that it prints 3 3 3).

package main

import "fmt"

func before122() {
	// ANCHOR: before_122
	var prints []func()
	for i := 0; i < 3; i++ {
		prints = append(prints, func() { fmt.Print(i, " ") })
	}
	fmt.Print("go 1.21 and earlier: ")
	for _, p := range prints {
		p() // every closure sees the one i, which ended at 3
	}
	fmt.Println()
	// ANCHOR_END: before_122
}
