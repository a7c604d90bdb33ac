// Checks for `leak_runner`, compiled into `exercises`, `solutions` and `fixtures`.
// `exercise` is the module under test (your `exercises/src/leak_runner.rs`).
//
// How they see a leak without waiting: the consumer these checks hand to `run`
// gives the check a clone of the job's `Receiver` as soon as it starts. Once
// `run` has returned, `try_recv` on that clone tells at once whether any
// `Sender` of the job is still alive (`Empty`) or all are gone
// (`Disconnected`). The consumer also carries a drop probe and a `Live` guard,
// so the check knows when its thread is done.
//
// How they see a `run` that returns without joining the consumer, without a
// timer: where a check needs a slow consumer, it is held in the check's code
// once its channel is closed (`grader::hold`) until the rest of the call waits
// for it. A `run` that joins it gets it back within a millisecond or two; one
// that does not returns while it is still held.

use crossbeam_channel::{Receiver, TryRecvError};
use exercise::{Consumer, JobCtx, JobError, JobRunner, Producer, Record};
use grader::hold::{Holds, Release};
use grader::{Live, Probe, Token, fail};
use std::sync::mpsc::{self, RecvTimeoutError};

const ID: &str = "leak_runner";

const IF_STUCK: &str = "`run` is probably waiting in `join()` for the consumer, and the consumer \
     for the last `Sender` of the job to go away. Which `Sender` is still alive, and who owns it?";

/// What the check can observe about one job's consumer.
struct Watch {
    /// Dropped when the consumer closure has finished.
    done: Probe,
    /// Receives a clone of the job's `Receiver` when the consumer starts.
    channel: mpsc::Receiver<Receiver<Record>>,
    /// The holds of the job's call: the call runs through them, and a held
    /// consumer is held in them.
    holds: Holds,
}

/// A consumer that keeps every record it receives (like the incident's job)
/// and returns their total as soon as its channel is closed. For checks that
/// need no slow consumer (see `held_consumer`).
fn consumer(live: &Live) -> (Consumer, Watch) {
    consumer_held_or_not(live, false)
}

/// Like `consumer`, but once its channel is closed it is held in the check's
/// code (`grader::hold`: writing its report, as slowly as it likes) until the
/// rest of the call waits for it. A `run` that returns without joining it
/// returns while it is still held, however fast the machine.
fn held_consumer(live: &Live) -> (Consumer, Watch) {
    consumer_held_or_not(live, true)
}

fn consumer_held_or_not(live: &Live, held: bool) -> (Consumer, Watch) {
    let (token, done) = grader::token();
    let guard = live.guard();
    let holds = Holds::new(Release::OldestFirst);
    let holds_here = holds.clone();
    let (peek_tx, peek_rx) = mpsc::channel();
    let consumer: Consumer = Box::new(move |rx: Receiver<Record>| {
        // The guard goes first: once the probe sees the token dropped, `live`
        // no longer counts this consumer.
        let _running = (guard, token);
        let _ = peek_tx.send(rx.clone());
        drop(peek_tx);
        let rows: Vec<Record> = rx.iter().collect();
        if held {
            holds_here.hold_here();
        }
        rows.iter().sum()
    });
    (
        consumer,
        Watch {
            done,
            channel: peek_rx,
            holds,
        },
    )
}

/// A producer that sends `records`; `token` is dropped when it has returned.
fn sends(records: Vec<Record>, token: Token) -> Producer {
    Box::new(move |ctx: &JobCtx| {
        let _returned = token;
        for r in records {
            ctx.send(r)?;
        }
        Ok(())
    })
}

/// A producer that sends `records`, then waits until every producer watched
/// by `others` has returned, then fails with `error`.
fn fails_last(records: Vec<Record>, others: Vec<Probe>, error: JobError) -> Producer {
    Box::new(move |ctx: &JobCtx| {
        for r in records {
            ctx.send(r)?;
        }
        for other in &others {
            // Bounded, under the watchdog: if another producer is stuck, the watchdog reports it.
            other.dropped_within(grader::budget::HELPER.get());
        }
        Err(error)
    })
}

fn read_error(job: &str) -> JobError {
    JobError(format!("{job}: read record 7: corrupt record"))
}

