package main

import "fmt"

// ANCHOR: greet
func greet(names []string) {
	for _, n := range names {
		fmt.Println("hello", n) // GO-MARKER
	}
}
// ANCHOR_END: greet

func main() {
	greet([]string{"gopher"})
}
