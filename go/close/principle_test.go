package closing

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

func TestCountdownDeliversEverythingThenCloses(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var got []int
	leaktest.Returns(t, "ranging over Countdown(3)", func() {
		for v := range Countdown(3) { // ends only because the sender closed
			got = append(got, v)
		}
	})
	if want := []int{3, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("Countdown(3) delivered %v, want %v", got, want)
	}
}

func TestMergeClosesOnceAfterAllSenders(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	var got []int
	leaktest.Returns(t, "ranging over Merge(...)", func() {
		for v := range Merge(Countdown(3), Countdown(2), Countdown(0)) {
			got = append(got, v)
		}
	})
	slices.Sort(got) // arrival order depends on scheduling
	if want := []int{1, 1, 2, 2, 3}; !slices.Equal(got, want) {
		t.Errorf("Merge delivered %v, want %v in some order", got, want)
	}
}

// ANCHOR: panics
func closeTwice() {
	ch := make(chan int)
	close(ch)
	close(ch) // panics
}

func sendAfterClose() {
	ch := make(chan int, 1) // there is room in the buffer...
	close(ch)
	ch <- 1 // ...and it still panics
}

func closeNil() {
	var ch chan int
	close(ch) // panics
}

func receiveAfterClose() string {
	ch := make(chan int, 1)
	ch <- 7
	close(ch)
	v1, ok1 := <-ch // a value sent before the close is still delivered
	v2, ok2 := <-ch // then the zero value, at once, forever
	return fmt.Sprint(v1, ok1, " then ", v2, ok2)
}

// ANCHOR_END: panics

// recovered runs f and returns the message of the panic it raised.
func recovered(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint("panic: ", r)
		}
	}()
	f()
	return "no panic"
}

func TestClosedChannelRules(t *testing.T) {
	var out strings.Builder
	fmt.Fprintln(&out, "close twice:        ", recovered(closeTwice))
	fmt.Fprintln(&out, "send after close:   ", recovered(sendAfterClose))
	fmt.Fprintln(&out, "close a nil channel:", recovered(closeNil))
	fmt.Fprintln(&out, "receive after close:", receiveAfterClose())
	got := out.String()
	for _, claim := range []string{
		"panic: close of closed channel",
		"panic: send on closed channel",
		"panic: close of nil channel",
		"7 true then 0 false",
	} {
		if !strings.Contains(got, claim) {
			t.Errorf("missing %q in:\n%s", claim, got)
		}
	}
	golden.Check(t, "testdata/panics.out", []byte(got))
}

// The compiler, not a convention, keeps a receiver from closing a
// receive-only channel. go/types gives the same error as `go build`.
func TestReceiverCannotCloseReceiveOnlyChannel(t *testing.T) {
	const path = "testdata/receiver_close.go"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	conf := types.Config{Error: func(err error) { errs = append(errs, err.Error()) }}
	conf.Check("receiver", fset, []*ast.File{f}, nil)
	got := strings.Join(errs, "\n") + "\n"
	if len(errs) != 1 || !strings.Contains(got, "cannot close receive-only channel") {
		t.Errorf("type-checking %s: want exactly one error, about closing a receive-only channel; got:\n%s", path, got)
	}
	golden.Check(t, "testdata/receiver_close.out", []byte(got))
}
