package profile

import (
	"bytes"
	"reflect"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
)

var kept []byte

//go:noinline
func allocate() { kept = make([]byte, 1<<20) }

// A heap profile written by runtime/pprof reads back with its sample types,
// and charges a live 1 MiB allocation to the function that made it, with
// its callers after it.
func TestParseAHeapProfile(t *testing.T) {
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	runtime.MemProfileRate = 1
	allocate()
	runtime.GC()

	var buf bytes.Buffer
	if err := pprof.Lookup("heap").WriteTo(&buf, 0); err != nil {
		t.Fatal(err)
	}
	p, err := Parse(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"alloc_objects", "alloc_space", "inuse_objects", "inuse_space"}; !reflect.DeepEqual(p.SampleTypes, want) {
		t.Fatalf("sample types %q, want %q", p.SampleTypes, want)
	}
	// The profile has one sample per stack and object size; under load, a
	// few more small objects can be charged to the same stack.
	inuse := p.Index("inuse_space")
	var live int64
	for _, s := range p.Samples {
		if len(s.Stack) >= 2 && strings.HasSuffix(s.Stack[0], "profile.allocate") &&
			strings.HasSuffix(s.Stack[1], "profile.TestParseAHeapProfile") {
			live += s.Values[inuse]
		}
	}
	if live < 1<<20 || live >= 1<<20+4096 {
		t.Errorf("allocate, called by TestParseAHeapProfile, is charged %d live bytes, want %d (at most 4 KiB more)", live, 1<<20)
	}
	runtime.KeepAlive(kept)
}

func TestParseRejectsGarbage(t *testing.T) {
	if _, err := Parse([]byte{0x0a, 0xff}); err == nil {
		t.Error("a truncated message parsed without an error")
	}
}
