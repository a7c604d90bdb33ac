// Checks for `cancel_fanout`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/cancel_fanout.rs`).
//
// The sources are channels the checks fill (or keep open and silent, so that
// only a cancel can stop their producers), and the sinks are the checks' own
// closures. The events are put in order explicitly: a source fails only once
// a sink is writing, sink A fails only once sink B is writing, sink B fails
// only once the job is cancelled. To see the cancel, a sink keeps a clone of
// the job's `cancel.done()`.
//
// Waits of at most 200 ms (GRACE) are for something a correct job does at
// once (cancel, microseconds after the error); only a job that never does it
// pays them. To catch a job that returns before joining its threads, or that
// cancels once its producers are done, a thread is held in the check's code
// (`grader::hold`) until the rest of the job waits for it: a right job gets
// it back at once, and never waits on a timer.
//
// "Not one that the cancel caused later" is a race in a wrong job: between
// sink A's cancel and A's keeping its error, sink B can fail because of the
// cancel and keep its own. On an idle machine A wins that race almost every
// time, so the check does not run it and hope: the given `Cancel` runs a
// hook inside `cancel()`, and `grader::race` uses it to hold A's thread
// there (and B's, in the second schedule) until the other thread has done
// its part. A job that keeps the error *before* it cancels returns A's error
// whatever the schedule.

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, bounded, select};
use exercise::{Cancel, JobError, Sink, Source, run_job};
use grader::hold::{Holds, Release};
use grader::race::{self, CancelRace, Schedule};
use grader::{ensure, fail, run};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;

const ID: &str = "cancel_fanout";

const STUCK: &str = "Some thread of the job never finished. Does every error, a failed read *or* \
     a failed write, cancel the job? The producers wait for their sources in a `select!` \
     with `cancel.done()`: only the cancel can stop them.";

/// A source that delivers `records`, then ends.
fn finite(records: Vec<Result<u64, String>>) -> Source {
    let (tx, rx) = bounded(records.len().max(1));
    for r in records {
        tx.send(r).expect("room for every record");
    }
    rx
}

/// A source that delivers what the check sends, and ends only when the
/// check drops the `Sender`.
fn held() -> (Sender<Result<u64, String>>, Source) {
    bounded(10)
}

/// Whether the job's token is cancelled within `budget::GRACE`: a correct job
/// cancels microseconds after the error.
fn cancelled_soon(done: &Receiver<()>) -> bool {
    !matches!(done.recv_timeout(grader::budget::GRACE.get()), Err(RecvTimeoutError::Timeout))
}

#[test]
fn stores_every_record_of_a_clean_job() {
    let sources: Vec<Source> = (0..3)
        .map(|p| finite((p * 100..p * 100 + 100).map(Ok).collect()))
        .collect();
    // The job's first write is held (`grader::hold`) until the rest of the
    // job waits for it: by then the other sink has stored the rest and the
    // producers have ended, so a job that cancels when they are done (not
    // only on an error) has done it. Then the write looks at the token. A
    // right job never cancels, and gets its write back at once.
    let holds = Holds::new(Release::OldestFirst);
    let total = Arc::new(AtomicU64::new(0));
    let cancelled_calls = Arc::new(AtomicU64::new(0));
    let first_write = Arc::new(AtomicBool::new(true));
    let cancelled_during_a_write = Arc::new(AtomicBool::new(false));
    let sinks: Vec<Sink> = (0..2)
        .map(|_| {
            let (total, cancelled_calls) = (Arc::clone(&total), Arc::clone(&cancelled_calls));
            let (first_write, cancelled_during_a_write) =
                (Arc::clone(&first_write), Arc::clone(&cancelled_during_a_write));
            let holds = holds.clone();
            Box::new(move |r: u64, cancel: &Cancel| {
                if cancel.is_cancelled() {
                    cancelled_calls.fetch_add(1, Ordering::SeqCst);
                } else if first_write.swap(false, Ordering::SeqCst) {
                    holds.hold_here();
                    if cancel.is_cancelled() {
                        cancelled_during_a_write.store(true, Ordering::SeqCst);
                    }
                }
                total.fetch_add(r, Ordering::SeqCst);
                Ok(())
            }) as Sink
        })
        .collect();
    let result = holds.run(
        ID,
        "`run_job` with 3 sources of 100 records and 2 working sinks",
        || "Nothing fails here: do the workers stop once every source has ended?".to_owned(),
        move || run_job(sources, sinks),
    );
    ensure(
        result == Ok(300),
        ID,
        format!("`run_job` on a clean job returned {result:?}, expected Ok(300)"),
    );
    ensure(
        total.load(Ordering::SeqCst) == (0..300).sum::<u64>(),
        ID,
        "the sinks did not store each of the 300 records exactly once",
    );
    ensure(
        !cancelled_during_a_write.load(Ordering::SeqCst),
        ID,
        "nothing failed, yet the job was cancelled while a sink was still writing (once the \
         producers were done, it seems): only an error cancels the job. errgroup's Wait \
         cancels the context too, but only after every task, the sinks' workers included, \
         has returned.",
    );
    let cancelled_calls = cancelled_calls.load(Ordering::SeqCst);
    ensure(
        cancelled_calls == 0,
        ID,
        format!(
            "nothing failed, yet {cancelled_calls} writes were handed a token that said \
             `is_cancelled()`: a clean job is never cancelled"
        ),
    );
}

