// Checks for `close_pipeline`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/close_pipeline.rs`).
//
// The readers are the checks' own closures: finite ones, one that fails only
// once the others are reading (so that a producer which looks at the token
// only before its first read is caught every time, not by luck), endless ones that ignore the token (only a producer that checks it between
// reads stops them), one that fails only once it has seen the cancel (so its
// error is certainly the second), and a slow one that owns a drop probe (so
// "every thread has finished when `run_job` returns" is a fact we can look at
// the moment it returns). The race between the first error and an error its
// cancel causes is forced with `grader::race`, through the hook the given
// `Cancel` runs in `cancel()`.

use exercise::{Cancel, ReadError, Reader, TotalEvent, run_job};
use grader::hold::{Holds, Release};
use grader::race::{self, CancelRace, Schedule};
use grader::{Outcome, ensure, fail, run};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const ID: &str = "close_pipeline";

/// Reads `records` one by one, then ends.
fn finite(records: Vec<u64>) -> Reader {
    let mut records = records.into_iter();
    Box::new(move |_: &Cancel| records.next().map(Ok))
}

/// Never ends and never obeys the token; counts itself in `started` at its
/// first read, and notes in `read_after_cancel` a read after the cancel. Each read takes 10 ms, so a producer that never stops costs
/// no CPU while the check waits, and the consumer, which takes a record in
/// microseconds, keeps the channel nearly empty: a producer that looks at the
/// token only when its `send` would block (a full channel) never looks,
/// unless the consumer is kept off a core for some 50 ms.
fn endless_counted(started: Arc<AtomicUsize>, read_after_cancel: Arc<AtomicBool>) -> Reader {
    let mut counted = false;
    Box::new(move |cancel: &Cancel| {
        if !counted {
            counted = true;
            started.fetch_add(1, Ordering::SeqCst);
        }
        if cancel.is_cancelled() {
            read_after_cancel.store(true, Ordering::SeqCst);
        }
        thread::sleep(Duration::from_millis(10));
        Some(Ok(1))
    })
}

/// Fails at its first read, but only once `others` readers have counted
/// themselves in `started`: their producers are then past any check made
/// before the first read, so only a check between reads can stop them.
/// (Bounded, well under the watchdog's limit: if the others never start, it
/// fails anyway and the check's verdict says what happened.)
/// It also notes in `cancelled` whether the job's token was ever cancelled
/// (the given `Cancel` runs the checks' hook inside `cancel()`), so that a
/// stuck job is told the right cause.
fn failing_once_others_read(
    started: Arc<AtomicUsize>,
    others: usize,
    message: &'static str,
    cancelled: Arc<AtomicBool>,
) -> Reader {
    Box::new(move |cancel: &Cancel| {
        let cancelled = Arc::clone(&cancelled);
        cancel.on_cancel_for_checks(move || cancelled.store(true, Ordering::SeqCst));
        let deadline = Instant::now() + grader::budget::LATE_FAILURE.get();
        while started.load(Ordering::SeqCst) < others && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        Some(Err(ReadError(message.to_owned())))
    })
}

/// The likely cause of a job stuck after a failed read, by whether the
/// token was cancelled by then.
fn stuck_after_a_failed_read(cancelled: bool) -> String {
    if cancelled {
        "The failed read did cancel the job, and the job still never returned. The \
         consumer's `for x in rx` ends only when every `Sender` is gone: which one is still \
         alive? (Or which thread is still waiting for something?)"
            .to_owned()
    } else {
        "A read failed, and the job's token was never cancelled: who cancels after a failed \
         read?"
            .to_owned()
    }
}

