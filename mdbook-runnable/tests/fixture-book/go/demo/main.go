// The program `cd go && go run ./demo` names in the fixture book: run
// commands must point at a main package that exists.
package main

import "fmt"

func main() {
	fmt.Println("hello gopher")
}