#[test]
fn a_failed_write_cancels_the_producers() {
    // Source 1 delivers record 13 and then nothing; source 2 delivers
    // nothing. Both stay open: their producers wait in a `select!`, and only
    // the cancel can end them. Both sinks fail on record 13.
    let (one_tx, one) = held();
    let (two_tx, two) = held();
    one_tx.send(Ok(13)).unwrap();
    let (failed_tx, failed_rx) = bounded::<Receiver<()>>(2);
    let sinks: Vec<Sink> = (0..2)
        .map(|_| {
            let failed_tx = failed_tx.clone();
            Box::new(move |_: u64, cancel: &Cancel| {
                let _ = failed_tx.send(cancel.done().clone());
                Err("sink unavailable".to_owned())
            }) as Sink
        })
        .collect();
    drop(failed_tx);
    // Waits for the failed write, then for the cancel; then ends the sources,
    // so that a job that never cancels still finishes.
    let watcher = thread::spawn(move || {
        let cancelled = match failed_rx.recv_timeout(grader::budget::HANDED_OVER.get()) {
            Ok(done) => Some(cancelled_soon(&done)),
            Err(_) => None,
        };
        drop((one_tx, two_tx));
        cancelled
    });
    let result = run(
        ID,
        "`run_job` with 2 workers, one of which fails, and sources that wait",
        STUCK,
        move || run_job(vec![one, two], sinks),
    );
    match watcher.join().expect("the watcher thread") {
        Some(true) => {}
        Some(false) => fail(
            ID,
            "a write failed, and 200 ms later the job was still not cancelled: its producers \
             were still waiting for their sources. A worker that returns does drop its \
             `Receiver`, but the other worker still holds one, so the channel stays \
             connected; and a producer waiting for its *source* would not see a \
             disconnection anyway. Like errgroup.WithContext, an error on either side must \
             cancel the job.",
        ),
        None => fail(ID, "no sink was ever called, but source 1 had record 13"),
    }
    ensure(
        result == Err(JobError::Write("sink unavailable".to_owned())),
        ID,
        format!("`run_job` returned {result:?}, expected the failed write"),
    );
}

#[test]
fn a_failed_sink_is_never_called_again() {
    // One source of 5 records, one sink that fails on its first write. The
    // write is held (`grader::hold`) until the rest of the job waits for it:
    // by then the producer has put the other 4 records in the channel and
    // ended. A worker whose write failed is a task that failed: it returns
    // (errgroup's task returns its error), so the sink is called once. A
    // worker that records the error and goes on writes the 4 others to the
    // sink that has just failed.
    let holds = Holds::new(Release::OldestFirst);
    let calls = Arc::new(AtomicU64::new(0));
    let sink: Sink = {
        let (calls, holds) = (Arc::clone(&calls), holds.clone());
        Box::new(move |_: u64, _: &Cancel| {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                holds.hold_here();
            }
            Err("disk full".to_owned())
        })
    };
    let source = finite((1..=5).map(Ok).collect());
    let result = holds.run(
        ID,
        "`run_job` with a source of 5 records and one sink that fails",
        || STUCK.to_owned(),
        move || run_job(vec![source], vec![sink]),
    );
    ensure(
        result == Err(JobError::Write("disk full".to_owned())),
        ID,
        format!("`run_job` returned {result:?}, expected the failed write"),
    );
    let calls = calls.load(Ordering::SeqCst);
    ensure(
        calls == 1,
        ID,
        format!(
            "the sink failed on its first write, and its worker then called it {} more times \
             with the records left in the channel: a failed write fails the worker's task, as \
             a failed read ends its producer. Keep the error, cancel, and return.",
            calls.saturating_sub(1)
        ),
    );
}