#[test]
fn totals_a_clean_batch() {
    // 3 x 500 records through a 10-slot channel; every 50th record is a 0
    // (an empty row is a record too, not the end of anything).
    let shares: Vec<Vec<u64>> = (0..3)
        .map(|p| {
            (1..=500)
                .map(|x| if x % 50 == 0 { 0 } else { x + p })
                .collect()
        })
        .collect();
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
        format!(
            "`run_job` on a clean batch (3 readers of 500 records, every 50th a 0) returned \
             {total:?}, expected Ok({expected}){}",
            if matches!(total, Ok(t) if t < expected) {
                ": records were lost. A 0 is a record like any other: is it taken for the \
                 end of the data? Only a closed channel is the end."
            } else {
                ""
            }
        ),
    );
}

#[test]
fn a_slow_reader_loses_nothing() {
    // One reader answers at once; the other's first read is slow (a slow
    // disk): the check holds it (`grader::hold`) until the rest of the job
    // waits for it, then it reads 100, then 0 and 200 at once. Both read a 0
    // on the way. Nothing arrives on the channel for a while: that is not
    // the end of the batch. The consumer's loop may end only when every
    // `Sender` is gone. A consumer that waits with a deadline meanwhile
    // (`recv_timeout`, a `try_recv` loop that sleeps) is seen doing it.
    let holds = Holds::new(Release::OldestFirst);
    let hold = holds.clone();
    let mut slow_started = false;
    let mut slow_records = vec![100, 0, 200].into_iter();
    let slow: Reader = Box::new(move |_: &Cancel| {
        if !slow_started {
            slow_started = true;
            hold.hold_here();
        }
        slow_records.next().map(Ok)
    });
    let result = holds.run(
        ID,
        "`run_job` with a reader of 0..=10 and one that is slow to read 100, then reads 0 and 200",
        || {
            "The consumer's `for x in rx` ends only when every `Sender` is gone: which one is \
             still alive?"
                .to_owned()
        },
        move || run_job(vec![finite((0..=10).collect()), slow]),
    );
    ensure(
        result == Ok(355),
        ID,
        format!(
            "`run_job` with a slow reader returned {result:?}, expected Ok(355) (0 + 1 + ... + \
             10 + 100 + 0 + 200): records were lost. Does the consumer stop when nothing \
             arrives for a while (`recv_timeout`, `try_recv`), or at a 0? A pause is not the \
             end, nor is a 0: only a closed channel is, once every producer has dropped its \
             `Sender`."
        ),
    );
    ensure(
        !holds.saw_timer(),
        ID,
        "`run_job` totalled the batch, but while a reader was slow a thread of the job waited \
         with a deadline (`recv_timeout`, or a `sleep` in a loop): a consumer that stops when \
         nothing arrives for a while loses the records of a reader slower than its timeout. \
         Only a closed channel is the end: `for x in rx`.",
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
    let started = Arc::new(AtomicUsize::new(0));
    let read_after_cancel = Arc::new(AtomicBool::new(false));
    let cancelled = Arc::new(AtomicBool::new(false));
    let readers = vec![
        endless_counted(Arc::clone(&started), Arc::clone(&read_after_cancel)),
        failing_once_others_read(
            Arc::clone(&started),
            2,
            "read record 3: corrupt",
            Arc::clone(&cancelled),
        ),
        endless_counted(started, Arc::clone(&read_after_cancel)),
    ];
    let result = match grader::run_within(grader::limit(), move || run_job(readers)) {
        Outcome::Returned(result) => result,
        Outcome::Panicked(message) => fail(ID, format!("`run_job` panicked: {message}")),
        Outcome::Stuck(waited) if read_after_cancel.load(Ordering::SeqCst) => fail(
            ID,
            format!(
                "`run_job` with two endless readers and one that fails once they are reading \
                 did not return within {} ms. The job's token was cancelled, but the endless \
                 readers were still being read after that: they never end and never look at \
                 the token, so only their producers can stop them. Does each producer check \
                 `cancel.is_cancelled()` before every read (not only before the first)?",
                waited.as_millis()
            ),
        ),
        Outcome::Stuck(waited) => fail(
            ID,
            format!(
                "`run_job` with two endless readers and one that fails once they are reading \
                 did not return within {} ms, and the endless readers were not read after a \
                 cancel. {}",
                waited.as_millis(),
                stuck_after_a_failed_read(cancelled.load(Ordering::SeqCst))
            ),
        ),
    };
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
    // after reader A's error: A's error is the first, every time. A fails
    // only once B is reading, so B's error is certain to happen. Both orders
    // of the readers: the first error is not picked by position.
    for a_first in [false, true] {
        let started = Arc::new(AtomicUsize::new(0));
        let b_started = Arc::clone(&started);
        let waits_for_the_cancel: Reader = Box::new(move |cancel: &Cancel| {
            b_started.fetch_add(1, Ordering::SeqCst);
            let _ = cancel.done().recv(); // returns once the job is cancelled
            Some(Err(ReadError(
                "B: connection closed by the cancel".to_owned(),
            )))
        });
        let cancelled = Arc::new(AtomicBool::new(false));
        let fails_first = failing_once_others_read(
            started,
            1,
            "A: read record 0: corrupt",
            Arc::clone(&cancelled),
        );
        let (readers, order) = if a_first {
            (vec![fails_first, waits_for_the_cancel], "A first, then B")
        } else {
            (vec![waits_for_the_cancel, fails_first], "B first, then A")
        };
        let result = grader::run_explained(
            ID,
            &format!(
                "`run_job` with readers [{order}], where A fails and then B fails because of the \
                 cancel"
            ),
            || stuck_after_a_failed_read(cancelled.load(Ordering::SeqCst)),
            move || run_job(readers),
        );
        match result {
            Err(ReadError(e)) if e == "A: read record 0: corrupt" => {}
            Err(ReadError(e)) if e.starts_with("B:") => fail(
                ID,
                format!(
                    "with the readers in the order [{order}], `run_job` returned reader B's \
                     error, but B failed only because A's error had cancelled the job. Like \
                     errgroup, return the first error to happen, whatever the reader's place \
                     in the list: once an error is stored, a later one must not replace it."
                ),
            ),
            other => fail(
                ID,
                format!(
                    "`run_job` returned {other:?}, expected \
                     `Err(ReadError(\"A: read record 0: corrupt\"))`"
                ),
            ),
        }
    }
}

#[test]
fn no_thread_outlives_run_job() {
    // Reader S has one record, and its first read is slow: the check holds
    // it (`grader::hold`) until the rest of the job waits for it. Reader F
    // fails once S is reading, and its producer is held in `cancel()` (the
    // hook the given `Cancel` runs); the consumer is held as it drops its
    // `Total`, once its loop has ended (and watched from its first record).
    // Each is let go when the rest of the
    // job waits for it, one at a time, in both orders: a job that joins
    // every thread gets them back at once; one that returns without joining
    // its producers, or its consumer, returns while one is still held.
    for release in Release::BOTH {
        let holds = Holds::new(release);
        let started = Arc::new(AtomicUsize::new(0));
        let (s_started, hold_s) = (Arc::clone(&started), holds.clone());
        let mut read_once = false;
        let slow: Reader = Box::new(move |_: &Cancel| {
            if read_once {
                return None;
            }
            read_once = true;
            hold_s.watch_this_thread();
            s_started.fetch_add(1, Ordering::SeqCst);
            hold_s.hold_here();
            Some(Ok(1))
        });
        let cancelled = Arc::new(AtomicBool::new(false));
        let (cancelled_in_hook, hold_f) = (Arc::clone(&cancelled), holds.clone());
        let total_dropped = Arc::new(AtomicBool::new(false));
        let total_dropped_in_hook = Arc::clone(&total_dropped);
        let fails: Reader = Box::new(move |cancel: &Cancel| {
            let (cancelled, hold) = (Arc::clone(&cancelled_in_hook), hold_f.clone());
            cancel.on_cancel_for_checks(move || {
                cancelled.store(true, Ordering::SeqCst);
                hold.hold_here();
            });
            let (hold, dropped) = (hold_f.clone(), Arc::clone(&total_dropped_in_hook));
            // The consumer is watched from its first record on: a job that
            // returns before it has dropped its total is caught, even if
            // the consumer has not been woken by then.
            cancel.on_total_for_checks(move |event| match event {
                TotalEvent::Added => hold.watch_this_thread(),
                TotalEvent::Dropped => {
                    dropped.store(true, Ordering::SeqCst);
                    hold.hold_here();
                }
            });
            let deadline = Instant::now() + grader::budget::LATE_FAILURE.get();
            while started.load(Ordering::SeqCst) < 1 && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(1));
            }
            Some(Err(ReadError("read record 0: corrupt".to_owned())))
        });
        let cancelled_seen = Arc::clone(&cancelled);
        let result = holds.run(
            ID,
            "`run_job` with a slow reader and one that fails at once",
            || stuck_after_a_failed_read(cancelled_seen.load(Ordering::SeqCst)),
            move || run_job(vec![slow, fails]),
        );
        ensure(
            !holds.outlived(),
            ID,
            "`run_job` returned while a thread it started was still running (a producer, or \
             the consumer: the check kept it busy until the rest of the job waited for it). \
             Every thread the job starts must have finished when it returns, on the error \
             path too (errgroup's Wait, or the end of a `thread::scope`): the cancel asks \
             producers to stop, someone still has to join them, and the consumer.",
        );
        ensure(
            total_dropped.load(Ordering::SeqCst),
            ID,
            "a read failed and `run_job` returned, but the check could not watch the consumer: \
             keep the given `Cancel` and `Total` as they are, and let the consumer add up the \
             records with `Total::add` (`cargo xtask reset close_pipeline` restores the file; \
             your version is kept in my-work/backups/).",
        );
        ensure(
            result == Err(ReadError("read record 0: corrupt".to_owned())),
            ID,
            format!(
                "`run_job` returned {result:?}, expected \
                 `Err(ReadError(\"read record 0: corrupt\"))`"
            ),
        );
    }
}

