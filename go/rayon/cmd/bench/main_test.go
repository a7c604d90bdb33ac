package main

import (
	"bufio"
	"bytes"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// No timing is checked: the shape of the report, and the counts that do not
// depend on the machine.

var (
	header   = regexp.MustCompile(`^Go: go\S+ \S+/\S+, (\d+) CPUs\. (\d+) items, each fanout\.Checksum with (\d+) rounds$`)
	wallRow  = regexp.MustCompile(`^(sequential loop|errgroup SetLimit\(GOMAXPROCS\)|goroutine per item) +(\d+) +(\d+\.\d\d) +(\d+\.\d\d)$`)
	errorRow = regexp.MustCompile(`^(errgroup SetLimit, no cancel|errgroup SetLimit\(GOMAXPROCS\)|goroutine per item) +(\d+\.\d\d) +(\d+)$`)
)

// shape parses a report and returns its wall-time rows ("name cores") and
// the items-run column of its error rows, by name.
func shape(t *testing.T, report []byte) (cpus, items int, wall []string, itemsRun map[string]int) {
	t.Helper()
	itemsRun = map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(report))
	for sc.Scan() {
		line := sc.Text()
		if m := header.FindStringSubmatch(line); m != nil {
			cpus, _ = strconv.Atoi(m[1])
			items, _ = strconv.Atoi(m[2])
		} else if m := wallRow.FindStringSubmatch(line); m != nil {
			wall = append(wall, m[1]+" "+m[2])
		} else if m := errorRow.FindStringSubmatch(line); m != nil {
			itemsRun[m[1]], _ = strconv.Atoi(m[3])
		}
	}
	if cpus == 0 {
		t.Fatalf("no header line in\n%s", report)
	}
	return cpus, items, wall, itemsRun
}

// checkShape checks the rows. strict: the cancelling rows also ran fewer
// than all items, which holds for the committed measurement; on the tiny
// job of TestReportTiny the rest of the items take microseconds, so a
// failing goroutine preempted before its cancel could see them all run.
func checkShape(t *testing.T, report []byte, strict bool) {
	t.Helper()
	cpus, items, wall, itemsRun := shape(t, report)
	want := []string{"sequential loop 1"}
	for _, v := range []string{"errgroup SetLimit(GOMAXPROCS)", "goroutine per item"} {
		want = append(want, v+" 1")
		if cpus >= 2 {
			want = append(want, v+" 2")
		}
		if cpus > 2 {
			want = append(want, v+" "+strconv.Itoa(cpus))
		}
	}
	if strings.Join(wall, "; ") != strings.Join(want, "; ") {
		t.Errorf("wall-time rows %q, want %q in\n%s", wall, want, report)
	}
	if len(itemsRun) != 3 {
		t.Fatalf("error rows %v, want 3 in\n%s", itemsRun, report)
	}
	if itemsRun["errgroup SetLimit, no cancel"] != items {
		t.Errorf("without cancellation %d items ran, want all %d", itemsRun["errgroup SetLimit, no cancel"], items)
	}
	for _, v := range []string{"errgroup SetLimit(GOMAXPROCS)", "goroutine per item"} {
		if n := itemsRun[v]; n < items/2 || n > items || (strict && n == items) {
			t.Errorf("%s: %d items ran, want from %d (the failing one) to fewer than all %d", v, n, items/2, items)
		}
	}
}

func TestReportTinyHasEveryRow(t *testing.T) {
	var out bytes.Buffer
	leaktest.Within(t, "report", 60*time.Second, func() {
		if err := report(&out, config{items: 200, rounds: 100, runs: 2}); err != nil {
			t.Error(err)
		}
	})
	checkShape(t, out.Bytes(), false)
}

// The committed measurement the book shows has the same shape.
func TestCommittedMeasurementHasEveryRow(t *testing.T) {
	b, err := os.ReadFile("../../testdata/bench.txt")
	if err != nil {
		t.Fatal(err)
	}
	checkShape(t, b, true)
}