#[test]
fn a_failed_read_cancels_the_sinks() {
    // Source 1 delivers record 5; once the sink is writing it, source 1
    // fails. The sink waits for the cancel (a slow database that gives up
    // when the job is cancelled). Source 2 stays open and silent.
    let (one_tx, one) = held();
    let (two_tx, two) = held();
    let (writing_tx, writing_rx) = bounded::<()>(1);
    let (saw_tx, saw_rx) = bounded::<bool>(1);
    let sink: Sink = Box::new(move |_: u64, cancel: &Cancel| {
        let _ = writing_tx.try_send(());
        // Both faces of the token: `done()` fires, and `is_cancelled()` says so.
        let saw = cancelled_soon(cancel.done()) && cancel.is_cancelled();
        let _ = saw_tx.try_send(saw);
        if saw {
            Err("write aborted: the job was cancelled".to_owned())
        } else {
            Ok(())
        }
    });
    let feeder = thread::spawn(move || {
        let _ = one_tx.send(Ok(5));
        if writing_rx.recv_timeout(grader::budget::HANDED_OVER.get()).is_ok() {
            let _ = one_tx.send(Err("connection reset".to_owned()));
        }
        // Once the sink has decided, end the sources: a job that never
        // cancels finishes too, and the verdict is the sink's.
        let saw = saw_rx.recv_timeout(grader::budget::HANDED_OVER.get()).ok();
        drop((one_tx, two_tx));
        saw
    });
    let result = run(
        ID,
        "`run_job` where a source fails while the sink is writing",
        STUCK,
        move || run_job(vec![one, two], vec![sink]),
    );
    match feeder.join().expect("the feeder thread") {
        Some(true) => {}
        Some(false) => fail(
            ID,
            "a read failed while the sink was writing, and the sink waited 200 ms for the \
             cancel in vain. A failed read must cancel the job, so that every task that \
             watches the token (the sinks, the other producers) stops.",
        ),
        None => fail(ID, "the sink was never called, but source 1 had record 5"),
    }
    ensure(
        result == Err(JobError::Read("connection reset".to_owned())),
        ID,
        format!(
            "`run_job` returned {result:?}, expected the read error: the sink's \"write \
             aborted\" came after it, because of the cancel it caused"
        ),
    );
}

#[test]
fn returns_the_first_error_to_happen() {
    // Sink B (spawned first) fails only after the cancel (or after GRACE);
    // sink A fails once B is writing. A's error is the first to happen,
    // every time.
    let source = finite(vec![Ok(1), Ok(2)]);
    let (b_writing_tx, b_writing_rx) = bounded::<()>(1);
    let b: Sink = Box::new(move |_: u64, cancel: &Cancel| {
        let _ = b_writing_tx.try_send(());
        let _ = cancelled_soon(cancel.done());
        Err("B: write aborted".to_owned())
    });
    let a: Sink = Box::new(move |_: u64, _: &Cancel| {
        let _ = b_writing_rx.recv_timeout(grader::budget::HANDED_OVER.get());
        Err("A: sink unavailable".to_owned())
    });
    let result = run(
        ID,
        "`run_job` where sink A fails, and then sink B",
        STUCK,
        move || run_job(vec![source], vec![b, a]),
    );
    match result {
        Err(JobError::Write(e)) if e == "A: sink unavailable" => {}
        Err(JobError::Write(e)) if e.starts_with("B:") => fail(
            ID,
            "`run_job` returned sink B's error, but sink A failed first: B gave up only \
             after A's failure (because of the cancel it caused, or after waiting for it). \
             Like errgroup's Wait, return the first error to *happen*, not the first in the \
             order you join the threads: keep it where every task can see it, at the moment \
             it happens, before you cancel.",
        ),
        other => fail(
            ID,
            format!("`run_job` returned {other:?}, expected `Err(Write(\"A: sink unavailable\"))`"),
        ),
    }
}

