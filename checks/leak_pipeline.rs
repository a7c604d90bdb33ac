// Checks for `leak_pipeline`, compiled into `exercises`, `solutions` and `fixtures`.
// `exercise` is the module under test (your `exercises/src/leak_pipeline.rs`).
//
// The producers and the consumer handed to `run_job` carry drop probes, so a
// check knows which of them have finished. The consumer also hands the check
// a clone of the job's `Receiver` when it starts: once `run_job` has
// returned, `try_recv` on it tells whether any `Sender` is still alive
// (`Empty`) or all are gone (`Disconnected`).
//
// How they see a `run_job` that returns without joining the consumer, without
// a timer: where a check needs a slow consumer, it is held in the check's code
// once the channel is closed (`grader::hold`) until the rest of the call waits
// for it. A `run_job` that joins it gets it back within a millisecond or two;
// one that does not returns while it is still held.

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use exercise::{Consumer, JobError, Producer, Record};
use grader::hold::{Holds, Release};
use grader::{Outcome, Probe, Token, fail, run};
use std::sync::mpsc::{self, RecvTimeoutError};

const ID: &str = "leak_pipeline";

const IF_STUCK: &str = "The consumer's `for record in rx` ends only when every `Sender` is gone. \
     While `run_job` waits for the consumer, does it still own one? On an error path too?";

/// What the check can observe about the job's consumer.
struct Watch {
    /// Dropped when the consumer closure has finished.
    done: Probe,
    /// Receives a clone of the job's `Receiver` when the consumer starts.
    channel: mpsc::Receiver<Receiver<Record>>,
    /// The holds of the call: `run_job` runs through them (`run_held`), and
    /// a held consumer is held in them.
    holds: Holds,
}

/// How the consumer ends once the channel is closed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    /// It returns the total at once (a check that needs no slow consumer).
    Quick,
    /// It is held in the check's code (`grader::hold`: writing its report,
    /// as slowly as it likes) until the rest of the call waits for it, then
    /// returns the total: a `run_job` that does not join it returns while it
    /// is still held, however fast the machine.
    Held,
    /// It panics ("runs out of memory").
    Panics,
}