/// A job of three producers whose last one fails once the other two have
/// returned: the shape of the incident's job.
fn failing_job(job: &str) -> (Vec<Producer>, JobError) {
    let (t0, p0) = grader::token();
    let (t1, p1) = grader::token();
    let error = read_error(job);
    let producers = vec![
        sends((0..5).collect(), t0),
        sends((5..10).collect(), t1),
        fails_last(vec![10, 11], vec![p0, p1], error.clone()),
    ];
    (producers, error)
}

/// A job of three producers that all succeed; returns the expected total.
fn clean_job(records_each: u64) -> (Vec<Producer>, u64) {
    let mut producers = Vec::new();
    let mut expected = 0;
    for p in 0..3 {
        let records: Vec<Record> = (0..records_each).map(|x| x * 3 + p).collect();
        expected += records.iter().sum::<u64>();
        producers.push(sends(records, grader::token().0));
    }
    (producers, expected)
}

/// One job's run: the runner (moved in and out), what `run` returned, and
/// whether the job's consumer had finished at the moment `run` returned
/// (looked at on `run`'s own thread right then, not later) and was not left
/// held by it.
struct Ran {
    runner: JobRunner,
    result: Result<u64, JobError>,
    consumer_done: bool,
}

/// Runs one job under the watchdog (through the holds of its consumer's
/// `watch`), moving the runner in and out.
fn run_job(
    runner: JobRunner,
    job: &str,
    producers: Vec<Producer>,
    consumer: Consumer,
    watch: &Watch,
) -> Ran {
    let name = job.to_owned();
    let done = watch.done.clone();
    let ran = watch.holds.run(
        ID,
        &format!("`runner.run(\"{job}\", ..)`"),
        || IF_STUCK.to_owned(),
        move || {
            let mut runner = runner;
            let result = runner.run(&name, producers, consumer);
            let consumer_done = done.is_dropped();
            Ran {
                runner,
                result,
                consumer_done,
            }
        },
    );
    Ran {
        consumer_done: ran.consumer_done && !watch.holds.outlived(),
        ..ran
    }
}

/// Why the job's consumer is (or will be) left behind, if it is: a `Sender`
/// still alive now, or a consumer that was still running when `run`
/// returned. Call it right after `run` returned.
fn left_behind(watch: &Watch, consumer_done: bool) -> Option<String> {
    match watch.channel.recv_timeout(grader::budget::HANDED_OVER.get()) {
        Ok(rx) => loop {
            match rx.try_recv() {
                Ok(_) => continue, // records still queued: look past them
                Err(TryRecvError::Disconnected) => break,
                Err(TryRecvError::Empty) => {
                    return Some(
                        "the job's channel is still open: a `Sender` of the job is still alive, so \
                         the consumer thread stays blocked in `for record in rx` forever, \
                         holding every record it received. `run` has returned, so its local \
                         variables are gone: who else still owns the job's `Sender`? Look at \
                         what outlives `run`, such as what it keeps in `self`, and at what it \
                         never drops: `mem::forget` skips `Drop`, so a forgotten `Arc` or \
                         `Sender` is never released."
                            .to_owned(),
                    );
                }
            }
        },
        // The consumer closure was dropped without being called.
        Err(RecvTimeoutError::Disconnected) => {}
        Err(RecvTimeoutError::Timeout) => {
            return Some("the job's consumer never started".to_owned());
        }
    }
    if consumer_done {
        None
    } else {
        Some(
            "its consumer thread was still running when `run` returned (the channel was closed, \
             so it was about to end, but nobody waited for it): `join` the consumer before you \
             return, on the error path too."
                .to_owned(),
        )
    }
}

#[test]
fn a_clean_job_returns_its_total() {
    // 3 producers x 400 records through a 10-record buffer. The consumer is
    // held once its channel is closed, so a `run` that returns the total
    // without joining it returns while it still runs.
    let live = Live::new();
    let (producers, expected) = clean_job(400);
    let (consumer, watch) = held_consumer(&live);
    let Ran {
        runner: _runner, // keeps what the runner owns alive, as a service would
        result,
        consumer_done,
    } = run_job(JobRunner::new(), "job 1", producers, consumer, &watch);
    match result {
        Ok(total) if total == expected => {}
        other => fail(
            ID,
            format!("a clean job returned {other:?}, expected Ok({expected}): records were lost"),
        ),
    }
    if let Some(why) = left_behind(&watch, consumer_done) {
        fail(ID, format!("after a clean job, {why}"));
    }
}

