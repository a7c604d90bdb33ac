// Checks for `rayon_port`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/rayon_port.rs`).
//
// Each check runs `checksum_all` inside a rayon pool of its own (2 threads).
// The `checksum` closures are the checks' own: they count calls, fail on
// purpose, hold a record back until another one is done, and notice when
// records are still started long after a failure. Their waits are bounded
// well below the grader's watchdog, and a wait that runs out is reported
// after `checksum_all` has returned, in terms of what your code did.

use exercise::{BadRecord, checksum_all};
use grader::{ensure, fail, run};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const ID: &str = "rayon_port";

/// Records started after a failure that a correct answer never gets near:
/// rayon stops handing out records once the `Err` reaches it.
const STARTED_AFTER_FAILURE: usize = 1000;

fn records(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("r{i}")).collect()
}

fn number(record: &str) -> usize {
    record[1..].parse().expect("the check's records are r0, r1, ...")
}

/// The check's checksum: not growing with the record number, so that an
/// answer that sorts the checksums does not get record order by luck.
fn sum_of(i: usize) -> u64 {
    ((i * 7919) % 1009) as u64
}

/// A one-shot gate with a bounded wait.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.changed.notify_all();
    }
    /// Waits until the gate is open or `budget::GATE` has passed; says which.
    fn wait(&self) -> bool {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (open, _) = self
            .changed
            .wait_timeout_while(open, grader::budget::GATE.get(), |open| !*open)
            .unwrap_or_else(|e| e.into_inner());
        *open
    }
}

#[test]
fn checksums_each_record_of_a_clean_batch_once() {
    let (result, calls) = run(
        ID,
        "`checksum_all` on 1000 clean records",
        "Nothing here blocks: does `checksum_all` wait for something?",
        || {
            let calls = AtomicUsize::new(0);
            let result = grader::in_pool!(|| {
                checksum_all(&records(1000), |r| {
                    calls.fetch_add(1, Ordering::SeqCst);
                    Ok(sum_of(number(r)))
                })
            });
            (result, calls.into_inner())
        },
    );
    let want: Vec<u64> = (0..1000).map(sum_of).collect();
    match &result {
        Ok(sums) if sums.len() != 1000 => fail(
            ID,
            format!("`checksum_all` on 1000 records returned {} checksums", sums.len()),
        ),
        Ok(sums) => {
            // The order is `keeps_record_order_when_the_first_record_finishes_last`'s
            // to check, with an input that shows it every time; here the
            // schedule of one run must not decide the verdict.
            let (mut got, mut all) = (sums.clone(), want.clone());
            got.sort_unstable();
            all.sort_unstable();
            ensure(
                got == all,
                ID,
                "`checksum_all` on 1000 clean records returned checksums that are not those of the records",
            );
        }
        Err(e) => fail(ID, format!("`checksum_all` returned Err({e:?}) on a clean batch")),
    }
    ensure(
        calls == 1000,
        ID,
        format!("`checksum_all` called `checksum` {calls} times for 1000 records: once per record"),
    );
    let empty = run(ID, "`checksum_all(&[], ..)`", "", || {
        grader::in_pool!(|| checksum_all(&[], |_| Ok(1)))
    });
    ensure(
        empty == Ok(vec![]),
        ID,
        format!("`checksum_all(&[], ..)` returned {empty:?}, expected Ok([])"),
    );
}

