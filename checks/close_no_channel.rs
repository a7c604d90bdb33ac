// Checks for `close_no_channel`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/close_no_channel.rs`).
//
// Each check runs `total` inside a rayon pool of its own (2 threads), so a
// check that keeps rayon's threads busy cannot slow down another one. The
// `read` closures are the checks' own: they count reads, fail on purpose,
// and notice when reading goes on long after a failure. None of them panics:
// every verdict is given after `total` has returned.

use exercise::{ReadError, total};
use grader::{ensure, fail, run};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::Duration;

const ID: &str = "close_no_channel";

/// Reads after a failure that a correct answer never gets near: rayon stops
/// handing out records as soon as the error reaches it, so only the records
/// already being read on the other thread finish.
const READS_AFTER_FAILURE: usize = 1000;

/// The clean batch's records: N + 1, and a 0 in the middle, so a 0 taken
/// for "the end" or "failed" is caught away from record 0 too.
fn clean_value(id: usize) -> u64 {
    if id == 500 { 0 } else { id as u64 + 1 }
}

#[test]
fn totals_a_clean_batch_reading_each_record_once() {
    let (result, reads) = run(
        ID,
        "`total(1000, read)` on a clean batch",
        "Nothing here blocks: does `total` wait for something?",
        || {
            let reads = AtomicUsize::new(0);
            let result = grader::in_pool!(|| {
                total(1000, |id| {
                    reads.fetch_add(1, Ordering::SeqCst);
                    Ok(clean_value(id))
                })
            });
            (result, reads.into_inner())
        },
    );
    ensure(
        result == Ok(499_999),
        ID,
        format!(
            "`total(1000, read)` returned {result:?}, expected Ok(499999): record N reads as N + 1, \
             except record 500, which reads as 0 (a record can hold 0)"
        ),
    );
    ensure(
        reads == 1000,
        ID,
        format!(
            "`total(1000, read)` called `read` {reads} times for 1000 records: read each record \
             exactly once (a read is a trip to storage)"
        ),
    );
}

#[test]
fn an_empty_batch_totals_zero() {
    let result = run(ID, "`total(0, read)`", "", || {
        grader::in_pool!(|| total(0, |id| Ok(id as u64)))
    });
    ensure(
        result == Ok(0),
        ID,
        format!("`total(0, read)` returned {result:?}, expected Ok(0)"),
    );
}

#[test]
fn a_failed_read_is_the_error() {
    let result = run(
        ID,
        "`total(100, read)` with record 37 corrupt",
        "Nothing here blocks: does `total` wait for something?",
        || {
            grader::in_pool!(|| {
                total(100, |id| {
                    if id == 37 {
                        Err(ReadError { record: 37 })
                    } else {
                        Ok(1)
                    }
                })
            })
        },
    );
    match result {
        Err(ReadError { record: 37 }) => {}
        Ok(n) => fail(
            ID,
            format!(
                "`total` returned Ok({n}) although record 37 failed to read: the error was \
                 dropped on the way (`.ok()`, `unwrap_or`, `filter_map`...). Keep the `Result` \
                 in the iterator and let rayon see the `Err`."
            ),
        ),
        Err(other) => fail(
            ID,
            format!("`total` returned Err({other:?}), but only record 37 failed"),
        ),
    }
}

/// Reads that must have ended before record 0 of the "late" shape fails:
/// enough that every task a job hands out ahead of time has been handed out.
const READS_BEFORE_A_LATE_FAILURE: usize = 100;

#[test]
fn stops_reading_after_a_failure() {
    // Record 0 fails. From then on every read counts, and takes 0.1 ms until
    // the count is far beyond what was already in flight; past that the
    // verdict is in, and the reads return at once so the job ends quickly.
    // Two shapes: record 0 fails at once, and record 0 fails only once 100
    // other reads have ended (bounded, well under the watchdog), so the
    // failure comes after a job has handed out whatever it hands out ahead
    // of time (tasks spawned one per record): records handed out but not
    // yet read must not be read either.
    for late in [true, false] {
        let shape = if late {
            "record 0 corrupt, failing once 100 other reads have ended"
        } else {
            "record 0 corrupt"
        };
        let (result, after) = run(
            ID,
            &format!("`total(100_000, read)` with {shape}"),
            "rayon stops early only when the error reaches it: does `total` keep reading?",
            move || {
                let failed = AtomicBool::new(false);
                let ended = AtomicUsize::new(0);
                let after = AtomicUsize::new(0);
                let result = grader::in_pool!(|| {
                    total(100_000, |id| {
                        if id == 0 {
                            if late {
                                let deadline = std::time::Instant::now() + grader::budget::LATE_FAILURE.get();
                                while ended.load(Ordering::SeqCst) < READS_BEFORE_A_LATE_FAILURE
                                    && std::time::Instant::now() < deadline
                                {
                                    thread::sleep(Duration::from_micros(200));
                                }
                            }
                            failed.store(true, Ordering::SeqCst);
                            return Err(ReadError { record: 0 });
                        }
                        if failed.load(Ordering::SeqCst) {
                            let n = after.fetch_add(1, Ordering::SeqCst) + 1;
                            if n < READS_AFTER_FAILURE {
                                thread::sleep(Duration::from_micros(100));
                            }
                        }
                        ended.fetch_add(1, Ordering::SeqCst);
                        Ok(1)
                    })
                });
                (result, after.into_inner())
            },
        );
        let why = if result.is_ok() {
            format!(
                "It returned {result:?}: the error never reached rayon at all (turned into a \
                 number on the way), so rayon had no reason to stop. Keep it an `Err` and use a \
                 method that stops on one: `try_for_each`, `try_reduce` or \
                 `collect::<Result<_, _>>()`."
            )
        } else {
            "rayon stops handing out records only when the `Err` reaches it: `try_for_each`, \
             `try_reduce` or `collect::<Result<_, _>>()` stop early; `sum()` of `Result`s, \
             `reduce` with `?` inside, or collecting every `Result` and looking at them \
             afterwards, read everything. So does a loop over each chunk that stops at its own \
             error: the other chunks never hear of it. And so do tasks spawned one per record \
             that never look at the failure themselves: a check in the loop that spawns them \
             stops only the spawning, and every task already spawned still reads its record."
                .to_owned()
        };
        ensure(
            after < READS_AFTER_FAILURE,
            ID,
            format!(
                "with {shape}, `total(100_000, read)` read {after} more records after record 0 \
                 had failed. {why}"
            ),
        );
        ensure(
            result == Err(ReadError { record: 0 }),
            ID,
            format!(
                "with {shape}, `total` returned {result:?}, expected Err(ReadError {{ record: 0 }})"
            ),
        );
    }
}

