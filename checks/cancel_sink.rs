// Checks for `cancel_sink`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/cancel_sink.rs`).
//
// The readers and the sink are the checks' own closures. The readers count
// their reads, so "the producers stopped" is a number we can look at once
// `run_job` has returned, not a guess made by waiting: after the sink fails,
// a producer may read at most what the consumer took, what fits in the 10
// slots, and one record each that it could not send. One reader is held
// while it closes until the rest of the job waits for it (`grader::hold`),
// so a job that returns without joining its producers returns while that
// reader is still open.
//
// Where a check needs the producers to be blocked on the full channel (the
// case the disconnection must wake), the sink does not sleep and hope: it
// waits until the readers' count says every producer holds a record it could
// not send (10 in the channel, one each in `send`), bounded by half the
// watchdog's limit. Only one check may sleep on purpose: the slow sink, a
// database that stalls for a moment, because a producer that gives up on a
// slow `send` is exactly what it must catch; it sleeps only when a producer
// is seen waiting on a timer (`grader::hold`), so a right fix never waits.

use exercise::{Reader, SinkError, run_job};
use grader::hold::{Holds, Others, Release};
use grader::{Outcome, ensure, fail, run, run_within};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const ID: &str = "cancel_sink";

/// The channel's slots, as the task says.
const SLOTS: usize = 10;

/// The payload of the panic that the check's own sink injects.
const INJECTED: &str = "the check's sink crashed on purpose";

const STUCK: &str = "The sink failed and the consumer returned, so the producers should \
     stop. Are they blocked on `send`? A send blocks while the channel is full and some \
     `Receiver` is still alive: one that is kept elsewhere (a clone, a `rx` that the \
     function still owns, `mem::forget`) keeps the channel connected.";

/// Reads `count` records starting at `first`, counting every read in `reads`.
fn counted(first: u64, count: u64, reads: Arc<AtomicUsize>) -> Reader {
    let mut next = first;
    Box::new(move || {
        if next == first + count {
            return None;
        }
        reads.fetch_add(1, Ordering::SeqCst);
        next += 1;
        Some(next - 1)
    })
}

/// Waits until `reads` has reached `at_least`, for at most half the
/// watchdog's limit (so that a check's own message can still be given
/// before the watchdog fires). Returns the count it saw last.
fn wait_for_reads(reads: &AtomicUsize, at_least: usize) -> usize {
    wait_for_reads_within(reads, at_least, grader::budget::HELPER.get())
}

/// Waits until `reads` has reached `at_least`, for at most `bound`. Returns
/// the count it saw last.
fn wait_for_reads_within(reads: &AtomicUsize, at_least: usize, bound: Duration) -> usize {
    let deadline = Instant::now() + bound;
    loop {
        let seen = reads.load(Ordering::SeqCst);
        if seen >= at_least || Instant::now() >= deadline {
            return seen;
        }
        // Poll gently: a spinning wait would take a core from the code
        // under test (and from the checks running next to this one).
        thread::sleep(Duration::from_micros(200));
    }
}

/// Three readers of `each` records, counting their reads together.
fn three_readers(each: u64, reads: &Arc<AtomicUsize>) -> Vec<Reader> {
    (0..3)
        .map(|p| counted(p * each, each, Arc::clone(reads)))
        .collect()
}

/// A sink whose write number `fail_at` (from 1) fails, and every later one;
/// counts its writes.
fn failing_at(
    fail_at: usize,
    writes: Arc<AtomicUsize>,
) -> impl FnMut(u64) -> Result<(), SinkError> + Send + 'static {
    move |_| {
        let n = writes.fetch_add(1, Ordering::SeqCst) + 1;
        if n >= fail_at {
            Err(SinkError("sink unavailable".to_owned()))
        } else {
            Ok(())
        }
    }
}

#[test]
fn stores_every_record_when_the_sink_works() {
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(500, &reads);
    let total = Arc::new(AtomicUsize::new(0));
    let sum = Arc::clone(&total);
    let result = run(
        ID,
        "`run_job` with 3 readers of 500 records and a working sink",
        "Nothing fails here: the consumer's loop ends only when every `Sender` is gone.",
        move || {
            run_job(readers, move |r| {
                sum.fetch_add(r as usize, Ordering::SeqCst);
                Ok(())
            })
        },
    );
    ensure(
        result == Ok(1500),
        ID,
        format!("`run_job` with a working sink returned {result:?}, expected Ok(1500)"),
    );
    let expected: usize = (0..1500).sum();
    ensure(
        total.load(Ordering::SeqCst) == expected,
        ID,
        "`run_job` stored 1500 records, but not the ones it read: every record must be \
         written once",
    );
}