#[test]
fn an_error_it_caused_never_replaces_the_first() {
    // As in `returns_the_first_read_error`, reader B fails because of the
    // cancel that reader A's error caused; here `grader::race` also holds
    // the threads inside `cancel()` so that B's error arrives while A is
    // still cancelling, every run. A job that stores the first error
    // *before* it cancels returns A's error whatever the schedule. Every
    // schedule (the first leaves nothing to race, so that a job that picks
    // the error by order is told so, not told it lost a race), both orders
    // of the readers.
    for schedule in Schedule::ALL {
        for a_first in [false, true] {
            let race = CancelRace::new(schedule);
            let b_saw_cancel = Arc::new(AtomicBool::new(false));
            let (race_a, race_b, saw) = (race.clone(), race.clone(), Arc::clone(&b_saw_cancel));
            let (b_reading_tx, b_reading_rx) = crossbeam_channel::bounded::<()>(1);
            // B waits for the cancel or the end of the check, nothing else:
            // a job that never cancels is stuck every run, however long the
            // watchdog waits on a busy machine.
            let (over_tx, over_rx) = crossbeam_channel::bounded::<()>(0);
            let fails_first: Reader = Box::new(move |cancel: &Cancel| {
                let _ = b_reading_rx.recv_timeout(grader::budget::HANDED_OVER.get());
                cancel.on_cancel_for_checks(race_a.hook());
                race_a.a_is_here();
                Some(Err(ReadError("A: read record 0: corrupt".to_owned())))
            });
            let fails_because_of_the_cancel: Reader = Box::new(move |cancel: &Cancel| {
                race_b.b_is_here();
                let _ = b_reading_tx.try_send(());
                crossbeam_channel::select! {
                    recv(cancel.done()) -> _ => saw.store(true, Ordering::SeqCst),
                    recv(over_rx) -> _ => {}
                }
                race_b.b_fails_now();
                Some(Err(ReadError("B: connection closed by the cancel".to_owned())))
            });
            let readers = if a_first {
                vec![fails_first, fails_because_of_the_cancel]
            } else {
                vec![fails_because_of_the_cancel, fails_first]
            };
            let cancel_calls = race.clone();
            let result = grader::run_explained(
                ID,
                "`run_job` where reader A fails, and reader B fails because of the cancel",
                || stuck_after_a_failed_read(cancel_calls.hook_calls() > 0),
                move || run_job(readers),
            );
            drop(over_tx);
            ensure(
                !b_saw_cancel.load(Ordering::SeqCst) || race.hook_calls() > 0,
                ID,
                race::hook_never_ran(ID),
            );
            match result {
                Err(ReadError(e)) if e.starts_with("A:") => {}
                Err(ReadError(e)) if e.starts_with("B:") => fail(
                    ID,
                    race::b_won(schedule, "`run_job` returned reader B's error", "A's error"),
                ),
                other => fail(
                    ID,
                    format!(
                        "`run_job` returned {other:?}, expected \
                         `Err(ReadError(\"A: read record 0: corrupt\"))`"
                    ),
                ),
            }
        }
    }
}