#[test]
fn reads_each_record_at_most_once_when_one_fails() {
    // 1000 records, record 500 corrupt: whatever was read must have been read
    // once, the corrupt record included (a retry is a second trip to storage).
    let (result, twice) = run(
        ID,
        "`total(1000, read)` with record 500 corrupt",
        "Nothing here blocks: does `total` wait for something?",
        || {
            let reads: Vec<AtomicUsize> = (0..1000).map(|_| AtomicUsize::new(0)).collect();
            let result = grader::in_pool!(|| {
                total(1000, |id| {
                    reads[id].fetch_add(1, Ordering::SeqCst);
                    if id == 500 {
                        Err(ReadError { record: 500 })
                    } else {
                        Ok(1)
                    }
                })
            });
            let twice: Vec<(usize, usize)> = reads
                .iter()
                .enumerate()
                .map(|(id, n)| (id, n.load(Ordering::SeqCst)))
                .filter(|&(_, n)| n > 1)
                .collect();
            (result, twice)
        },
    );
    if let Some(&(id, n)) = twice.first() {
        fail(
            ID,
            format!(
                "with record 500 corrupt, `total` read record {id} {n} times ({} records were read \
                 more than once): read each record exactly once, on the error path too. A failed \
                 read is the answer, not a reason to read again.",
                twice.len()
            ),
        );
    }
    // Whether `result` is the error is `a_failed_read_is_the_error`'s verdict.
    let _ = result;
}

/// Records in the "stays parallel" job: enough that any sane chunking
/// (`with_min_len(64)`, one piece per thread...) gives both threads work.
const PARALLEL_JOB: usize = 4096;

#[test]
fn reads_run_in_parallel() {
    // The first read waits (up to its own limit, well under the watchdog's)
    // for a second read to start while it is still running. Read one after
    // the other, no read ever has company: the first one gives up waiting,
    // and the job finishes with the verdict "never two at once".
    let own_wait = grader::budget::OWN_WAIT.get();
    let (result, overlapped, reads) = run(
        ID,
        &format!("`total({PARALLEL_JOB}, read)` on a clean batch"),
        "Nothing here blocks for long: does `total` wait for something?",
        move || {
            let state = (Mutex::new(Overlap::default()), Condvar::new());
            let result = grader::in_pool!(|| {
                total(PARALLEL_JOB, |id| {
                    let (overlap, changed) = &state;
                    let mut o = overlap.lock().unwrap_or_else(|e| e.into_inner());
                    o.reads += 1;
                    o.in_flight += 1;
                    if o.in_flight >= 2 {
                        o.seen_together = true;
                        changed.notify_all();
                    } else if !o.seen_together && !o.gave_up {
                        let (guard, waited) = changed
                            .wait_timeout_while(o, own_wait, |o| !o.seen_together)
                            .unwrap_or_else(|e| e.into_inner());
                        o = guard;
                        if waited.timed_out() {
                            o.gave_up = true;
                        }
                    }
                    o.in_flight -= 1;
                    Ok(id as u64)
                })
            });
            let o = state.0.into_inner().unwrap_or_else(|e| e.into_inner());
            (result, o.seen_together, o.reads)
        },
    );
    let expected = (PARALLEL_JOB as u64 - 1) * PARALLEL_JOB as u64 / 2;
    ensure(
        result == Ok(expected),
        ID,
        format!("`total({PARALLEL_JOB}, read)` returned {result:?}, expected Ok({expected})"),
    );
    ensure(
        overlapped,
        ID,
        format!(
            "`total` read {reads} records on a pool of 2 threads, and no two reads were ever \
             running at the same time: the reads happen one after the other. Are they done in a \
             plain `Iterator` (a `for` loop, `.iter()`, or `.into_iter()` after a `collect`) \
             instead of inside the parallel iterator, next to the sum? Or in a rayon pool of \
             one thread?"
        ),
    );
}

/// What `reads_run_in_parallel` saw of the reads.
#[derive(Default)]
struct Overlap {
    reads: usize,
    in_flight: usize,
    seen_together: bool,
    gave_up: bool,
}