#[test]
fn returns_the_sink_error() {
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(1000, &reads);
    let writes = Arc::new(AtomicUsize::new(0));
    let sink = failing_at(5, Arc::clone(&writes));
    let result = run(
        ID,
        "`run_job` with a sink that fails at its 5th write",
        STUCK,
        move || run_job(readers, sink),
    );
    ensure(
        result == Err(SinkError("sink unavailable".to_owned())),
        ID,
        format!(
            "`run_job` returned {result:?} after the sink failed, expected \
             `Err(SinkError(\"sink unavailable\"))`"
        ),
    );
    let writes = writes.load(Ordering::SeqCst);
    ensure(
        writes == 5,
        ID,
        format!(
            "the sink was called {writes} times: the consumer must stop at the first failed \
             write (the 5th)"
        ),
    );
}

#[test]
fn producers_stop_at_the_first_refused_send() {
    // 3 x 1 000 records; the sink fails at its 5th write. Once the consumer
    // has returned, a producer can only have read what was written, what fit
    // in the channel, and one record each that its send refused.
    // The 5th write fails only once every producer is blocked on the full
    // channel (5 taken, 10 in the slots, 3 held in `send`): the refusal
    // must reach producers that are already waiting, not only the next send.
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(1_000, &reads);
    let writes = Arc::new(AtomicUsize::new(0));
    let mut fail_fifth = failing_at(5, Arc::clone(&writes));
    let (seen, counter) = (Arc::clone(&reads), Arc::clone(&writes));
    let sink = move |record| {
        if counter.load(Ordering::SeqCst) == 4 {
            wait_for_reads(&seen, 5 + SLOTS + 3);
        }
        fail_fifth(record)
    };
    let result = run(
        ID,
        "`run_job` with 3 readers of 1 000 records and a sink that fails at its 5th write",
        STUCK,
        move || run_job(readers, sink),
    );
    ensure(
        result.is_err(),
        ID,
        format!("`run_job` returned {result:?}, but the sink failed"),
    );
    let (reads, writes) = (reads.load(Ordering::SeqCst), writes.load(Ordering::SeqCst));
    let most = writes + SLOTS + 3;
    ensure(
        reads <= most,
        ID,
        format!(
            "after the sink failed, the producers went on reading: {reads} reads for {writes} \
             writes, where 10 slots and 3 producers allow at most {most}. A `send` that \
             returns `Err` means every `Receiver` is gone: nobody will ever take a record \
             again, so there is no point reading the next one. (With a reader that never \
             runs dry, this producer would never stop.) If the producers do stop there, \
             has the channel more than its 10 slots?"
        ),
    );
}

#[test]
fn a_panicking_sink_releases_the_producers() {
    // A panic unwinds the consumer, dropping what it owns. `run_job` may pass
    // the panic on (as `thread::scope` does) or return an error; it must not
    // hang.
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(1_000, &reads);
    let writes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&writes);
    let outcome = run_within(grader::limit(), move || {
        run_job(readers, move |_| {
            if counter.fetch_add(1, Ordering::SeqCst) + 1 == 3 {
                // The check's own panic: `inject_panic` prints nothing, and a
                // verdict that quotes it says it was the check's, not yours.
                grader::inject_panic(INJECTED);
            }
            Ok(())
        })
    });
    match outcome {
        Outcome::Panicked(_) | Outcome::Returned(Err(_)) => {
            // The producers must have stopped on this path too: the panic
            // dropped the `Receiver` as a return would, and that is what
            // tells them. A flag set on the error path is never set here.
            let (reads, writes) = (reads.load(Ordering::SeqCst), writes.load(Ordering::SeqCst));
            let most = writes + SLOTS + 3;
            ensure(
                reads <= most,
                ID,
                format!(
                    "the check's sink panicked on purpose at its 3rd write, and the producers \
                     went on reading: {reads} reads for {writes} writes, where 10 slots and 3 \
                     producers allow at most {most}. The panic unwinds the consumer and drops \
                     its `Receiver`, exactly like a return: the producers' next `send` is \
                     refused. Stop on that refusal, not on a flag or a token that only the \
                     error path sets."
                ),
            );
        }
        Outcome::Returned(Ok(n)) => fail(
            ID,
            format!(
                "the check's sink panicked on purpose at its 3rd write, but `run_job` \
                 returned Ok({n})"
            ),
        ),
        Outcome::Stuck(waited) => fail(
            ID,
            format!(
                "the check's sink panicked on purpose at its 3rd write (the check's own \
                 panic, not your code's), and `run_job` had not finished {} ms later. The panic \
                 unwinds the consumer and drops its `Receiver`, unless another one is still \
                 alive somewhere. {STUCK}",
                waited.as_millis()
            ),
        ),
    }
}