/// What `no_read_starts_once_the_job_is_told_to_stop` saw of its readers.
#[derive(Default)]
struct ReadLog {
    /// Waiting readers that have started their first read (and, in
    /// `no_read_starts_once_the_job_is_told_to_stop`, the held consumer).
    waiting: AtomicUsize,
    /// A waiting reader was read again after a read of it had ended after
    /// the cancel: its producer went from that read to the next without
    /// looking at the token.
    read_after_cancel: AtomicBool,
    /// The failing reader was read again after its failure.
    read_after_failure: AtomicBool,
    /// The thread whose read failed, and the thread that first cancelled.
    failed_on: std::sync::Mutex<Option<thread::ThreadId>>,
    cancelled_on: std::sync::Mutex<Option<thread::ThreadId>>,
}

/// A reader whose every read waits for the job's cancel (or the end of the
/// check), then returns a record. Once a read of it has ended after the
/// cancel, a producer that checks the token before each read never reads it
/// again; a further read is noted, and ends its share.
fn waits_for_the_cancel(log: Arc<ReadLog>, over: crossbeam_channel::Receiver<()>) -> Reader {
    let mut counted = false;
    let mut ended_after_cancel = false;
    Box::new(move |cancel: &Cancel| {
        if ended_after_cancel {
            log.read_after_cancel.store(true, Ordering::SeqCst);
            return None;
        }
        if !counted {
            counted = true;
            log.waiting.fetch_add(1, Ordering::SeqCst);
        }
        crossbeam_channel::select! {
            recv(cancel.done()) -> _ => {}
            recv(over) -> _ => {}
        }
        ended_after_cancel = cancel.is_cancelled();
        Some(Ok(1))
    })
}

