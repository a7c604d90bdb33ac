package lint_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"example.com/workbook/internal/golden"
)

// TestStaticcheckFlagsTheLostAppend runs staticcheck on this package and
// checks that it reports the unused append results (SA4006, SA4010) that
// the compiler and go vet accept. Debian packages staticcheck as
// go-staticcheck (`apt-get install go-staticcheck`); without it the test is
// skipped and says so.
func TestStaticcheckFlagsTheLostAppend(t *testing.T) {
	bin := ""
	for _, name := range []string{"staticcheck", "go-staticcheck"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Skip("skipped: staticcheck not found (Debian: apt-get install go-staticcheck)")
	}
	cmd := exec.Command(bin, "-checks", "SA*", "-tests=false", ".")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("staticcheck should find problems (exit status 1); got %v, output:\n%s", err, out)
	}
	for _, claim := range []string{
		"lost.go:12:2: this value of tags is never used (SA4006)",
		"lost.go:21:8: this result of append is never used, except maybe in other appends (SA4010)",
	} {
		if !strings.Contains(string(out), claim) {
			t.Errorf("staticcheck should report %q; it printed:\n%s", claim, out)
		}
	}
	golden.Check(t, "../testdata/staticcheck.out", out)
}