#[test]
fn keeps_record_order_when_the_first_record_finishes_last() {
    // Record 0 is held back until record 7 is done (or `budget::GATE` passes).
    let result = run(
        ID,
        "`checksum_all` on 8 records where record 0 finishes last",
        "Record 0 waits for record 7: does `checksum_all` wait for record 0 before it starts \
         record 7?",
        || {
            let last_done = Gate::default();
            grader::in_pool!(|| {
                checksum_all(&records(8), |r| {
                    let i = number(r);
                    if i == 0 {
                        last_done.wait();
                    }
                    if i == 7 {
                        last_done.open();
                    }
                    Ok(sum_of(i))
                })
            })
        },
    );
    let want: Vec<u64> = (0..8).map(sum_of).collect();
    match result {
        Ok(sums) if sums == want => {}
        Ok(sums) => fail(
            ID,
            format!(
                "record 0 was held back until record 7 was done, and `checksum_all` returned \
                 {sums:?}, expected {want:?}: the checksums come out in the order the records \
                 finished (Go's channel), not in record order. Collect into the `Vec` by \
                 position."
            ),
        ),
        Err(e) => fail(ID, format!("`checksum_all` returned Err({e:?}) on a clean batch")),
    }
}

/// Makes the pool's two threads take turns, whatever records they take: the
/// first record started waits until another thread starts one; that thread's
/// first record waits until the first thread starts its second; the first
/// thread's second record waits until the other thread starts its second.
/// So each thread has finished one record before the other finishes its
/// next: the results finish interleaved, never one thread's run after the
/// other's. A right answer takes its turns without waiting out a timer; every
/// wait is bounded by `budget::GATE`.
#[derive(Default)]
struct Turns {
    state: Mutex<TurnState>,
    changed: Condvar,
}

#[derive(Default)]
struct TurnState {
    first: Option<thread::ThreadId>,
    second: Option<thread::ThreadId>,
    first_started: usize,
    second_started: usize,
}

impl Turns {
    fn record_starts(&self) {
        let me = thread::current().id();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let wait_until: fn(&TurnState) -> bool = if state.first.is_none() {
            state.first = Some(me);
            state.first_started = 1;
            |s| s.second_started >= 1
        } else if state.first == Some(me) {
            state.first_started += 1;
            if state.first_started == 2 && state.second.is_some() {
                |s| s.second_started >= 2
            } else {
                |_| true
            }
        } else if state.second.is_none() {
            state.second = Some(me);
            state.second_started = 1;
            |s| s.first_started >= 2
        } else if state.second == Some(me) {
            state.second_started += 1;
            |_| true
        } else {
            |_| true
        };
        self.changed.notify_all();
        let _ = self
            .changed
            .wait_timeout_while(state, grader::budget::GATE.get(), |s| !wait_until(s))
            .unwrap_or_else(|e| e.into_inner());
    }
}

#[test]
fn keeps_record_order_when_two_threads_take_turns() {
    // The pool's two threads are made to take turns (`Turns`): the results
    // finish interleaved, one thread's, then the other's, then the first's
    // again, whichever records each thread took. An answer that keeps each
    // thread's results in the order that thread made them (`par_bridge`, a
    // `Vec` per thread joined at the end) gets them out of record order.
    let result = run(
        ID,
        "`checksum_all` on 16 records, the pool's two threads taking turns",
        "The records wait for the other thread to start one: does `checksum_all` run them \
         one at a time?",
        || {
            let turns = Turns::default();
            grader::in_pool!(|| {
                checksum_all(&records(16), |r| {
                    turns.record_starts();
                    Ok(sum_of(number(r)))
                })
            })
        },
    );
    let want: Vec<u64> = (0..16).map(sum_of).collect();
    match result {
        Ok(sums) if sums == want => {}
        Ok(sums) => fail(
            ID,
            format!(
                "the pool's two threads took turns at the records, and `checksum_all` returned \
                 {sums:?}, expected {want:?}: the checksums come out in the order each thread \
                 made them, not in record order. `par_iter()` then `map` and `collect` puts \
                 checksum `i` in slot `i` (`par_bridge` does not: it knows no positions)."
            ),
        ),
        Err(e) => fail(ID, format!("`checksum_all` returned Err({e:?}) on a clean batch")),
    }
}

