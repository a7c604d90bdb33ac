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
// run by `go test` or `cargo dev go`) from the module root, with the
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

func TestCopiesOfSiteShareOneTableUnderLocksOfTheirOwn(t *testing.T) {
	out, err := goCommand(t, "run", "./value/testdata/site")
	if err != nil {
		t.Fatalf("go run ./value/testdata/site: %v\n%s", err, out)
	}
	golden.Contains(t, out, []string{
		"the copy's table is the site's table: true\n",
		"the copy's lock is free while the site's is held: true\n",
	})
	golden.Check(t, "testdata/site.out", []byte(out))
}

// raceReport keeps the first report of a -race run's standard error, in a
// form that does not change from run to run: addresses and goroutine numbers
// become ADDR and N; which access the detector saw first (a read or a write)
// depends on the schedule, so both are "access", and so does whether a
// goroutine is still running when it is reported; only frames of package main
// are kept, with their file and line but not the program counter offset.
func raceReport(stderr string) string {
	var lines []string
	header := regexp.MustCompile(`^(Previous )?(?:read|write|Read|Write) at 0x[0-9a-f]+ by goroutine \d+:$`)
	created := regexp.MustCompile(`^Goroutine \d+ \((?:running|finished)\) created at:$`)
	frame := regexp.MustCompile(`^  (main\.\S+)$`)
	file := regexp.MustCompile(`^      \S*/([^/]+\.go:\d+)( \+0x[0-9a-f]+)?$`)
	inReport, keepFile := false, false
	for _, line := range strings.Split(stderr, "\n") {
		switch {
		case line == "WARNING: DATA RACE":
			inReport = true
			lines = append(lines, line)
		case !inReport:
		case line == "==================":
			return strings.Join(lines, "\n") + "\n"
		case header.MatchString(line):
			m := header.FindStringSubmatch(line)
			if m[1] == "" {
				lines = append(lines, "Access at ADDR by goroutine N:")
			} else {
				lines = append(lines, "Previous access at ADDR by goroutine N:")
			}
		case created.MatchString(line):
			lines = append(lines, "Goroutine N created at:")
		case frame.MatchString(line):
			lines = append(lines, line)
			keepFile = true
			continue
		case keepFile && file.MatchString(line):
			lines = append(lines, "      "+file.FindStringSubmatch(line)[1])
		case line == "":
			lines = append(lines, line)
		}
		keepFile = false
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestRaceDetectorReportsTheOneTableUnderTwoLocks(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds the race runtime")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, "run", "-race", "./value/testdata/site")
	cmd.Dir = ".."
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 || !strings.Contains(stderr.String(), "exit status 66") {
		t.Fatalf("go run -race ./value/testdata/site: want the program's exit status 66 (a race was found), reported by go run as status 1; got %v:\n%s", err, stderr.String())
	}
	report := raceReport(stderr.String())
	if strings.Count(report, "main.Site.View()") != 2 || !strings.Contains(report, "Previous access") {
		t.Errorf("want a report of two accesses, both in main.Site.View, one before the other; got:\n%s\nfrom:\n%s", report, stderr.String())
	}
	golden.Check(t, "testdata/site_race.out", []byte(stdout.String()+report+"exit status 66\n"))
}

func TestPointerMethodOnAMapElementDoesNotCompile(t *testing.T) {
	errs := typeErrors(t, "testdata/mapmethod.go")
	got := strings.Join(errs, "\n") + "\n"
	if len(errs) != 1 || !strings.Contains(got, `cannot call pointer method Inc on PCounter`) {
		t.Errorf("type-checking testdata/mapmethod.go: want exactly one error, about calling a pointer method on a map element; got:\n%s", got)
	}
	golden.Check(t, "testdata/mapmethod.out", []byte(got))
}

func TestABuildLineBelowGo121CountsAsGo121(t *testing.T) {
	out, err := goCommand(t, "run", "./value/testdata/oldbuild")
	if err != nil {
		t.Fatalf("go run ./value/testdata/oldbuild (//go:build go1.20, using Go 1.21's max): want it to compile and run; got %v\n%s", err, out)
	}
	if out != "3 3 3 max: 2\n" {
		t.Errorf("want one loop variable (3 3 3) and max from Go 1.21; got %q", out)
	}
}