/// A reader of 20 records that says goodbye to a server when it is closed
/// (dropped): its producer thread is held there (`grader::hold`) until the
/// rest of the job waits for it. A job that joins its producers gets it
/// back at once; one that returns without joining returns while it is
/// still closing.
fn slow_to_close(holds: &Holds) -> Reader {
    struct Closing(Holds);
    impl Drop for Closing {
        fn drop(&mut self) {
            self.0.hold_here();
        }
    }
    let closing = Closing(holds.clone());
    let mut next = 0;
    Box::new(move || {
        if next == 0 {
            // From the first read on, this thread must be done (its reader
            // closed) before `run_job` returns.
            closing.0.watch_this_thread();
        }
        if next == 20 {
            return None;
        }
        next += 1;
        Some(next)
    })
}

#[test]
fn no_producer_outlives_run_job() {
    let holds = Holds::new(Release::OldestFirst);
    let readers = vec![slow_to_close(&holds)];
    let writes = Arc::new(AtomicUsize::new(0));
    let sink = failing_at(1, writes);
    let result = holds.run(
        ID,
        "`run_job` with a reader that takes a while to close and a sink that fails at once",
        || STUCK.to_owned(),
        move || run_job(readers, sink),
    );
    ensure(
        !holds.outlived(),
        ID,
        "`run_job` returned while a producer thread was still running (it was still closing \
         its reader). Every thread the job starts must have finished when it returns: join \
         the producers, or keep them in a `thread::scope`, before you return the error.",
    );
    ensure(
        result == Err(SinkError("sink unavailable".to_owned())),
        ID,
        format!("`run_job` returned {result:?}, expected the sink's error"),
    );
}

#[test]
fn the_channel_keeps_its_10_slots() {
    // One reader; the sink's first write waits until the producer has read
    // 12 records: 1 in the sink, 10 in the slots, 1 held in `send`. A
    // channel with fewer slots blocks the producer earlier, forever while
    // the sink waits, so the count never gets there. Then the sink stays
    // busy until the producer waits (`grader::hold`: at once for a right
    // fix, whose producer is blocked in `send`) and looks whether a 13th
    // record was read: only a channel with more slots lets it read on. Where
    // the wait cannot be seen (no `/proc`, or the job waits on a timer), the
    // sink stays busy a tenth of the watchdog's limit instead.
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = vec![counted(0, 100, Arc::clone(&reads))];
    let (seen, first_write) = (Arc::clone(&reads), Arc::new(AtomicUsize::new(usize::MAX)));
    let later = Arc::new(AtomicUsize::new(0));
    let (saw, saw_later) = (Arc::clone(&first_write), Arc::clone(&later));
    let holds = Holds::new(Release::OldestFirst);
    let pause = holds.clone();
    let result = holds.run(
        ID,
        "`run_job` with 1 reader of 100 records and a sink that is busy with its first write",
        || "Nothing fails here: the consumer's loop ends only when every `Sender` is gone.".to_owned(),
        move || {
            run_job(readers, move |_| {
                if saw.load(Ordering::SeqCst) == usize::MAX {
                    saw.store(wait_for_reads(&seen, SLOTS + 2), Ordering::SeqCst);
                    let now = if pause.until_the_others_wait() == Others::Waiting {
                        seen.load(Ordering::SeqCst)
                    } else {
                        wait_for_reads_within(&seen, SLOTS + 3, grader::budget::SETTLE.get())
                    };
                    saw_later.store(now, Ordering::SeqCst);
                }
                Ok(())
            })
        },
    );
    let read_ahead = first_write.load(Ordering::SeqCst);
    let read_later = later.load(Ordering::SeqCst);
    // 1 in the sink, SLOTS in the channel, 1 waiting in `send`.
    let full = 1 + SLOTS + 1;
    ensure(
        read_later <= full,
        ID,
        format!(
            "while the sink was busy with record 1, the producer read {read_later} records, \
             where 10 slots let it read only 12 (1 in the sink, 10 in the channel, 1 waiting \
             in `send`): the channel has more than 10 slots (or no bound at all), or the \
             producer keeps records of its own before it sends them. Keep the channel's 10 \
             slots, `bounded(10)`, and send each record as it is read: every record read \
             ahead is read for nothing when the sink fails."
        ),
    );
    ensure(
        read_ahead >= full,
        ID,
        format!(
            "while the sink was busy with record 1, the producer read only {read_ahead} \
             records, where 10 slots let it read 12 (1 in the sink, 10 in the channel, 1 \
             waiting in `send`). Keep the channel's 10 slots: `bounded(10)`. They are what \
             lets the producers read ahead of a busy sink; the fix is in what a producer \
             does when its `send` is refused, not in the channel's size."
        ),
    );
    ensure(
        result == Ok(100),
        ID,
        format!("`run_job` with a working sink returned {result:?}, expected Ok(100)"),
    );
}