/// Fails at its first read, once `others` waiting readers are reading
/// (bounded: under the watchdog, it fails anyway), and notes its thread, the
/// thread that cancels, and any read of it after the failure.
fn fails_and_watches_the_cancel(log: Arc<ReadLog>, others: usize) -> Reader {
    let mut failed = false;
    Box::new(move |cancel: &Cancel| {
        if failed {
            log.read_after_failure.store(true, Ordering::SeqCst);
            return None;
        }
        failed = true;
        let hook_log = Arc::clone(&log);
        cancel.on_cancel_for_checks(move || {
            let mut on = hook_log
                .cancelled_on
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            on.get_or_insert(thread::current().id());
        });
        let deadline = Instant::now() + grader::budget::LATE_FAILURE.get();
        while log.waiting.load(Ordering::SeqCst) < others && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        *log.failed_on
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(thread::current().id());
        Some(Err(ReadError("read record 3: corrupt".to_owned())))
    })
}

#[test]
fn no_read_starts_once_the_job_is_told_to_stop() {
    // Readers W1 and W2 each wait, inside a read, for the job's cancel; F
    // fails once both are waiting. Each read of W1 and W2 thus ends after
    // the cancel: a producer that asks the token before every read stops
    // there, and one that asks every few reads, or not at all, reads again.
    // The cancel must come from F's producer, at once: a cancel sent later
    // by another thread (the consumer, once the error has travelled down the
    // channel) lets the other producers go on reading until then.
    // A fourth reader gives one record, and the consumer is held in `Total::add`
    // of it (the given `Total` runs the check's hook) until the rest of the
    // job waits: W1's and W2's last reads, their `send`s and what their
    // producers do next all happen while the consumer still owns the open
    // channel, so a job whose producers learn of the cancel only from a
    // refused `send` (a consumer that hangs up on the cancel) reads again.
    let log = Arc::new(ReadLog::default());
    let (over_tx, over_rx) = crossbeam_channel::bounded::<()>(0);
    let holds = Holds::new(Release::OldestFirst);
    let consumer_held = Arc::new(AtomicBool::new(false));
    // F fails once W1 and W2 wait in a read and the consumer is held (each
    // counts itself in `log.waiting`).
    let one_record: Reader = {
        let (hold, held, log) = (holds.clone(), Arc::clone(&consumer_held), Arc::clone(&log));
        let mut read = false;
        Box::new(move |cancel: &Cancel| {
            if std::mem::replace(&mut read, true) {
                return None;
            }
            let (hold, held, log) = (hold.clone(), Arc::clone(&held), Arc::clone(&log));
            cancel.on_total_for_checks(move |event| {
                if event == TotalEvent::Added && !held.swap(true, Ordering::SeqCst) {
                    log.waiting.fetch_add(1, Ordering::SeqCst);
                    hold.hold_here();
                }
            });
            Some(Ok(1))
        })
    };
    let readers = vec![
        waits_for_the_cancel(Arc::clone(&log), over_rx.clone()),
        fails_and_watches_the_cancel(Arc::clone(&log), 3),
        waits_for_the_cancel(Arc::clone(&log), over_rx),
        one_record,
    ];
    let seen = Arc::clone(&log);
    let result = holds.run(
        ID,
        "`run_job` with two readers that wait for the cancel, one that fails and one with a \
         single record",
        move || {
            let cancelled = seen
                .cancelled_on
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .is_some();
            stuck_after_a_failed_read(cancelled)
        },
        move || run_job(readers),
    );
    drop(over_tx);
    let failed_on = *log
        .failed_on
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let cancelled_on = *log
        .cancelled_on
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match cancelled_on {
        None => fail(
            ID,
            "a read failed and `run_job` returned, but the job's token was never cancelled \
             through `Cancel::cancel()` as given: cancel on the first failed read (and keep the \
             given `Cancel` as it is; it lets the checks see the cancel).",
        ),
        Some(on) if Some(on) != failed_on => fail(
            ID,
            "the job was cancelled, but not by the producer whose read failed: another thread \
             (the consumer, or the coordinator?) cancelled later, once the error had reached \
             it. Until then the other producers go on starting reads. Like errgroup's `Go`, \
             cancel at once, on the thread that got the error, before it returns.",
        ),
        Some(_) => {}
    }
    ensure(
        !log.read_after_cancel.load(Ordering::SeqCst),
        ID,
        "a producer started a read after the job was cancelled: its reader's last read had \
         ended after the cancel, and the producer read again without asking the token. No read \
         may start once the token is cancelled: ask `cancel.is_cancelled()` before *every* \
         read, not every few reads (a reader may ignore the token, and each read costs), and \
         not only when a `send` is refused (the consumer may still be there).",
    );
    ensure(
        !log.read_after_failure.load(Ordering::SeqCst),
        ID,
        "the producer whose read failed read from its reader again: a failed read ends that \
         producer (its error ends the job), it does not go on to the next record.",
    );
    ensure(
        consumer_held.load(Ordering::SeqCst),
        ID,
        "a read failed and `run_job` returned, but the check could not watch the consumer: \
         keep the given `Cancel` and `Total` as they are, and let the consumer add up the \
         records with `Total::add` (`cargo xtask reset close_pipeline` restores the file; \
         your version is kept in my-work/backups/).",
    );
    ensure(
        result == Err(ReadError("read record 3: corrupt".to_owned())),
        ID,
        format!(
            "`run_job` returned {result:?}, expected `Err(ReadError(\"read record 3: corrupt\"))`"
        ),
    );
}