#[test]
fn no_thread_outlives_run_job() {
    // Source 1 fails once the sink is writing record 1 of source 2; the sink
    // waits for the cancel, then fails too; source 3 stays open and silent.
    // The worker, once it has seen the cancel, and every thread the job
    // started that calls `cancel()` (source 1's producer) are held there
    // (`grader::hold`; in `cancel()` through the hook the given `Cancel`
    // runs) until the rest of the job waits for them, one at a time, in both
    // orders. A job that joins every thread gets them back at once; one that
    // does not join the producers, or the workers, returns while one of them
    // is still held.
    for release in Release::BOTH {
        let holds = Holds::new(release);
        let (one_tx, one) = held();
        let (three_tx, three) = held();
        let (hooked_tx, hooked_rx) = bounded::<()>(1);
        // The sink waits for the cancel or the end of the check, nothing else.
        let (over_tx, over_rx) = bounded::<()>(0);
        let hold = holds.clone();
        let sink: Sink = Box::new(move |_: u64, cancel: &Cancel| {
            let in_cancel = hold.clone();
            cancel.on_cancel_for_checks(move || in_cancel.hold_here());
            hold.watch_this_thread();
            let _ = hooked_tx.try_send(());
            select! {
                recv(cancel.done()) -> _ => {}
                recv(over_rx) -> _ => {}
            }
            hold.hold_here();
            Err("write aborted: the job was cancelled".to_owned())
        });
        let feeder = thread::spawn(move || {
            if hooked_rx.recv_timeout(grader::budget::HANDED_OVER.get()).is_ok() {
                let _ = one_tx.send(Err("connection refused".to_owned()));
            }
            (one_tx, three_tx)
        });
        let sources = vec![one, finite(vec![Ok(1)]), three];
        let result = holds.run(
            ID,
            "`run_job` where a source fails while the only sink is writing, and the sink fails \
             once the job is cancelled",
            || STUCK.to_owned(),
            move || run_job(sources, vec![sink]),
        );
        drop(over_tx);
        drop(feeder.join().expect("the feeder thread"));
        ensure(
            !holds.outlived(),
            ID,
            "`run_job` returned while a thread it started was still running (a producer or a \
             worker: the check kept it busy until the rest of the job waited for it). Like \
             errgroup's Wait, return the first error only after every task has returned, \
             producers and workers alike: the cancel asks them to stop, something still has to \
             join them. A sleep before returning only makes this rarer.",
        );
        ensure(holds.holds() > 0, ID, race::hook_never_ran(ID));
        ensure(
            result.is_err(),
            ID,
            format!("`run_job` returned {result:?}, but a read and a write had failed"),
        );
    }
}

/// Sink A fails once sink B is writing; B waits for the cancel, then fails.
/// `race` holds the threads inside `cancel()` in its schedule's order.
/// `b_saw_cancel` says whether B was woken by a cancel. B waits for nothing
/// else but the end of the check (`over`, dropped once `run` is done): with
/// no timer of its own, a job that never cancels is stuck every run, however
/// long the watchdog waits on a busy machine.
fn a_then_b_caused(
    race: &CancelRace,
    b_saw_cancel: Arc<AtomicBool>,
    over: Receiver<()>,
) -> (Sink, Sink) {
    let (b_writing_tx, b_writing_rx) = bounded::<()>(1);
    let race_a = race.clone();
    let a: Sink = Box::new(move |_: u64, cancel: &Cancel| {
        let _ = b_writing_rx.recv_timeout(grader::budget::HANDED_OVER.get());
        cancel.on_cancel_for_checks(race_a.hook());
        race_a.a_is_here();
        Err("A: sink unavailable".to_owned())
    });
    let race_b = race.clone();
    let b: Sink = Box::new(move |_: u64, cancel: &Cancel| {
        race_b.b_is_here();
        let _ = b_writing_tx.try_send(());
        select! {
            recv(cancel.done()) -> _ => b_saw_cancel.store(true, Ordering::SeqCst),
            recv(over) -> _ => {}
        }
        race_b.b_fails_now();
        Err("B: write aborted by the cancel".to_owned())
    });
    (a, b)
}