#[test]
fn a_failed_job_returns_the_error_of_its_producer() {
    // Only the error: a consumer left running is `a_failed_job_leaves_no_thread_behind`'s
    // (held there), so this one needs no slow consumer.
    let live = Live::new();
    let (producers, error) = failing_job("job 1");
    let (consumer, watch) = consumer(&live);
    let result = run_job(JobRunner::new(), "job 1", producers, consumer, &watch).result;
    grader::ensure(
        result.as_ref() == Err(&error),
        ID,
        format!(
            "the third producer of `job 1` failed with {error:?}, but `run` returned {result:?}"
        ),
    );
}

#[test]
fn a_failed_job_leaves_no_thread_behind() {
    // The consumer is held once its channel is closed, so a `run` that
    // returns the error without joining it returns while it still runs.
    let live = Live::new();
    let (producers, error) = failing_job("job 1");
    let (consumer, watch) = held_consumer(&live);
    let Ran {
        runner: _runner, // keeps what the runner owns alive, as a service would
        result,
        consumer_done,
    } = run_job(JobRunner::new(), "job 1", producers, consumer, &watch);
    grader::ensure(
        result.as_ref() == Err(&error),
        ID,
        format!("`run` returned {result:?}, expected Err({error:?})"),
    );
    if let Some(why) = left_behind(&watch, consumer_done) {
        fail(
            ID,
            format!(
                "`run(\"job 1\", ..)` returned its error, but {why}"
            ),
        );
    }
}

#[test]
fn a_failed_job_waits_for_a_slow_consumer() {
    // The failed job's consumer, once its channel is closed, is held in the
    // check's code until the rest of the call waits for it (`grader::hold`):
    // a consumer that takes its time writing its report. A `run` that joins
    // it gets it back at once. One that waits for it only so long (a `sleep`
    // loop on `is_finished`, a `recv_timeout`) and then returns leaves it
    // running, or is seen waiting on its timer meanwhile.
    let live = Live::new();
    let (producers, error) = failing_job("job 1");
    let (consumer, watch) = held_consumer(&live);
    let holds = watch.holds.clone();
    let done = watch.done.clone();
    let (_runner, result, consumer_done) = holds.run(
        ID,
        "`runner.run(\"job 1\", ..)` with a consumer that takes its time",
        || IF_STUCK.to_owned(),
        move || {
            let mut runner = JobRunner::new();
            let result = runner.run("job 1", producers, consumer);
            let consumer_done = done.is_dropped();
            // The runner goes back to the check: what it owns stays alive.
            (runner, result, consumer_done)
        },
    );
    grader::ensure(
        result.as_ref() == Err(&error),
        ID,
        format!("`run` returned {result:?}, expected Err({error:?})"),
    );
    if let Some(why) = left_behind(&watch, consumer_done && !holds.outlived()) {
        fail(
            ID,
            format!(
                "`run(\"job 1\", ..)` returned its error, but {why} (This consumer took its \
                 time to write its report: however long it takes, wait for it.)"
            ),
        );
    }
    grader::ensure(
        !holds.saw_timer(),
        ID,
        "while the failed job's consumer was still writing its report, `run` waited on a \
         timer (a `sleep`, a `recv_timeout`, a deadline) instead of simply joining it: a \
         consumer slower than that timer would be left running. `join` the consumer; it ends \
         once the channel is closed.",
    );
}

#[test]
fn many_failed_jobs_leave_no_thread_behind() {
    // The incident: a long-lived process, one failed job every afternoon.
    // Each job's consumer is held once its channel is closed, so a `run` that
    // returns without joining it returns while it still runs.
    const JOBS: usize = 5;
    let live = Live::new();
    let mut runner = JobRunner::new();
    let mut watches = Vec::new();
    for n in 1..=JOBS {
        let job = format!("job {n}");
        let (producers, error) = failing_job(&job);
        let (consumer, watch) = held_consumer(&live);
        let ran = run_job(runner, &job, producers, consumer, &watch);
        runner = ran.runner;
        let result = ran.result;
        grader::ensure(
            result.as_ref() == Err(&error),
            ID,
            format!("`run(\"{job}\", ..)` returned {result:?}, expected Err({error:?})"),
        );
        watches.push((watch, ran.consumer_done));
    }
    for (n, (watch, consumer_done)) in watches.iter().enumerate() {
        if let Some(why) = left_behind(watch, *consumer_done) {
            fail(
                ID,
                format!(
                    "after {JOBS} failed jobs, for job {}: {why} A thread (and its records) \
                     per failed job, for as long as the runner lives, is the incident's leak.",
                    n + 1
                ),
            );
        }
    }
    grader::ensure(
        live.alive() == 0,
        ID,
        format!(
            "after {JOBS} failed jobs, {} consumer threads are still alive",
            live.alive()
        ),
    );
    drop(runner);
}

