// Package lint holds the story's lost append, alone, for staticcheck: the
// compiler and go vet accept it (see slices/cmd/lost), staticcheck does not.
//
// The package imports nothing on purpose: Debian's go-staticcheck 2023.1
// was built with an older Go and cannot type-check Go 1.23's standard
// library, but it can check a package that does not import it.
package lint

// ANCHOR: lost
// AddTags appends to its own copy of the header and then drops it.
func AddTags(tags []string, more ...string) {
	tags = append(tags, more...)
}

// ANCHOR_END: lost

// ANCHOR: lost_local
// Collect builds a slice that nothing reads: only appended to.
func Collect(tags []string, more ...string) {
	var all []string
	all = append(all, tags...)
	all = append(all, more...)
}

// ANCHOR_END: lost_local