#[test]
fn returns_the_error_of_a_failing_record() {
    // A checksum of 0 is a checksum like any other, not a "no result here"
    // marker: r2 checksums to 0 and r5 alone fails. (`sum_of(0)` is 0 too,
    // but this shape does not hang on that.)
    let result = run(
        ID,
        "`checksum_all` on 8 records, r2's checksum 0, r5 corrupt",
        "Nothing here blocks: does `checksum_all` wait for something?",
        || {
            grader::in_pool!(|| {
                checksum_all(&records(8), |r| match number(r) {
                    2 => Ok(0),
                    5 => Err(BadRecord { record: r.to_owned() }),
                    i => Ok(1 + sum_of(i)),
                })
            })
        },
    );
    match result {
        Err(BadRecord { record }) if record == "r5" => {}
        Ok(sums) => fail(
            ID,
            format!(
                "`checksum_all` returned Ok with {} checksums although r5 failed",
                sums.len()
            ),
        ),
        Err(other) => fail(
            ID,
            format!(
                "`checksum_all` returned Err({other:?}), but only r5 failed (r2's checksum is \
                 0, a checksum like any other: 0 does not mean \"no result\")"
            ),
        ),
    }
    let result = run(
        ID,
        "`checksum_all` on 100 records, r37 and r73 corrupt",
        "Nothing here blocks: does `checksum_all` wait for something?",
        || {
            grader::in_pool!(|| {
                checksum_all(&records(100), |r| match r {
                    "r37" | "r73" => Err(BadRecord { record: r.to_owned() }),
                    _ => Ok(sum_of(number(r))),
                })
            })
        },
    );
    match result {
        Err(BadRecord { record }) if record == "r37" || record == "r73" => {}
        Ok(sums) => fail(
            ID,
            format!(
                "`checksum_all` returned Ok with {} checksums although r37 and r73 failed",
                sums.len()
            ),
        ),
        Err(other) => fail(
            ID,
            format!("`checksum_all` returned Err({other:?}), but only r37 and r73 failed"),
        ),
    }
}

#[test]
fn stops_starting_records_after_a_failure() {
    // r0 fails. From then on every call counts and takes 0.1 ms (for
    // `budget::SLOWED` at most, so that a slow machine cannot turn a wrong answer's
    // verdict into a watchdog timeout); then the rest return at once.
    let (result, after) = run(
        ID,
        "`checksum_all` on 100 000 records, r0 corrupt",
        "Does `checksum_all` wait for something after the failure?",
        || {
            let failed = AtomicBool::new(false);
            let after = AtomicUsize::new(0);
            let failed_at = std::sync::OnceLock::new();
            let result = grader::in_pool!(|| {
                checksum_all(&records(100_000), |r| {
                    if r == "r0" {
                        failed_at.get_or_init(Instant::now);
                        failed.store(true, Ordering::SeqCst);
                        return Err(BadRecord { record: r.to_owned() });
                    }
                    if failed.load(Ordering::SeqCst)
                        && after.fetch_add(1, Ordering::SeqCst) < STARTED_AFTER_FAILURE
                        && failed_at.get().is_some_and(|t| t.elapsed() < grader::budget::SLOWED.get())
                    {
                        thread::sleep(Duration::from_micros(100));
                    }
                    Ok(1)
                })
            });
            (result, after.into_inner())
        },
    );
    ensure(
        after < STARTED_AFTER_FAILURE,
        ID,
        format!(
            "`checksum_all` called `checksum` on {after} more records after r0 had failed. \
             rayon stops handing out records only when the `Err` reaches it (`collect` into \
             a `Result`, `try_for_each`); collecting every `Result` first, or remembering the \
             error on the side, checksums everything."
        ),
    );
    ensure(
        result == Err(BadRecord { record: "r0".to_owned() }),
        ID,
        format!("`checksum_all` returned {result:?}, expected Err(BadRecord {{ record: \"r0\" }})"),
    );
    // Now a record in the middle fails, r50000 (where rayon's first split
    // puts the second thread), while r0 is held back until it has (or
    // `budget::GATE` has passed). Records before the failing one are new records
    // too: none may be started once r50000 has failed.
    let (result, after) = run(
        ID,
        "`checksum_all` on 100 000 records, r50000 corrupt, r0 held back until r50000 fails",
        "r0 waits for r50000 to fail: does `checksum_all` wait for r0 before it starts \
         r50000, or wait for something after the failure?",
        || {
            let failed = AtomicBool::new(false);
            let failure_seen = Gate::default();
            let after = AtomicUsize::new(0);
            let failed_at = std::sync::OnceLock::new();
            let result = grader::in_pool!(|| {
                checksum_all(&records(100_000), |r| {
                    if r == "r50000" {
                        failed_at.get_or_init(Instant::now);
                        failed.store(true, Ordering::SeqCst);
                        failure_seen.open();
                        return Err(BadRecord { record: r.to_owned() });
                    }
                    if r == "r0" {
                        failure_seen.wait();
                        return Ok(1);
                    }
                    if failed.load(Ordering::SeqCst)
                        && after.fetch_add(1, Ordering::SeqCst) < STARTED_AFTER_FAILURE
                        && failed_at.get().is_some_and(|t| t.elapsed() < grader::budget::SLOWED.get())
                    {
                        thread::sleep(Duration::from_micros(100));
                    }
                    Ok(1)
                })
            });
            (result, after.into_inner())
        },
    );
    ensure(
        after < STARTED_AFTER_FAILURE,
        ID,
        format!(
            "`checksum_all` called `checksum` on {after} more records after r50000 had failed \
             (r0 was held back until then). Records before the failing one are new records \
             too: stop starting every record once one has failed, not only the ones after \
             it (rayon's `collect` into a `Result` does)."
        ),
    );
    ensure(
        result == Err(BadRecord { record: "r50000".to_owned() }),
        ID,
        format!(
            "`checksum_all` returned {result:?}, expected Err(BadRecord {{ record: \"r50000\" }})"
        ),
    );
}

