// Package golden compares program output with checked-in files, so that
// output shown in the book cannot drift from what the program prints.
//
// Every test package of this module imports it, because `go test ./... -update`
// hands -update to every test binary and a binary that does not define the
// flag refuses to start.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files instead of comparing with them")

// Check fails t unless got equals the content of the file at path. With
// -update it writes got to path instead.
func Check(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", path)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./... -update` to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (if the change is intended, run `go test ./... -update`)\n--- got:\n%s--- want:\n%s", path, got, want)
	}
}

// Stdout runs f and returns what it wrote to os.Stdout. The listings print
// with fmt.Println, as a reader would write them; swapping os.Stdout keeps
// them that way. A temporary file is used rather than a pipe so that no
// reader goroutine is added to the goroutine counts the programs print.
//
// f runs in its own goroutine and Stdout fails t if it has not returned
// within 30 s, so that a program that deadlocks fails its test instead of
// hanging `go test`. (The waiting goroutine is parked in a select, so the
// programs' goroutine deltas do not see it change.)
func Stdout(t *testing.T, f func()) []byte {
	t.Helper()
	tmp, err := os.CreateTemp(t.TempDir(), "stdout")
	if err != nil {
		t.Fatal(err)
	}
	defer tmp.Close()
	saved := os.Stdout
	os.Stdout = tmp
	defer func() { os.Stdout = saved }()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		buf := make([]byte, 1<<20)
		t.Fatalf("the program did not return within 30 s; all goroutines:\n%s", buf[:runtime.Stack(buf, true)])
	}
	out, err := os.ReadFile(tmp.Name())
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Contains fails t for every claim that out does not contain. Tests check the
// book's key lines this way as well as with Check, so that -update cannot
// bless a change to them.
func Contains(t *testing.T, out string, claims []string) {
	t.Helper()
	for _, claim := range claims {
		if !strings.Contains(out, claim) {
			t.Errorf("the output should contain %q; the program printed:\n%s", claim, out)
		}
	}
}