/// A consumer that keeps every record (as the incident's job did) and,
/// once the channel is closed, ends as `tail` says.
fn consumer_with(tail: Tail) -> (Consumer, Watch) {
    let (token, done) = grader::token();
    let holds = Holds::new(Release::OldestFirst);
    let holds_here = holds.clone();
    let (peek_tx, peek_rx) = mpsc::channel();
    let consumer: Consumer = Box::new(move |rx: Receiver<Record>| {
        let _running = token;
        let _ = peek_tx.send(rx.clone());
        drop(peek_tx);
        let rows: Vec<Record> = rx.iter().collect();
        match tail {
            Tail::Quick => {}
            Tail::Held => holds_here.hold_here(),
            Tail::Panics => grader::inject_panic("the consumer ran out of memory"),
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

/// A consumer held once the channel is closed (`Tail::Held`).
fn held_consumer() -> (Consumer, Watch) {
    consumer_with(Tail::Held)
}

/// A producer that sends `records`; `token` is dropped when it has returned.
fn sends(records: Vec<Record>, token: Token) -> Producer {
    Box::new(move |tx: &Sender<Record>| {
        let _returned = token;
        for r in records {
            tx.send(r)
                .map_err(|_| JobError::Read("the consumer hung up".to_owned()))?;
        }
        Ok(())
    })
}

/// How a producer ends when it does not succeed.
#[derive(Clone)]
enum Ending {
    Fails(JobError),
    Panics(&'static str),
}

/// A producer that sends `records`, waits until every producer watched by
/// `others` has returned, then ends as `ending` says.
fn ends_last(records: Vec<Record>, others: Vec<Probe>, ending: Ending) -> Producer {
    Box::new(move |tx: &Sender<Record>| {
        for r in records {
            tx.send(r)
                .map_err(|_| JobError::Read("the consumer hung up".to_owned()))?;
        }
        for other in &others {
            // Bounded, under the watchdog: if another producer is stuck, the watchdog reports it.
            other.dropped_within(grader::budget::HELPER.get());
        }
        match ending {
            Ending::Fails(error) => Err(error),
            Ending::Panics(message) => grader::inject_panic(message),
        }
    })
}

/// A consumer that returns the total as soon as the channel is closed (or
/// panics then, with `panic_at_end`): for checks that need no slow consumer.
fn consumer(panic_at_end: bool) -> (Consumer, Watch) {
    consumer_with(if panic_at_end {
        Tail::Panics
    } else {
        Tail::Quick
    })
}

fn read_error(record: usize) -> JobError {
    JobError::Read(format!("read record {record}: corrupt record"))
}

/// Three producers sending records 0..9, three each (Go's job), where the last
/// one ends as `ending` once the other two have returned. Returns the probes
/// of all three.
fn job_ending(ending: Ending) -> (Vec<Producer>, Vec<Probe>) {
    let (t0, p0) = grader::token();
    let (t1, p1) = grader::token();
    let (t2, p2) = grader::token();
    let last = ends_last(vec![6], vec![p0.clone(), p1.clone()], ending);
    let last: Producer = Box::new(move |tx: &Sender<Record>| {
        let _returned = t2;
        last(tx)
    });
    let producers = vec![sends(vec![0, 1, 2], t0), sends(vec![3, 4, 5], t1), last];
    (producers, vec![p0, p1, p2])
}

fn run_job(call: &str, producers: Vec<Producer>, consumer: Consumer) -> Result<u64, JobError> {
    run(ID, call, IF_STUCK, move || {
        exercise::run_job(producers, consumer)
    })
}

/// What had finished at the moment `run_job` returned, looked at on its own
/// thread right then (not later, when a thread left running may have ended).
struct AtReturn {
    consumer_done: bool,
    producers_running: usize,
}

/// Runs `run_job` and looks at the consumer and the probed producers the
/// moment it returns (run it through `watch.holds`: see `run_held`).
fn observed(
    producers: Vec<Producer>,
    consumer: Consumer,
    watch: &Watch,
    probes: &[Probe],
) -> impl FnOnce() -> (Result<u64, JobError>, AtReturn) + Send + 'static {
    let done = watch.done.clone();
    let probes = probes.to_vec();
    move || {
        let result = exercise::run_job(producers, consumer);
        let at_return = AtReturn {
            consumer_done: done.is_dropped(),
            producers_running: probes.iter().filter(|p| !p.is_dropped()).count(),
        };
        (result, at_return)
    }
}

/// Runs `observed(..)` under the watchdog through the holds of the consumer's
/// `watch`: a held consumer still held when `run_job` returned (or held only
/// after) had not finished.
fn run_held(
    call: &str,
    producers: Vec<Producer>,
    consumer: Consumer,
    watch: &Watch,
    probes: &[Probe],
) -> (Result<u64, JobError>, AtReturn) {
    let (result, at_return) = watch.holds.run(
        ID,
        call,
        || IF_STUCK.to_owned(),
        observed(producers, consumer, watch, probes),
    );
    (result, not_outlived(at_return, watch))
}

/// `at_return`, with the consumer counted as running if it was held past
/// the return.
fn not_outlived(at_return: AtReturn, watch: &Watch) -> AtReturn {
    AtReturn {
        consumer_done: at_return.consumer_done && !watch.holds.outlived(),
        ..at_return
    }
}

/// The message when `run_job` itself panicked after a thread of the job did.
fn panicked_too(message: &str, what: &str, advice: &str) -> String {
    if message.contains("not yet implemented") {
        format!("when {what}, `run_job` hit a `todo!()`: replace it with your code.")
    } else {
        format!("{what}, and `run_job` panicked too: \"{message}\". {advice}")
    }
}

/// Right after `run_job` returned: is any `Sender` of the job still alive?
fn open_channel(watch: &Watch) -> Option<String> {
    let rx = match watch.channel.recv_timeout(grader::budget::HANDED_OVER.get()) {
        Ok(rx) => rx,
        // The consumer closure was dropped without being called.
        Err(RecvTimeoutError::Disconnected) => return None,
        Err(RecvTimeoutError::Timeout) => return Some("the consumer never started".to_owned()),
    };
    loop {
        match rx.try_recv() {
            Ok(_) => continue, // records still queued: look past them
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => {
                return Some(
                    "the job's channel is still open: some `Sender` is still alive, so the \
                     consumer thread stays blocked in `for record in rx` forever"
                        .to_owned(),
                );
            }
        }
    }
}

/// Fails unless the consumer had finished when `run_job` returned.
fn ensure_consumer_done(at_return: &AtReturn, after: &str) {
    grader::ensure(
        at_return.consumer_done,
        ID,
        format!(
            "{after}, the consumer was still running when `run_job` returned. \
             Wait for it (`join`) before you return."
        ),
    );
}

/// Fails unless every probed producer had returned when `run_job` returned.
fn ensure_producers_done(at_return: &AtReturn, after: &str) {
    let running = at_return.producers_running;
    grader::ensure(
        running == 0,
        ID,
        format!(
            "{after}, {running} producer(s) were still running when `run_job` returned. \
             Like errgroup's `Wait`, wait for every producer (`join` each one), even after \
             one has failed."
        ),
    );
}

#[test]
fn totals_a_clean_batch() {
    let mut producers = Vec::new();
    let mut probes = Vec::new();
    for p in 0..3u64 {
        let (token, probe) = grader::token();
        producers.push(sends((3 * p..3 * p + 3).collect(), token));
        probes.push(probe);
    }
    // The consumer is held once the channel is closed, so a `run_job` that
    // returns the total without joining it returns while it still runs.
    let (consumer, watch) = held_consumer();
    let (result, at_return) = run_held(
        "`run_job` on records 0..9",
        producers,
        consumer,
        &watch,
        &probes,
    );
    grader::ensure(
        result == Ok(36),
        ID,
        format!("records 0 to 8 add up to 36, but `run_job` returned {result:?}"),
    );
    if let Some(why) = open_channel(&watch) {
        fail(ID, format!("after a clean batch, {why}"));
    }
    ensure_producers_done(&at_return, "After a clean batch");
    ensure_consumer_done(&at_return, "After a clean batch");
}

#[test]
fn a_job_without_producers_totals_zero() {
    // The consumer is held once the channel is closed, so a `run_job` that
    // returns 0 without waiting for it returns while it still runs.
    let (consumer, watch) = held_consumer();
    let (result, at_return) = run_held(
        "`run_job(vec![], consumer)`",
        vec![],
        consumer,
        &watch,
        &[],
    );
    grader::ensure(
        result == Ok(0),
        ID,
        format!("a job without producers should total 0, but `run_job` returned {result:?}"),
    );
    if let Some(why) = open_channel(&watch) {
        fail(ID, format!("after a job without producers, {why}"));
    }
    ensure_consumer_done(
        &at_return,
        "After a job without producers (a path too: the consumer was started)",
    );
}

#[test]
fn more_records_than_the_buffer_arrive_whole() {
    // 4 producers x 500 records through a 10-record buffer.
    let mut producers = Vec::new();
    let mut expected = 0;
    for p in 0..4u64 {
        let records: Vec<Record> = (0..500).map(|x| x * 4 + p).collect();
        expected += records.iter().sum::<u64>();
        producers.push(sends(records, grader::token().0));
    }
    let (consumer, _watch) = consumer(false);
    let result = run_job("`run_job` with 4 x 500 records", producers, consumer);
    grader::ensure(
        result == Ok(expected),
        ID,
        format!("`run_job` returned {result:?}, expected Ok({expected}): records were lost"),
    );
}

#[test]
fn returns_the_error_of_any_failing_producer() {
    // Each producer in turn fails on its second record, while the others run.
    // The consumer is held once the channel is closed, so a `run_job` that
    // returns the error without joining it returns while it still runs.
    for bad in 0..3usize {
        let mut producers = Vec::new();
        for p in 0..3usize {
            let records: Vec<Record> = (3 * p as u64..3 * p as u64 + 3).collect();
            if p == bad {
                let error = read_error(3 * p + 1);
                producers.push(Box::new(move |tx: &Sender<Record>| {
                    tx.send(records[0])
                        .map_err(|_| JobError::Read("the consumer hung up".to_owned()))?;
                    Err(error)
                }) as Producer);
            } else {
                producers.push(sends(records, grader::token().0));
            }
        }
        let expected = read_error(3 * bad + 1);
        let (consumer, watch) = held_consumer();
        let (result, at_return) = run_held(
            &format!("`run_job` with producer {bad} failing"),
            producers,
            consumer,
            &watch,
            &[],
        );
        grader::ensure(
            result.as_ref() == Err(&expected),
            ID,
            format!("producer {bad} failed with {expected:?}, but `run_job` returned {result:?}"),
        );
        let after = format!("After producer {bad} failed");
        if let Some(why) = open_channel(&watch) {
            fail(ID, format!("{after}, {why}"));
        }
        ensure_consumer_done(&at_return, &after);
    }
}

#[test]
fn after_a_read_error_nothing_is_left_running() {
    // The consumer is held once the channel is closed, so a `run_job` that
    // returns the error without joining it returns while it still runs.
    let error = read_error(7);
    let (producers, probes) = job_ending(Ending::Fails(error.clone()));
    let (consumer, watch) = held_consumer();
    let (result, at_return) = run_held(
        "`run_job` with record 7 corrupt",
        producers,
        consumer,
        &watch,
        &probes,
    );
    grader::ensure(
        result.as_ref() == Err(&error),
        ID,
        format!("the third producer failed with {error:?}, but `run_job` returned {result:?}"),
    );
    let after = "After a read error";
    if let Some(why) = open_channel(&watch) {
        fail(ID, format!("{after}, when `run_job` returned {why}"));
    }
    ensure_producers_done(&at_return, after);
    ensure_consumer_done(&at_return, after);
}

#[test]
fn after_a_read_error_a_slow_consumer_is_waited_for() {
    // The consumer, once the channel is closed, is held in the check's code
    // until the rest of the call waits for it (`grader::hold`): a consumer
    // that takes its time writing its report. A `run_job` that joins it gets
    // it back at once. One that waits for it only so long on the error path
    // (a `sleep` loop on `is_finished`, a `recv_timeout`) and then returns
    // leaves it running, or is seen waiting on its timer meanwhile.
    let error = read_error(7);
    let (producers, probes) = job_ending(Ending::Fails(error.clone()));
    let (consumer, watch) = held_consumer();
    let holds = watch.holds.clone();
    let (result, at_return) = holds.run(
        ID,
        "`run_job` with record 7 corrupt and a consumer that takes its time",
        || IF_STUCK.to_owned(),
        observed(producers, consumer, &watch, &probes),
    );
    grader::ensure(
        result.as_ref() == Err(&error),
        ID,
        format!("the third producer failed with {error:?}, but `run_job` returned {result:?}"),
    );
    let after = "After a read error, with a consumer that takes its time";
    if let Some(why) = open_channel(&watch) {
        fail(ID, format!("{after}, when `run_job` returned {why}"));
    }
    let at_return = not_outlived(at_return, &watch);
    ensure_consumer_done(&at_return, after);
    grader::ensure(
        !holds.saw_timer(),
        ID,
        "after a read error, while the consumer was still writing its report, `run_job` \
         waited on a timer (a `sleep`, a `recv_timeout`, a deadline) instead of simply \
         joining it: a consumer slower than that timer would be left running. `join` the \
         consumer; it ends once the channel is closed.",
    );
}

#[test]
fn a_panicking_producer_is_an_error_and_leaves_nothing_behind() {
    // The consumer is held once the channel is closed, so a `run_job` that
    // returns the panic as an error without joining it returns while it
    // still runs. A panic of `run_job` itself is caught inside the call (the
    // held consumer needs the call to run through its holds) and judged here.
    let (producers, probes) = job_ending(Ending::Panics("disk on fire"));
    let (consumer, watch) = held_consumer();
    let observe = observed(producers, consumer, &watch, &probes);
    let (result, at_return) = match watch.holds.run(
        ID,
        "`run_job` with a producer that panics",
        || IF_STUCK.to_owned(),
        move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(observe))
                .map_err(|payload| grader::payload_text(payload.as_ref()))
        },
    ) {
        Ok(returned) => returned,
        Err(message) => fail(
            ID,
            panicked_too(
                &message,
                "a producer panicked (\"disk on fire\")",
                "A panic in a thread is not a crash of the program: `join()` returns it as \
                 an `Err(payload)`. Turn it into \
                 `JobError::Panicked(panic_message(payload.as_ref()))`.",
            ),
        ),
    };
    let at_return = not_outlived(at_return, &watch);
    match &result {
        Err(JobError::Panicked(message)) if message.contains("disk on fire") => {}
        other => fail(
            ID,
            format!(
                "a producer panicked with \"disk on fire\", but `run_job` returned {other:?}; \
                 expected Err(JobError::Panicked(\"disk on fire\"))"
            ),
        ),
    }
    let after = "After a producer panicked";
    if let Some(why) = open_channel(&watch) {
        fail(ID, format!("{after}, when `run_job` returned {why}"));
    }
    ensure_producers_done(&at_return, after);
    ensure_consumer_done(&at_return, after);
}

#[test]
fn a_panicking_consumer_is_an_error() {
    let mut producers = Vec::new();
    for p in 0..3u64 {
        producers.push(sends((3 * p..3 * p + 3).collect(), grader::token().0));
    }
    let (consumer, _watch) = consumer(true);
    let result = match grader::run_within(grader::limit(), move || {
        exercise::run_job(producers, consumer)
    }) {
        Outcome::Returned(result) => result,
        Outcome::Panicked(message) => fail(
            ID,
            panicked_too(
                &message,
                "the consumer panicked",
                "`consumer.join()` returns the consumer's panic as an `Err(payload)`: turn it \
                 into `JobError::Panicked`.",
            ),
        ),
        Outcome::Stuck(_) => fail(
            ID,
            format!("with a panicking consumer, `run_job` did not return: {IF_STUCK}"),
        ),
    };
    match &result {
        Err(JobError::Panicked(message)) if message.contains("out of memory") => {}
        other => fail(
            ID,
            format!(
                "the consumer panicked with \"the consumer ran out of memory\", but `run_job` \
                 returned {other:?}; expected Err(JobError::Panicked(..)) with that message"
            ),
        ),
    }
}

#[test]
fn two_failing_producers_give_one_of_their_errors() {
    let (t0, p0) = grader::token();
    let first = read_error(0);
    let second = read_error(7);
    let failing_first: Producer = {
        let first = first.clone();
        Box::new(move |_tx: &Sender<Record>| {
            let _returned = t0;
            Err(first)
        })
    };
    let producers = vec![
        failing_first,
        sends(vec![3, 4, 5], grader::token().0),
        ends_last(vec![6], vec![p0], Ending::Fails(second.clone())),
    ];
    let (consumer, _watch) = consumer(false);
    let result = run_job("`run_job` with two failing producers", producers, consumer);
    grader::ensure(
        result.as_ref() == Err(&first) || result.as_ref() == Err(&second),
        ID,
        format!(
            "two producers failed, with {first:?} and {second:?}, but `run_job` returned {result:?}"
        ),
    );
}
