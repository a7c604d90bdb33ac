//go:build go1.21

// This file is compiled with the language version of Go 1.21 (the build
// constraint downgrades it), when a for loop had one variable for all its
// iterations.

package closing

func sharedLoopVariable() []int {
	var fs []func() int
	for p := 0; p < 3; p++ {
		fs = append(fs, func() int { return p })
	}
	var got []int
	for _, f := range fs {
		got = append(got, f())
	}
	return got
}