#[test]
fn failures_are_still_reported_oldest_first() {
    // Clean and failed jobs mixed; the failed names are not in alphabetical
    // order, and one job fails three times (a nightly job fails again the
    // next night, and again on the retry right after): the alert lists every
    // failed run, oldest first, so a list sorted, keyed by name or listing a
    // run of failures once shows. In the `audit` run two producers fail: one
    // failed run, listed once (a list filled where each producer's error is
    // seen lists it twice). Then an hourly job fails `HOURLY` times in a row,
    // so a list that keeps only the latest failures loses the oldest ones.
    // Only the list: a consumer left running is the other checks' (held
    // there), so these consumers end as soon as their channel is closed.
    const HOURLY: usize = 12;
    let jobs = [
        ("nightly export", true),
        ("billing", false),
        ("audit", true),
        ("billing", false),
        ("nightly export", true),
        ("nightly export", true),
    ];
    let live = Live::new();
    let mut runner = JobRunner::new();
    let mut expected = Vec::new();
    for (n, (job, fails)) in jobs.into_iter().enumerate() {
        if fails {
            let (producers, _) = failing_job(job);
            let (consumer, watch) = consumer(&live);
            // Each run fails with an error of its own, so a later failure of
            // the same job is told apart from the earlier one.
            let error = JobError(format!("{job}: run {}: read record 7: corrupt record", n + 1));
            let mut producers = with_error(producers, error.clone());
            let mut errors = vec![error];
            if job == "audit" {
                let also = JobError(format!("{job}: run {}: read record 2: corrupt record", n + 1));
                let first = producers.remove(0);
                let fails_too = also.clone();
                producers.insert(
                    0,
                    Box::new(move |ctx: &JobCtx| {
                        let _ = first(ctx);
                        Err(fails_too)
                    }),
                );
                errors.push(also);
            }
            let ran = run_job(runner, job, producers, consumer, &watch);
            runner = ran.runner;
            match ran.result {
                Err(e) if errors.contains(&e) => expected.push((job.to_owned(), e)),
                other => grader::fail(
                    ID,
                    format!(
                        "`{job}`, whose producers failed with {errors:?}, returned {other:?}: `run` \
                         returns one of them"
                    ),
                ),
            }
        } else {
            let (producers, total) = clean_job(20);
            let (consumer, watch) = consumer(&live);
            let ran = run_job(runner, job, producers, consumer, &watch);
            runner = ran.runner;
            let result = ran.result;
            grader::ensure(
                result == Ok(total),
                ID,
                format!(
                    "clean `{job}` after a failed one returned {result:?}, expected Ok({total})"
                ),
            );
        }
    }
    for hour in 1..=HOURLY {
        let job = "hourly sync";
        let error = JobError(format!("{job}: hour {hour}: read record 7: corrupt record"));
        let fails = error.clone();
        let producers: Vec<Producer> = vec![Box::new(move |_ctx: &JobCtx| Err(fails))];
        let (consumer, watch) = consumer(&live);
        runner = run_job(runner, job, producers, consumer, &watch).runner;
        expected.push((job.to_owned(), error));
    }
    let reported = runner.failures();
    if reported == expected {
        return;
    }
    let names: Vec<&str> = jobs.iter().map(|(job, _)| *job).collect();
    let why = if reported.len() < expected.len() {
        " A job that fails twice is two failures, also twice in a row: a list keyed by job \
         name, or one that skips a repeat of the last failure, keeps only one; a list that \
         keeps only the latest failures drops the oldest."
    } else if reported.len() > expected.len() {
        " A run in which two producers fail is one failed run: list the job once, with the \
         error `run` returned."
    } else {
        ""
    };
    grader::fail(
        ID,
        format!(
            "after the jobs {names:?} (the 1st, 3rd, 5th and 6th failed; in the 3rd, two \
             producers failed), then `hourly sync` failing {HOURLY} times, `failures()` returned \
             {reported:?}, expected {expected:?}: the alert still needs the name and error of \
             every failed run, oldest first.{why}"
        ),
    );
}

