// Command goleakreport shows what goleak says about chapter 1's leaky job:
// it runs RunJobLeaky on one failing batch, then prints the error that
// goleak.Find returns, which is what goleak.VerifyNone(t) would fail the
// test with.
//
//	go run ./find/cmd/goleakreport
package main

import (
	"fmt"
	"regexp"

	"example.com/workbook/leak"
	"go.uber.org/goleak"
)

// ANCHOR: report
func main() {
	leak.RunJobLeaky(leak.NewSource(4, 7)) // record 7 is corrupt: the job fails

	if err := goleak.Find(); err != nil { // what VerifyNone(t) reports
		fmt.Println(normalise(err.Error()))
	} else {
		fmt.Println("goleak: no leaked goroutine")
	}
}

// ANCHOR_END: report

var (
	// "Goroutine 7 in state", "goroutine 7 [" -> "N": ids change per run.
	goroutineID = regexp.MustCompile(`(?i)(goroutine) \d+( in state| \[)`)
	// "(0xc000012345, 0x1)" -> "(...)": argument words change per run.
	args = regexp.MustCompile(`\(0x[0-9a-f, .]*\)`)
	// "\t/home/u/work/go/leak/pipeline.go:47" -> "\tleak/pipeline.go:47":
	// the checkout's path changes per machine.
	location = regexp.MustCompile(`(?m)^\t\S*/((?:leak|find|internal)/\S+\.go:\d+)$`)
	// " +0x84" at the end of a frame: the code offset changes per build.
	offset = regexp.MustCompile(`(?m) \+0x[0-9a-f]+$`)
	// "created by ... in goroutine 6" -> "in goroutine N".
	parentID = regexp.MustCompile(`in goroutine \d+`)
)

// normalise keeps what goleak says and drops what changes between runs.
func normalise(report string) string {
	report = goroutineID.ReplaceAllString(report, "$1 N$2")
	report = args.ReplaceAllString(report, "(...)")
	report = offset.ReplaceAllString(report, "")
	report = location.ReplaceAllString(report, "\t$1")
	return parentID.ReplaceAllString(report, "in goroutine N")
}
