package main

import (
	"bytes"
	"encoding/json"
	"expvar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/workbook/internal/goroutines"
	"example.com/workbook/internal/leaktest"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
)

// The claims of chapter 8 that do not depend on the machine: the leaky
// service leaves exactly one goroutine per failed job, the fixed one none.
// Memory depends on the machine and is a measurement (src/repro/incident.csv),
// not a test. This process leaks on purpose (the leaky run's consumers) and
// runs nothing that checks for leaks: the counts are deltas.
func TestGoroutinesGrowByOnePerFailedJobOnlyWhenLeaky(t *testing.T) {
	cfg := Config{Jobs: 20, FailureRate: 0.5, RecordKiB: 1, Every: 5}
	wantJobs := []int{0, 5, 10, 15, 20}
	wantFailed := []int{0, 2, 5, 7, 10} // every second job: 2, 4, 6, ...
	gaugeBefore := gauge(t)
	// Fixed first: it must leave nothing, so the leaky run starts clean too.
	for _, v := range []struct {
		mode      string
		perFailed int
	}{{"fixed", 0}, {"leaky", 1}} {
		cfg.Mode = v.mode
		var got []Sample
		var err error
		leaktest.Within(t, "the "+v.mode+" service", 60*time.Second, func() {
			err = Run(cfg, func(s Sample) { got = append(got, s) })
		})
		if err != nil {
			t.Fatalf("%s: %v", v.mode, err)
		}
		if len(got) != len(wantJobs) {
			t.Fatalf("%s: %d samples, want one before the first job and one every 5 jobs: %+v", v.mode, len(got), got)
		}
		base := got[0].Goroutines
		for i, s := range got {
			if s.Jobs != wantJobs[i] || s.Failed != wantFailed[i] {
				t.Errorf("%s: sample %d is after %d jobs, %d failed; want %d jobs, %d failed", v.mode, i, s.Jobs, s.Failed, wantJobs[i], wantFailed[i])
			}
			if want := base + v.perFailed*s.Failed; s.Goroutines != want {
				t.Errorf("%s: %d goroutines after %d jobs (%d failed), want %d (%d more per failed job)", v.mode, s.Goroutines, s.Jobs, s.Failed, want, v.perFailed)
			}
			if s.HeapKiB == 0 || s.StackKiB == 0 || s.RSSKiB == 0 {
				t.Errorf("%s: sample %d has a zero memory column: %+v", v.mode, i, s)
			}
		}
	}
	// The gauge a monitoring system would read shows the 10 leaked
	// goroutines too.
	if got := gauge(t) - gaugeBefore; got != 10 {
		t.Errorf("the goroutines gauge at /debug/vars grew by %d over both runs, want 10 (one per failed leaky job)", got)
	}
}

// gauge reads "goroutines" the way a monitoring system does: GET
// /debug/vars from expvar's handler (called directly: no server, no
// goroutine), once every goroutine is parked.
func gauge(t *testing.T) int {
	t.Helper()
	goroutines.Settle()
	rec := httptest.NewRecorder()
	expvar.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/debug/vars", nil))
	var vars struct{ Goroutines *int }
	if err := json.Unmarshal(rec.Body.Bytes(), &vars); err != nil || vars.Goroutines == nil {
		t.Fatalf("no goroutines gauge in /debug/vars (%v): %s", err, rec.Body.Bytes())
	}
	return *vars.Goroutines
}

func TestFailuresAreSpreadEvenly(t *testing.T) {
	for _, c := range []struct {
		rate float64
		fail string // which of jobs 1..12 fail
	}{
		{0, "............"},
		{0.25, "...x...x...x"},
		{0.5, ".x.x.x.x.x.x"},
		{1.0 / 3, "..x..x..x..x"},
		{1, "xxxxxxxxxxxx"},
	} {
		var b strings.Builder
		for n := 1; n <= 12; n++ {
			if Fails(n, c.rate) {
				b.WriteByte('x')
			} else {
				b.WriteByte('.')
			}
		}
		if b.String() != c.fail {
			t.Errorf("failure rate %g: jobs 1-12 fail as %s, want %s", c.rate, b.String(), c.fail)
		}
	}
}

func TestRowsMatchTheColumns(t *testing.T) {
	var out bytes.Buffer
	writeRow(&out, "go leaky", Sample{Jobs: 50, Failed: 25, Goroutines: 26, HeapKiB: 3, StackKiB: 4, RSSKiB: 5})
	if got, want := out.String(), "go leaky,50,25,26,5,3,4\n"; got != want {
		t.Errorf("row %q, want %q (columns %s)", got, want, Columns)
	}
	if n, m := strings.Count(out.String(), ","), strings.Count(Columns, ","); n != m {
		t.Errorf("a row has %d commas, the header %d", n, m)
	}
}

func TestRejectsABadConfiguration(t *testing.T) {
	for _, cfg := range []Config{
		{Mode: "leaky", Jobs: 1, FailureRate: 0.5, RecordKiB: 1, Every: 0},
		{Mode: "leaky", Jobs: 1, FailureRate: 1.5, RecordKiB: 1, Every: 1},
		{Mode: "sometimes", Jobs: 1, FailureRate: 0.5, RecordKiB: 1, Every: 1},
	} {
		if err := Run(cfg, func(Sample) { t.Errorf("%+v: sampled before rejecting the configuration", cfg) }); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}