/// `producers` of `failing_job`, with the failing one's error replaced.
fn with_error(mut producers: Vec<Producer>, error: JobError) -> Vec<Producer> {
    let last = producers.pop().expect("a failing job has a failing producer");
    producers.push(Box::new(move |ctx: &JobCtx| {
        let _ = last(ctx);
        Err(error)
    }));
    producers
}

#[test]
fn two_failing_producers_give_one_of_their_errors() {
    let live = Live::new();
    let (t0, p0) = grader::token();
    let first = JobError("job 1: read record 0: corrupt record".to_owned());
    let second = read_error("job 1");
    let failing_first: Producer = {
        let first = first.clone();
        Box::new(move |_ctx: &JobCtx| {
            let _returned = t0;
            Err(first)
        })
    };
    let producers = vec![
        failing_first,
        sends((0..5).collect(), grader::token().0),
        fails_last(vec![], vec![p0], second.clone()),
    ];
    // Only the error: no slow consumer needed (see
    // `a_failed_job_leaves_no_thread_behind`).
    let (consumer, watch) = consumer(&live);
    let result = run_job(JobRunner::new(), "job 1", producers, consumer, &watch).result;
    grader::ensure(
        result.as_ref() == Err(&first) || result.as_ref() == Err(&second),
        ID,
        format!(
            "two producers failed, with {first:?} and {second:?}, but `run` returned {result:?}"
        ),
    );
}

#[test]
fn a_panicking_producer_leaves_no_thread_behind() {
    // "On any path": a producer that panics (the starter turns it into an
    // error) is a failed job too. The first producer panics at once; the
    // second sends its records only after the first one's thread has ended, so
    // a `run` that returns as soon as it sees the panic returns while the second
    // one still owns a `Sender` and the consumer still runs. The consumer is
    // held once its channel is closed, so a `run` that waits for the producers
    // but not for it returns while it still runs.
    let live = Live::new();
    let (t0, p0) = grader::token();
    let (t1, p1) = grader::token();
    let panics: Producer = Box::new(move |_ctx: &JobCtx| {
        let _returned = t0;
        grader::inject_panic("producer 1 of `job 1` crashed (the check made it panic)")
    });
    let sends_late: Producer = Box::new(move |ctx: &JobCtx| {
        let _returned = t1;
        // Bounded, under the watchdog.
        p0.dropped_within(grader::budget::HELPER.get());
        for r in 0..5 {
            ctx.send(r)?;
        }
        Ok(())
    });
    let (consumer, watch) = held_consumer(&live);
    let done = watch.done.clone();
    let (returned, consumer_done) = watch.holds.run(
        ID,
        "`runner.run(\"job 1\", ..)` with a producer that panics",
        || IF_STUCK.to_owned(),
        move || {
            let mut runner = JobRunner::new();
            // The task does not say what `run` returns for a panicking
            // producer (the starter returns an error), only that it leaves
            // nothing behind; a panic passed on is judged the same way.
            let returned = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                runner.run("job 1", vec![panics, sends_late], consumer)
            }))
            .is_ok();
            let consumer_done = done.is_dropped();
            drop(runner);
            (returned, consumer_done)
        },
    );
    let consumer_done = consumer_done && !watch.holds.outlived();
    let how = if returned {
        "`run` returned"
    } else {
        "`run` panicked"
    };
    if let Some(why) = left_behind(&watch, consumer_done) {
        fail(
            ID,
            format!(
                "in a job whose first producer panicked, {how}, but {why} A panicking \
                 producer is one more path out of `run`: wait for every producer and the \
                 consumer on it too."
            ),
        );
    }
    grader::ensure(
        p1.is_dropped(),
        ID,
        format!(
            "in a job whose first producer panicked, {how} while the second producer was \
             still running: wait for every producer on that path too"
        ),
    );
}
