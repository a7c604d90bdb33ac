//go:build go1.20

// Command oldbuild asks for Go 1.20 in its build line, and gets Go 1.21: the
// go command raises a file version below go1.21 to go1.21. So `max` (new in
// 1.21) compiles, and the loop still has one variable (the 1.22 change is not
// applied). value_test.go runs it; it is under testdata/ to stay out of
// `go vet ./...` (loopclosure would report the captured variable).
package main

import "fmt"

func main() {
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println("max:", max(1, 2))
}
