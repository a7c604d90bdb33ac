// Command predict runs the five short programs of the exercise
// slice_predict; the learner predicts what each one prints.
//
//	go run ./slices/cmd/predict
package main

import "fmt"

// ANCHOR: puzzle1
func zeroFirst(s []int) { s[0] = 0 }

func addFour(s []int) { s = append(s, 4) }

func puzzle1() {
	s := []int{1, 2, 3}
	zeroFirst(s)
	addFour(s)
	fmt.Println(s, len(s), cap(s))
}

// ANCHOR_END: puzzle1

// ANCHOR: puzzle2
func puzzle2() {
	s := make([]int, 3, 10)
	a := append(s, 1)
	b := append(s, 2)
	fmt.Println(a, b)
}

// ANCHOR_END: puzzle2

// ANCHOR: puzzle3
func puzzle3() {
	s := []int{1, 2, 3, 4, 5}
	t := s[1:3]
	t = append(t, 99)
	fmt.Println(s, t, len(t), cap(t))
}

// ANCHOR_END: puzzle3

// ANCHOR: puzzle4
func puzzle4() {
	s := []int{1, 2, 3, 4, 5}
	t := s[1:3:3]
	t = append(t, 99)
	t[0] = 0
	fmt.Println(s, t, len(t), cap(t))
}

// ANCHOR_END: puzzle4

// ANCHOR: puzzle5
func puzzle5() {
	s := []int{1, 2, 3}
	s = append(s, 4)
	fmt.Println(len(s), cap(s))
	s = append(s, 5, 6, 7)
	fmt.Println(len(s), cap(s))
}

// ANCHOR_END: puzzle5

func main() {
	for i, puzzle := range []func(){puzzle1, puzzle2, puzzle3, puzzle4, puzzle5} {
		fmt.Printf("-- puzzle %d\n", i+1)
		puzzle()
	}
}
