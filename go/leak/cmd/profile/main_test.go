package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"testing"
	"time"

	"example.com/workbook/internal/golden"
	"example.com/workbook/internal/leaktest"
)

// TestMain checks with goleak that the parent process leaks nothing; the
// test that leaks runs in a child process (see leaktest.Isolated).
func TestMain(m *testing.M) { leaktest.Main(m) }

// The claim of chapter 1: a heap profile charges live memory to the
// function that allocated it, not to the goroutine that keeps it alive. So
// after failed jobs, nearly all the memory the leaked consumers hold is
// charged to the read (leak.NewSource.func1), which no goroutine is
// running any more, and next to nothing to the consumer, which 20
// goroutines are still running. The test runs in a child process of its
// own (leaktest.Isolated): it leaks on purpose (20 consumers), and the
// numbers are exact only in a process that has run no job before.
func TestHeapProfileChargesTheFunctionThatAllocated(t *testing.T) {
	if !leaktest.Isolated(t) {
		return
	}
	runtime.MemProfileRate = 1 // every allocation: exact numbers
	var heap map[string]*usage
	var raw []byte
	var err error
	leaktest.Within(t, "the profile", 60*time.Second, func() { heap, raw, err = run(jobs) })
	if err != nil {
		t.Fatal(err)
	}
	read, producer, consumer := heap[pkg+"NewSource.func1"], heap[pkg+"RunJobLeaky.func1"], heap[pkg+"RunJobLeaky.func2"]
	if producer == nil {
		producer = &usage{}
	}
	t.Logf("read %+v, producer %+v, consumer %+v", *read, *producer, *consumer)

	// Each failed job's consumer holds the 7 records read before record 7
	// failed, 8 KiB each; the read allocated them. (A few bytes more can be
	// live: what else the read allocated, an error message say, may still
	// be referenced from a stale stack slot.)
	if want := int64(jobs * 7 * recordSize * 8); read.flat < want || read.flat >= want+4096 {
		t.Errorf("the profile charges %d live bytes to NewSource.func1, want %d (%d jobs x 7 records x 8 KiB) and at most 4 KiB more", read.flat, want, jobs)
	}
	var all int64
	for _, u := range heap {
		all += u.flat
	}
	if read.flat*100 < all*95 {
		t.Errorf("NewSource.func1 holds %d of the %d live bytes charged to package leak; want at least 95%%", read.flat, all)
	}
	// ...although it has returned, and so has the producer that called it.
	if read.running != 0 || producer.running != 0 {
		t.Errorf("goroutines running NewSource.func1: %d, the producer RunJobLeaky.func1: %d; want 0 and 0", read.running, producer.running)
	}
	// The consumer, still running, is charged next to nothing: its rows
	// slices, not the records they hold, however many bytes it keeps alive.
	if consumer.running != jobs {
		t.Errorf("goroutines running the consumer RunJobLeaky.func2: %d, want %d (one leaked per failed job)", consumer.running, jobs)
	}
	// Its rows array: seven appends of a Record (a 24-byte slice header)
	// grow it to capacity 8, so 8 x 24 = 192 bytes per job stay live; more
	// only if an older, smaller rows array is still referenced.
	if consumer.flat < jobs*8*24 {
		t.Errorf("the consumer is charged %d live bytes; want at least %d, its final rows array of 8 x 24 bytes per job", consumer.flat, jobs*8*24)
	}
	if consumer.cum > jobs*512 {
		t.Errorf("the consumer and what it called are charged %d live bytes (%d flat); want at most 512 bytes per job", consumer.cum, consumer.flat)
	}

	var out bytes.Buffer
	print(&out, jobs, heap)
	golden.Check(t, "../../testdata/profile.out", out.Bytes())

	// The same profile through pprof itself, which draws the flame graphs:
	// the read is the top entry by flat live bytes, with the same number.
	t.Run("go tool pprof agrees", func(t *testing.T) {
		goTool, err := exec.LookPath("go")
		if err != nil {
			t.Skip("go not found: pprof's reading not checked")
		}
		file := filepath.Join(t.TempDir(), "heap.pb.gz")
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(goTool, "tool", "pprof", "-top", "-sample_index=inuse_space", "-unit=B", "-nodefraction=0", file)
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		top, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go tool pprof: %v\n%s", err, top)
		}
		t.Logf("go tool pprof -top:\n%s", top)
		first := regexp.MustCompile(`(?m)^\s+flat\s+flat%.*\n\s*(\d+)B .* (\S+)$`).FindSubmatch(top)
		if first == nil {
			t.Fatalf("no first entry in go tool pprof -top:\n%s", top)
		}
		flat, _ := strconv.ParseInt(string(first[1]), 10, 64)
		if string(first[2]) != pkg+"NewSource.func1" || flat != read.flat {
			t.Errorf("go tool pprof -top lists first %s with %d bytes flat; want %sNewSource.func1 with %d:\n%s",
				first[2], flat, pkg, read.flat, top)
		}
	})
}
