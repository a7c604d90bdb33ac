// Checks for `close_pipeline`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/close_pipeline.rs`).
//
// The readers are the checks' own closures: finite ones, one that fails,
// endless ones that ignore the token (only a producer that checks it between
// reads stops them), one that fails only once it has seen the cancel (so its
// error is certainly the second), and a slow one that owns a drop probe (so
// "every thread has finished when `run_job` returns" is a fact we can look at
// the moment it returns).

use exercise::{Cancel, ReadError, Reader, run_job};
use grader::{ensure, fail, run};
use std::thread;
use std::time::Duration;

const ID: &str = "close_pipeline";

/// Reads `records` one by one, then ends.
fn finite(records: Vec<u64>) -> Reader {
    let mut records = records.into_iter();
    Box::new(move |_: &Cancel| records.next().map(Ok))
}

/// Reads `ok` records of value 1, then fails with `message`.
fn failing_after(ok: usize, message: &'static str) -> Reader {
    let mut done = 0;
    Box::new(move |_: &Cancel| {
        if done < ok {
            done += 1;
            Some(Ok(1))
        } else {
            Some(Err(ReadError(message.to_owned())))
        }
    })
}

/// Never ends and never looks at the token. Each read takes 1 ms, so a
/// producer that never stops costs no CPU while the check waits.
fn endless() -> Reader {
    Box::new(|_: &Cancel| {
        thread::sleep(Duration::from_millis(1));
        Some(Ok(1))
    })
}

#[test]
fn totals_a_clean_batch() {
    // 3 x 500 records through a 10-slot channel.
    let shares: Vec<Vec<u64>> = (0..3).map(|p| (1..=500).map(|x| x + p).collect()).collect();
    let expected: u64 = shares.iter().flatten().sum();
    let total = run(
        ID,
        "`run_job` with 3 readers of 500 records each",
        "The consumer's `for x in rx` ends only when every `Sender` is gone: which one is still \
         alive?",
        move || run_job(shares.into_iter().map(finite).collect()),
    );
    ensure(
        total == Ok(expected),
        ID,
        format!("`run_job` on a clean batch returned {total:?}, expected Ok({expected})"),
    );
}

#[test]
fn a_job_without_readers_totals_zero() {
    let total = run(
        ID,
        "`run_job(vec![])`",
        "With no producer, the only `Sender` is the coordinator's own.",
        || run_job(Vec::new()),
    );
    ensure(
        total == Ok(0),
        ID,
        format!("`run_job(vec![])` returned {total:?}, expected Ok(0)"),
    );
}

#[test]
fn a_failing_read_stops_the_other_producers() {
    let result = run(
        ID,
        "`run_job` with one reader that fails at its 3rd read and two endless readers",
        "After the read error, the two endless readers were still being read. They never end \
         and never look at the token: only their producers can stop them. Cancellation is \
         cooperative, in Go (`select` on `ctx.Done()`) as in Rust: does each producer check \
         `cancel.is_cancelled()` before every read?",
        || {
            run_job(vec![
                endless(),
                failing_after(2, "read record 3: corrupt"),
                endless(),
            ])
        },
    );
    ensure(
        result == Err(ReadError("read record 3: corrupt".to_owned())),
        ID,
        format!(
            "`run_job` returned {result:?}, expected the read error \
             `Err(ReadError(\"read record 3: corrupt\"))`"
        ),
    );
}

#[test]
fn returns_the_first_read_error() {
    // Reader B fails too, but only once it has seen the cancel, that is
    // after reader A's error: A's error is the first, every time.
    let waits_for_the_cancel: Reader = Box::new(|cancel: &Cancel| {
        let _ = cancel.done().recv(); // returns once the job is cancelled
        Some(Err(ReadError(
            "B: connection closed by the cancel".to_owned(),
        )))
    });
    let result = run(
        ID,
        "`run_job` where reader A fails and then reader B fails because of the cancel",
        "Reader B waits for the job's token (`cancel.done()`) and reader A failed: who cancels \
         after a failed read?",
        move || {
            run_job(vec![
                waits_for_the_cancel,
                failing_after(0, "A: read record 0: corrupt"),
            ])
        },
    );
    match result {
        Err(ReadError(e)) if e == "A: read record 0: corrupt" => {}
        Err(ReadError(e)) if e.starts_with("B:") => fail(
            ID,
            "`run_job` returned reader B's error, but B failed only because A's error had \
             cancelled the job. Like errgroup, return the first error: once an error is stored, \
             a later one must not replace it.",
        ),
        other => fail(
            ID,
            format!(
                "`run_job` returned {other:?}, expected `Err(ReadError(\"A: read record 0: corrupt\"))`"
            ),
        ),
    }
}

#[test]
fn no_thread_outlives_run_job() {
    // Reader S is slow (20 ms a read) and owns a probe: it is dropped when
    // its producer thread is done with it. Reader F fails at once.
    let (token, probe) = grader::token();
    let mut reads = 0;
    let slow: Reader = Box::new(move |_: &Cancel| {
        let _keep = &token;
        if reads == 5 {
            return None;
        }
        reads += 1;
        thread::sleep(Duration::from_millis(20));
        Some(Ok(1))
    });
    let result = run(
        ID,
        "`run_job` with a slow reader and one that fails at once",
        "Does a producer wait for something that never comes after the cancel?",
        move || run_job(vec![slow, failing_after(0, "read record 0: corrupt")]),
    );
    ensure(
        probe.is_dropped(),
        ID,
        "`run_job` returned while a producer thread was still reading. Every thread the job \
         starts must have finished when it returns (errgroup's Wait, or the end of a \
         `thread::scope`): the cancel asks producers to stop, someone still has to join them.",
    );
    ensure(
        result == Err(ReadError("read record 0: corrupt".to_owned())),
        ID,
        format!(
            "`run_job` returned {result:?}, expected `Err(ReadError(\"read record 0: corrupt\"))`"
        ),
    );
}
