// Package value holds the tests of chapter 5's Go claims that are not a
// program's output: two files that must not compile (type-checked here, the
// error kept in a golden file the book quotes), and a program that copies a
// mutex, which `go vet` must report.
package value

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
)

// typeErrors type-checks one file on its own and returns its errors, one a line.
func typeErrors(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	conf := types.Config{Error: func(err error) { errs = append(errs, err.Error()) }}
	conf.Check(f.Name.Name, fset, []*ast.File{f}, nil)
	return errs
}

func TestMapElementFieldCannotBeAssigned(t *testing.T) {
	errs := typeErrors(t, "testdata/mapfield.go")
	got := strings.Join(errs, "\n") + "\n"
	if len(errs) != 1 || !strings.Contains(got, `cannot assign to struct field stock["pen"].N in map`) {
		t.Errorf("type-checking testdata/mapfield.go: want exactly one error, about assigning to a struct field in a map; got:\n%s", got)
	}
	golden.Check(t, "testdata/mapfield.out", []byte(got))
}

func TestValueDoesNotHaveAPointerReceiverMethod(t *testing.T) {
	errs := typeErrors(t, "testdata/methodset.go")
	got := strings.Join(errs, "\n") + "\n"
	if len(errs) != 1 || !strings.Contains(got, "PCounter does not implement Incrementer (method Inc has pointer receiver)") {
		t.Errorf("type-checking testdata/methodset.go: want exactly one error, about the pointer receiver; got:\n%s", got)
	}
	golden.Check(t, "testdata/methodset.out", []byte(got))
}

// goCommand runs the go command found on PATH (the one running `go test`, when
// run by `go test` or `cargo xtask go`) from the module root, with the
// environment of the test (GOFLAGS, GOPROXY, GOTOOLCHAIN are inherited).
func goCommand(t *testing.T, args ...string) (string, error) {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, args...)
	cmd.Dir = ".." // the module root: paths in vet's output start with value/
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestVetReportsEveryCopiedLock(t *testing.T) {
	out, err := goCommand(t, "vet", "./value/testdata/copylock")
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("go vet ./value/testdata/copylock: want exit status 1 (problems reported), got %v; it printed:\n%s", err, out)
	}
	// Keep the vet lines only (not the "# package" header), without columns,
	// which move when a line is reformatted; the line numbers stay.
	var lines []string
	col := regexp.MustCompile(`^(\S+\.go:\d+):\d+: `)
	for _, line := range strings.Split(out, "\n") {
		if col.MatchString(line) {
			lines = append(lines, col.ReplaceAllString(line, "$1: "))
		}
	}
	got := strings.Join(lines, "\n") + "\n"
	golden.Contains(t, got, []string{
		"Hit passes lock by value: example.com/workbook/value/testdata/copylock.Stats contains sync.Mutex",
		"assignment copies lock value to snapshot: example.com/workbook/value/testdata/copylock.Stats contains sync.Mutex",
		"assignment copies lock value to other: example.com/workbook/value/testdata/copylock.Stats contains sync.Mutex",
	})
	golden.Check(t, "testdata/copylock_vet.out", []byte(got))
}

func TestCopiedLockCompilesRunsAndLosesTheUpdates(t *testing.T) {
	out, err := goCommand(t, "run", "./value/testdata/copylock")
	if err != nil {
		t.Fatalf("go run ./value/testdata/copylock: %v\n%s", err, out)
	}
	golden.Contains(t, out, []string{
		"hits after two Hit calls: 0\n",
		"snapshot's lock free?    false\n",
		"copy's lock free while s is locked? true\n",
	})
	golden.Check(t, "testdata/copylock.out", []byte(out))
}
