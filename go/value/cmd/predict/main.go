// Command predict runs the five puzzles of exercise value_predict. The
// exercise quotes each puzzle, and its checks compare the learner's answer
// with this program's checked output, value/testdata/predict.out.
//
//	go run ./value/cmd/predict
package main

import "fmt"

func main() {
	for i, puzzle := range []func(){puzzle1, puzzle2, puzzle3, puzzle4, puzzle5} {
		fmt.Println("-- puzzle", i+1)
		puzzle()
	}
}

// ANCHOR: puzzle1
type Team struct {
	Name   string
	Scores []int
}

func puzzle1() {
	a := Team{"a", []int{1, 2}}
	b := a
	b.Name = "b"
	b.Scores[0] = 9
	fmt.Println(a, b)
}

// ANCHOR_END: puzzle1

// ANCHOR: puzzle2
type Box struct{ n int }

func (b Box) Double()    { b.n *= 2 }
func (b *Box) Add(k int) { b.n += k }

func puzzle2() {
	bx := Box{1}
	bx.Double()
	bx.Add(2)
	bx.Double()
	fmt.Println(bx.n)
}

// ANCHOR_END: puzzle2

// ANCHOR: puzzle3
func puzzle3() {
	nums := [3]int{1, 2, 3}
	for i, v := range nums {
		nums[2] = 10
		if i == 2 {
			fmt.Println(v)
		}
	}
	fmt.Println(nums)
}

// ANCHOR_END: puzzle3

// ANCHOR: puzzle4
type Point struct{ X, Y int }

func puzzle4() {
	byName := map[string]Point{"p": {1, 2}}
	p := byName["p"]
	p.X = 5
	ptrs := map[string]*Point{"p": {1, 2}}
	q := ptrs["p"]
	q.X = 5
	fmt.Println(byName["p"], *ptrs["p"])
}

// ANCHOR_END: puzzle4

// ANCHOR: puzzle5
func reset(a [3]int, s []int) {
	a[0] = 0
	s[0] = 0
}

func puzzle5() {
	a := [3]int{1, 2, 3}
	s := []int{1, 2, 3}
	reset(a, s)
	fmt.Println(a, s)
}

// ANCHOR_END: puzzle5