#[test]
fn a_second_failure_while_the_first_one_stops_the_job_never_wins() {
    // Reader A fails first; reader B fails on its own (not because of the
    // cancel) while A's producer is inside `cancel()`, *before* the token is
    // set: the check holds A there (the given `Cancel` runs a hook at the
    // start of `cancel()`) until B has failed and its producer has finished.
    // B's error is the second to happen, and the job still looks
    // uncancelled to B's producer: one that asks `is_cancelled()` to decide
    // who is first, and then writes the slot without looking, lets B
    // overwrite A. Both orders of the readers.
    for a_first in [false, true] {
        let race = CancelRace::new(Schedule::EffectFinishesFirst);
        let (race_a, race_b) = (race.clone(), race.clone());
        let (a_cancelling_tx, a_cancelling_rx) = crossbeam_channel::bounded::<()>(1);
        let (b_reading_tx, b_reading_rx) = crossbeam_channel::bounded::<()>(1);
        // B waits for A's cancel or the end of the check, nothing else.
        let (over_tx, over_rx) = crossbeam_channel::bounded::<()>(0);
        let b_failed = Arc::new(AtomicBool::new(false));
        let b_failed_seen = Arc::clone(&b_failed);
        let fails_first: Reader = Box::new(move |cancel: &Cancel| {
            let _ = b_reading_rx.recv_timeout(grader::budget::HANDED_OVER.get());
            let hold = race_a.hook();
            let a = thread::current().id();
            let signal = a_cancelling_tx.clone();
            cancel.before_cancel_for_checks(move || {
                if thread::current().id() == a {
                    let _ = signal.try_send(());
                }
                hold();
            });
            race_a.a_is_here();
            Some(Err(ReadError("A: read record 0: corrupt".to_owned())))
        });
        let fails_while_a_cancels: Reader = Box::new(move |_: &Cancel| {
            race_b.b_is_here();
            let _ = b_reading_tx.try_send(());
            crossbeam_channel::select! {
                // Disconnected without a message: the hook was dropped
                // without ever running (the given `Cancel` was changed).
                recv(a_cancelling_rx) -> signal => {
                    b_failed_seen.store(signal.is_ok(), Ordering::SeqCst)
                }
                recv(over_rx) -> _ => {}
            }
            Some(Err(ReadError("B: read record 9: timeout".to_owned())))
        });
        let readers = if a_first {
            vec![fails_first, fails_while_a_cancels]
        } else {
            vec![fails_while_a_cancels, fails_first]
        };
        let hook = race.clone();
        let result = grader::run_explained(
            ID,
            "`run_job` where reader A fails, and reader B fails while A's producer is cancelling",
            || stuck_after_a_failed_read(hook.hook_calls() > 0),
            move || run_job(readers),
        );
        drop(over_tx);
        ensure(race.hook_calls() > 0, ID, race::hook_never_ran(ID));
        match result {
            Err(ReadError(e)) if e.starts_with("A:") => {}
            Err(ReadError(e)) if e.starts_with("B:") && b_failed.load(Ordering::SeqCst) => fail(
                ID,
                "`run_job` returned reader B's error, but reader A failed first: B failed while \
                 A's producer was inside `cancel()`, before the token was set (the check held it \
                 there, as a busy machine may). To B's producer the job still looked \
                 uncancelled, and B's error took the place of A's. `is_cancelled()` cannot tell \
                 who failed first: look at the slot itself, and fill it only if it is empty, \
                 under one lock (`if first.is_none() { *first = Some(e) }`).",
            ),
            other => fail(
                ID,
                format!(
                    "`run_job` returned {other:?}, expected \
                     `Err(ReadError(\"A: read record 0: corrupt\"))`"
                ),
            ),
        }
    }
}

