package leaktest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

const programEnv = "WORKBOOK_RUN_PROGRAM"

// ProgramMain is the TestMain of a program whose tests run it in a child
// process with Run: in that child it runs main and nothing else, in the
// parent it runs the tests.
//
// In the child, main is called by the main goroutine before the testing
// package has started anything (no other goroutine, no test timer), so the
// runtime treats the process as it treats `go run`: a panic that nothing
// recovers or a deadlock of every goroutine ends it with exit status 2 and
// a report on standard error; when main returns, the process exits with
// status 0.
func ProgramMain(m *testing.M, main func()) {
	if os.Getenv(programEnv) != "" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Exit is how a program run by Run ended.
type Exit struct {
	Stdout, Stderr string
	Code           int // the exit status

	// The import path of the program's package. In a test binary, stack
	// traces name package main by its import path.
	pkg string
}

// Run runs the program of the calling test's package in a child process
// (the test binary itself: its TestMain must be ProgramMain) and returns
// what it printed and its exit status. The child runs with GOTRACEBACK=single,
// the default, whatever the caller's environment says. If it has not ended
// within 30 s, Run kills it and fails t.
func Run(t *testing.T) Exit {
	t.Helper()
	pkg := "main"
	if pc, _, _, ok := runtime.Caller(1); ok {
		// "example.com/workbook/leak/cmd/deadlock.TestX": the caller's package.
		name := runtime.FuncForPC(pc).Name()
		slash := strings.LastIndex(name, "/")
		if dot := strings.Index(name[slash+1:], "."); dot >= 0 {
			pkg = name[:slash+1+dot]
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0])
	cmd.Env = append(os.Environ(), programEnv+"=1", "GOTRACEBACK=single")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	exit := Exit{Stdout: stdout.String(), Stderr: stderr.String(), pkg: pkg}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("the program did not end within 30 s (killed).\nstdout:\n%s\nstderr:\n%s", exit.Stdout, exit.Stderr)
	case errors.As(err, &exitErr):
		exit.Code = exitErr.ExitCode()
	case err != nil:
		t.Fatalf("running the program: %v", err)
	}
	return exit
}

// Transcript is what `go run` shows in a terminal (standard output, then
// standard error, then go run's "exit status N" line when N is not 0), made
// reproducible: in the stack traces of a panic or a fatal error, goroutine
// numbers other than 1 (main) become N, call arguments become "...", file
// positions are left out, and the program's package is called main, as in
// `go run`; main's stack ends at main.main (below it, a test binary has
// frames of its own).
func (e Exit) Transcript() string {
	var b strings.Builder
	b.WriteString(e.Stdout)
	stderr := e.Stderr
	if e.pkg != "main" {
		stderr = strings.ReplaceAll(stderr, e.pkg+".", "main.")
	}
	b.WriteString(Traceback(stderr))
	if e.Code != 0 {
		fmt.Fprintf(&b, "exit status %d\n", e.Code)
	}
	return b.String()
}

var (
	goroutineID = regexp.MustCompile(`goroutine (\d+)`)
	callArgs    = regexp.MustCompile(`^(\S+?)\(([^()]+)\)$`)
)

// Traceback makes the stack traces in stderr reproducible (see Transcript).
// Other lines are kept as they are.
func Traceback(stderr string) string {
	var b strings.Builder
	skip := false // below main.main, until the end of this goroutine's trace
	for _, line := range strings.SplitAfter(stderr, "\n") {
		text := strings.TrimSuffix(line, "\n")
		switch {
		case text == "":
			skip = false
		case skip:
			continue
		case strings.HasPrefix(text, "\t"):
			continue // file:line +offset
		case strings.HasPrefix(text, "goroutine ") || strings.HasPrefix(text, "created by "):
			line = goroutineID.ReplaceAllStringFunc(line, func(s string) string {
				if s == "goroutine 1" {
					return s
				}
				return "goroutine N"
			})
		case callArgs.MatchString(text):
			line = callArgs.ReplaceAllString(text, "$1(...)") + "\n"
			skip = strings.HasPrefix(line, "main.main(")
		case text == "main.main()":
			skip = true
		}
		b.WriteString(line)
	}
	return b.String()
}