#[test]
fn checksums_run_in_parallel() {
    // Of 1000 records, the first and the last each wait until the other one
    // has started (far apart, so that any split of the work, even in pieces
    // of a few hundred, puts them on different threads).
    let (result, together) = run(
        ID,
        "`checksum_all` on 1000 records where r0 and r999 wait for each other",
        "Do records wait for each other in `checksum_all`?",
        || {
            let first = Gate::default();
            let last = Gate::default();
            let together = AtomicBool::new(true);
            let threads = Mutex::new(Vec::new());
            let result = grader::in_pool!(|| {
                checksum_all(&records(1000), |r| {
                    let i = number(r);
                    if i == 0 || i == 999 {
                        threads.lock().unwrap().push(thread::current().id());
                        let (mine, other) = if i == 0 { (&first, &last) } else { (&last, &first) };
                        mine.open();
                        if !other.wait() {
                            together.store(false, Ordering::SeqCst);
                        }
                    }
                    Ok(sum_of(i))
                })
            });
            let threads = threads.into_inner().unwrap();
            let one_thread = threads.windows(2).all(|w| w[0] == w[1]);
            (result, (together.into_inner(), one_thread))
        },
    );
    let (together, one_thread) = together;
    ensure(
        together,
        ID,
        if one_thread {
            "r0 and r999 were never checksummed at the same time: `checksum_all` runs one record \
             after the other, on one thread. Use `records.par_iter()`."
        } else {
            "r0 and r999 were never checksummed at the same time, although they ran on different \
             threads: something lets only one `checksum` run at a time. Is a lock held while \
             `checksum` runs? (`v.lock().unwrap().push(checksum(r)?)` takes the lock before it \
             calls `checksum`.)"
        },
    );
    // Order has its own check: here only that every checksum came back.
    let mut sums = result.clone().unwrap_or_default();
    sums.sort_unstable();
    let mut want: Vec<u64> = (0..1000).map(sum_of).collect();
    want.sort_unstable();
    ensure(
        sums == want,
        ID,
        format!("`checksum_all` returned {} checksums for 1000 records", result.map_or(0, |s| s.len())),
    );
}