#[test]
fn no_read_starts_when_the_stop_came_during_a_send() {
    // Reader X answers at once, without end. The consumer is held at its
    // first record until the job is cancelled (the given `Total` runs the
    // check's hook), so the channel fills and X's producer blocks in `send`.
    // Reader F fails once the rest of the job waits (`grader::hold`): X's
    // producer is then inside `send`, past any look at the token it made
    // after its read. When the cancel frees the consumer and the `send`
    // completes, a producer that asks the token before every read stops; one
    // that asked only between its read and its `send` reads again, after
    // the cancel.
    let holds = Holds::new(Release::OldestFirst);
    let read_after_cancel = Arc::new(AtomicBool::new(false));
    let x_read_after = Arc::clone(&read_after_cancel);
    // X's first record waits until F has set the consumer's hook.
    let (hooked_tx, hooked_rx) = crossbeam_channel::bounded::<()>(1);
    let mut x_started = false;
    let endless: Reader = Box::new(move |cancel: &Cancel| {
        if !x_started {
            x_started = true;
            let _ = hooked_rx.recv_timeout(grader::budget::HANDED_OVER.get());
        }
        if cancel.is_cancelled() {
            x_read_after.store(true, Ordering::SeqCst);
            return None;
        }
        Some(Ok(1))
    });
    // The consumer waits for the cancel or the end of the check, nothing else.
    let (over_tx, over_rx) = crossbeam_channel::bounded::<()>(0);
    let (hold, cancelled) = (holds.clone(), Arc::new(AtomicBool::new(false)));
    let cancelled_in_hook = Arc::clone(&cancelled);
    let mut failed = false;
    let fails: Reader = Box::new(move |cancel: &Cancel| {
        if failed {
            return None;
        }
        failed = true;
        let flag = Arc::clone(&cancelled_in_hook);
        cancel.on_cancel_for_checks(move || flag.store(true, Ordering::SeqCst));
        let (done, over) = (cancel.done().clone(), over_rx.clone());
        let first = AtomicBool::new(true);
        cancel.on_total_for_checks(move |event| {
            if event == TotalEvent::Added && first.swap(false, Ordering::SeqCst) {
                crossbeam_channel::select! {
                    recv(done) -> _ => {}
                    recv(over) -> _ => {}
                }
            }
        });
        let _ = hooked_tx.try_send(());
        hold.hold_here();
        Some(Err(ReadError("read record 3: corrupt".to_owned())))
    });
    let cancelled_seen = Arc::clone(&cancelled);
    let result = holds.run(
        ID,
        "`run_job` with an endless reader and one that fails while the other's producer is \
         sending",
        || stuck_after_a_failed_read(cancelled_seen.load(Ordering::SeqCst)),
        move || run_job(vec![endless, fails]),
    );
    drop(over_tx);
    ensure(
        !read_after_cancel.load(Ordering::SeqCst),
        ID,
        "a producer started a read after the job was cancelled: the cancel came while it was \
         sending its last record (the channel was full), and once the `send` went through it \
         read again without asking the token. No read may start once the token is \
         cancelled: ask `cancel.is_cancelled()` right before *every* read, not between a \
         read and its `send`.",
    );
    ensure(
        result == Err(ReadError("read record 3: corrupt".to_owned())),
        ID,
        format!(
            "`run_job` returned {result:?}, expected `Err(ReadError(\"read record 3: corrupt\"))`"
        ),
    );
}
