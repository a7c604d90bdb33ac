package main

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"example.com/workbook/internal/golden"
)

// Each rule is checked on its own, so that -update cannot bless a change
// to it; then the whole output is compared with the golden file.

func TestReceiveAfterCloseDrainsThenZeroFalseWithoutBlocking(t *testing.T) {
	if got, want := receiveAfterClose(), "7 true, then 0 false, then 0 false"; got != want {
		t.Errorf("receiveAfterClose() = %q, want %q", got, want)
	}
}

func TestCloseTwiceSendAfterCloseCloseNilPanic(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"closeTwice", closeTwice, "close of closed channel"},
		{"sendAfterClose", sendAfterClose, "send on closed channel"},
		{"closeNil", closeNil, "close of nil channel"},
	} {
		// The panic value is a runtime.Error: the runtime, not the program, raised it.
		var got any
		func() {
			defer func() { got = recover() }()
			c.f()
		}()
		var rerr runtime.Error
		if err, ok := got.(error); !ok || !errors.As(err, &rerr) || rerr.Error() != c.want {
			t.Errorf("%s panicked with %#v; want a runtime.Error %q", c.name, got, c.want)
		}
		if msg := recovered(c.f); msg != "panic: "+c.want {
			t.Errorf("recovered(%s) = %q, want %q", c.name, msg, "panic: "+c.want)
		}
	}
}

func TestOutput(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	out := string(golden.Stdout(t, main))
	for _, claim := range []string{
		"receive after close: 7 true, then 0 false, then 0 false\n",
		"close twice:         panic: close of closed channel\n",
		"send after close:    panic: send on closed channel\n",
		"close a nil channel: panic: close of nil channel\n",
	} {
		if !strings.Contains(out, claim) {
			t.Errorf("missing %q in:\n%s", claim, out)
		}
	}
	if n := strings.Count(out, "\n"); n != 4 {
		t.Errorf("want one line per rule (4), got %d:\n%s", n, out)
	}
	golden.Check(t, "../../testdata/rules.out", []byte(out))
}
