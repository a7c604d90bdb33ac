package main

import (
	"testing"
	"time"

	"example.com/workbook/internal/leaktest"
	"example.com/workbook/leak"

	// Defines -update, so that `go test ./... -update` also starts this binary.
	_ "example.com/workbook/internal/golden"
)

// Only the goroutine counts are checked: memory depends on the machine.
// This process leaks on purpose (100 consumers); it runs no other test.
func TestGoroutineCounts(t *testing.T) {
	const n = 100
	for _, v := range []struct {
		name    string
		job     func(leak.Source) (int, error)
		perJob  int
		rowJobs []int
	}{
		// Fixed first: it must not leak, so the baseline stays clean.
		{"RunJobFixed", leak.RunJobFixed, 0, []int{0, 10, 100}},
		{"RunJobLeaky", leak.RunJobLeaky, 1, []int{0, 10, 100}},
	} {
		var rows []row
		var err error
		leaktest.Within(t, "measure "+v.name, 60*time.Second, func() { rows, err = measure(v.job, n) })
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		if len(rows) != len(v.rowJobs) {
			t.Fatalf("%s: %d rows, want one per checkpoint %v", v.name, len(rows), v.rowJobs)
		}
		base := rows[0].goroutines
		for i, r := range rows {
			if r.jobs != v.rowJobs[i] {
				t.Errorf("%s: row %d is after %d jobs, want %d", v.name, i, r.jobs, v.rowJobs[i])
			}
			if want := base + v.perJob*r.jobs; r.goroutines != want {
				t.Errorf("%s: %d goroutines after %d failed jobs, want %d (%d more per job)", v.name, r.goroutines, r.jobs, want, v.perJob)
			}
		}
	}
}