#[test]
fn an_error_it_caused_never_replaces_the_first() {
    // Every schedule of `grader::race` (the first leaves nothing to race, so
    // that a job that picks the error by order is told so, not told it lost
    // a race), both spawn orders.
    for schedule in Schedule::ALL {
        for b_first in [true, false] {
            let race = CancelRace::new(schedule);
            let b_saw_cancel = Arc::new(AtomicBool::new(false));
            let (over_tx, over_rx) = bounded::<()>(0);
            let (a, b) = a_then_b_caused(&race, Arc::clone(&b_saw_cancel), over_rx);
            let sinks = if b_first { vec![b, a] } else { vec![a, b] };
            let source = finite(vec![Ok(1), Ok(2)]);
            let result = run(
                ID,
                "`run_job` where sink A fails, and sink B fails because of the cancel",
                STUCK,
                move || run_job(vec![source], sinks),
            );
            drop(over_tx);
            ensure(
                !b_saw_cancel.load(Ordering::SeqCst) || race.hook_calls() > 0,
                ID,
                race::hook_never_ran(ID),
            );
            match result {
                Err(JobError::Write(e)) if e.starts_with("A:") => {}
                Err(JobError::Write(e)) if e.starts_with("B:") => fail(
                    ID,
                    race::b_won(schedule, "`run_job` returned sink B's error", "A's failure"),
                ),
                other => fail(
                    ID,
                    format!(
                        "`run_job` returned {other:?}, expected `Err(Write(\"A: sink \
                         unavailable\"))`: A failed first, and B only because of the cancel"
                    ),
                ),
            }
        }
    }
}

#[test]
fn a_second_failure_while_the_first_one_stops_the_job_never_wins() {
    // Sink A fails first; sink B fails on its own (not because of the
    // cancel) while the first `cancel()` runs, *before* the token is
    // set: the check holds A there (the given `Cancel` runs a hook at the
    // start of `cancel()`) until B has failed and its worker has finished.
    // To B's worker the job still looks uncancelled: one that asks
    // `is_cancelled()` to decide who is first, and then writes the slot
    // without looking, lets B overwrite A. Both orders of the sinks.
    for b_first in [true, false] {
        let race = CancelRace::new(Schedule::EffectFinishesFirst);
        let (race_a, race_b) = (race.clone(), race.clone());
        let (a_cancelling_tx, a_cancelling_rx) = bounded::<()>(1);
        let (b_writing_tx, b_writing_rx) = bounded::<()>(1);
        // B waits for A's cancel or the end of the check, nothing else.
        let (over_tx, over_rx) = bounded::<()>(0);
        let b_failed = Arc::new(AtomicBool::new(false));
        let b_failed_seen = Arc::clone(&b_failed);
        let a: Sink = Box::new(move |_: u64, cancel: &Cancel| {
            let _ = b_writing_rx.recv_timeout(grader::budget::HANDED_OVER.get());
            let hold = race_a.hook();
            let signal = a_cancelling_tx.clone();
            // B fails at the first cancel, whoever calls it (A's worker, or a
            // coordinator that cancels for it); only A's worker is held.
            cancel.before_cancel_for_checks(move || {
                let _ = signal.try_send(());
                hold();
            });
            race_a.a_is_here();
            Err("A: sink unavailable".to_owned())
        });
        let b: Sink = Box::new(move |_: u64, _: &Cancel| {
            race_b.b_is_here();
            let _ = b_writing_tx.try_send(());
            select! {
                // Disconnected without a message: the hook was dropped
                // without ever running (the given `Cancel` was changed).
                recv(a_cancelling_rx) -> signal => {
                    b_failed_seen.store(signal.is_ok(), Ordering::SeqCst)
                }
                recv(over_rx) -> _ => {}
            }
            Err("B: disk full".to_owned())
        });
        let sinks = if b_first { vec![b, a] } else { vec![a, b] };
        let source = finite(vec![Ok(1), Ok(2)]);
        let result = run(
            ID,
            "`run_job` where sink A fails, and sink B fails while A's worker is cancelling",
            STUCK,
            move || run_job(vec![source], sinks),
        );
        drop(over_tx);
        ensure(race.hook_calls() > 0, ID, race::hook_never_ran(ID));
        match result {
            Err(JobError::Write(e)) if e.starts_with("A:") => {}
            Err(JobError::Write(e)) if e.starts_with("B:") && b_failed.load(Ordering::SeqCst) => {
                fail(
                    ID,
                    "`run_job` returned sink B's error, but sink A failed first: B failed while \
                     A's worker was inside `cancel()`, before the token was set (the check held \
                     it there, as a busy machine may). To B's worker the job still looked \
                     uncancelled, and B's error took the place of A's. `is_cancelled()` cannot \
                     tell who failed first: look at the slot itself, and fill it only if it is \
                     empty, under one lock (`if first.is_none() { *first = Some(e) }`).",
                )
            }
            other => fail(
                ID,
                format!(
                    "`run_job` returned {other:?}, expected \
                     `Err(JobError::Write(\"A: sink unavailable\"))`"
                ),
            ),
        }
    }
}
