// This file is not compiled with the module (it is under testdata/):
// value_test.go type-checks it and expects the error in mapfield.out.
package mapfield

type Item struct {
	Name string
	N    int
}

// ANCHOR: mapfield
func restock(stock map[string]Item) {
	stock["pen"].N++ // compile error: a map element is not addressable
}

// ANCHOR_END: mapfield
