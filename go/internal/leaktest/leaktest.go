// Package leaktest holds the test helpers that prove what the book says
// about goroutine leaks.
//
// A test that demonstrates a leak leaves goroutines behind for the rest of
// the process. So that they cannot disturb the other tests of the package
// (or goleak's end-of-package check), such a test runs in a child process:
// the test binary re-executes itself with -test.run naming only that test,
// the standard Go pattern for tests that must not share a process.
// Everything else in the package is checked with goleak as usual.
package leaktest

import (
	"flag"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"example.com/workbook/internal/goroutines"
)

const childEnv = "WORKBOOK_ISOLATED_TEST"

// Main is the TestMain of a package with isolated leak tests. In the parent
// process it is goleak.VerifyTestMain: the package as a whole must leak
// nothing. In a child process it only runs the one test, which leaks on
// purpose.
func Main(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(m.Run())
	}
	goleak.VerifyTestMain(m)
}

// Isolated reports whether t runs in its own child process. Called from a
// top-level test in the parent, it runs that test in a child process,
// fails t if the child fails, and returns false; the caller then returns.
//
//	if !leaktest.Isolated(t) {
//		return
//	}
func Isolated(t *testing.T) bool {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		return true
	}
	args := []string{"-test.run=^" + regexp.QuoteMeta(t.Name()) + "$",
		"-test.count=1", "-test.v", "-test.timeout=2m"}
	if f := flag.Lookup("update"); f != nil && f.Value.String() == "true" {
		args = append(args, "-update") // golden files are written by the child
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s, run in its own process, failed (%v):\n%s", t.Name(), err, out)
	}
	t.Logf("%s, run in its own process:\n%s", t.Name(), out)
	return false
}

// Goroutine is one goroutine that goleak reported as unexpected.
type Goroutine struct {
	ID    int
	State string // e.g. "chan receive"
	Stack string // the full stack trace
}

var header = regexp.MustCompile(`Goroutine (\d+) in state (.+?), with \S+ on top of the stack:\n`)

// Leaked returns the goroutines that goleak.Find reports, given options
// such as a goleak.IgnoreCurrent() snapshot taken before the code under
// test ran. goleak retries for about half a second before it reports a
// leak, so that goroutines that are about to exit are not counted.
func Leaked(opts ...goleak.Option) []Goroutine {
	err := goleak.Find(opts...)
	if err == nil {
		return nil
	}
	// goleak's message lists each goroutine as
	// "Goroutine <id> in state <state>, with <func> on top of the stack:\n<stack>".
	msg := err.Error()
	idx := header.FindAllStringSubmatchIndex(msg, -1)
	gs := make([]Goroutine, 0, len(idx))
	for i, m := range idx {
		end := len(msg)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		id, _ := strconv.Atoi(msg[m[2]:m[3]])
		gs = append(gs, Goroutine{ID: id, State: msg[m[4]:m[5]], Stack: msg[m[1]:end]})
	}
	return gs
}

// Count returns how many of gs are in the given state with fn somewhere on
// their stack.
func Count(gs []Goroutine, state, fn string) int {
	n := 0
	for _, g := range gs {
		if strings.HasPrefix(g.State, state) && strings.Contains(g.Stack, fn) {
			n++
		}
	}
	return n
}

// Dump formats gs as goroutine stack traces, for failure messages.
func Dump(gs []Goroutine) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(strings.TrimSpace(g.Stack))
		b.WriteString("\n\n")
	}
	return b.String()
}

// Returns runs f in a new goroutine and waits until it returns, so that a
// job that deadlocks fails its test instead of hanging `go test`. If every
// other goroutine is parked on a channel or a lock while f has not
// returned, nothing can ever wake f: Returns fails t at once, with all
// goroutine stacks. If f is still busy after 10 s, it fails t too.
//
// f must not wait on timers (time.Sleep, goroutines.Settle): a sleeping
// goroutine is not parked, so Returns would only notice after 10 s.
func Returns(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	deadline := time.Now().Add(10 * time.Second)
	for delay := time.Microsecond; ; delay = min(2*delay, 10*time.Millisecond) {
		select {
		case <-done:
			return
		default:
		}
		quiet := goroutines.Quiet()
		select {
		case <-done:
			return
		default:
		}
		switch {
		case quiet:
			t.Fatalf("%s never returns: every goroutine is blocked and none can wake the others.\nAll goroutines:\n%s",
				what, goroutines.Stacks())
		case time.Now().After(deadline):
			t.Fatalf("%s did not return within 10 s.\nAll goroutines:\n%s", what, goroutines.Stacks())
		}
		time.Sleep(delay)
	}
}

// Within is Returns for an f that itself waits for goroutines to settle
// (and so sleeps): the caller parks in a select, where f's
// goroutines.Settle sees it as parked, and fails t if f has not returned
// within d.
func Within(t *testing.T, what string, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v.\nAll goroutines:\n%s", what, d, goroutines.Stacks())
	}
}