/// How long the slow sink stalls, once: longer than any timeout a producer
/// could plausibly give a `send`, well under the watchdog's limit.
fn stall() -> Duration {
    grader::budget::STALL.get()
}

#[test]
fn a_slow_sink_loses_nothing() {
    // The sink works, but pauses once, after every producer holds a record
    // it could not send: a database that stalls. It pauses only as long as
    // the job needs (`grader::hold`): while every producer simply waits on
    // `send`, the pause ends at once; while one waits on a timer (a
    // `send_timeout`, a `sleep` between `try_send`s), the sink stalls for
    // `stall()` more, long enough for a producer that gives up on a slow
    // send to give up. Nothing fails, so every record must be stored.
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(20, &reads);
    let seen = Arc::clone(&reads);
    let total = Arc::new(AtomicUsize::new(0));
    let sum = Arc::clone(&total);
    let holds = Holds::new(Release::OldestFirst);
    let pause = holds.clone();
    let mut stalled = false;
    let result = holds.run(
        ID,
        "`run_job` with 3 readers of 20 records and a sink that stalls once, then works",
        || {
            "Nothing fails here: the sink only pauses, and the consumer's loop ends when every \
             `Sender` is gone."
                .to_owned()
        },
        move || {
            run_job(readers, move |r| {
                if !stalled {
                    stalled = true;
                    wait_for_reads(&seen, 1 + SLOTS + 3);
                    match pause.until_the_others_wait() {
                        Others::Waiting => {}
                        Others::OnATimer => {
                            thread::sleep(stall());
                            // On a busy machine a producer whose timer has
                            // fired may not have had a core yet to act on
                            // it (give up, or send after all): let it,
                            // before the sink takes records again.
                            pause.until_the_others_wait();
                        }
                        // A producer that spins (`try_send` and `yield_now`)
                        // or a machine where `/proc` does not tell.
                        Others::Unknown => thread::sleep(stall()),
                    }
                }
                sum.fetch_add(r as usize, Ordering::SeqCst);
                Ok(())
            })
        },
    );
    let stored_sum = total.load(Ordering::SeqCst);
    let expected: usize = (0..60).sum();
    ensure(
        result == Ok(60) && stored_sum == expected,
        ID,
        format!(
            "the sink stalled once for {} ms and then worked, and `run_job` returned \
             {result:?}, expected Ok(60) with every record stored. A slow sink is not a dead \
             one: a producer that gives up on a `send` that waits (`send_timeout`, a \
             `try_send` that drops the record) loses records. Only a refused send, \
             `Err(SendError(_))`, means every `Receiver` is gone.",
            stall().as_millis()
        ),
    );
}
