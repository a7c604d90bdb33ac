// Checks for `find_consumer`: they grade the learner's test, not a job. The
// test must pass on every correct implementation in `suspects::consumer` and
// fail (not hang) on every mutant there.

use grader::test_of_tests::{must_catch, must_pass};
use suspects::consumer::{DetachedConsumer, Fixed, InlineConsumer, KeepsSenderForResend, Scoped};
use suspects::consumer::SwallowsError;
use suspects::consumer::{Batch, Job, ReadError, Sink};
use std::sync::mpsc::sync_channel;
use std::thread;
use std::time::Duration;

/// The check's own mutant: on a failed read it cleans up like `Fixed`, but
/// on a clean job that had records it returns the total as soon as every
/// producer is done and lets its consumer finish on its own, 300 ms later (it
/// "writes a summary"). A clean job with no record at all it waits for: a
/// test whose only clean job is `run_job(vec![], ..)` does not see the leak.
/// The leak is on the path nobody suspects.
struct DetachedOnACleanJob;

impl Job for DetachedOnACleanJob {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel::<u64>(suspects::consumer::CAPACITY);
        let consumer = thread::spawn(move || {
            let mut sink = sink;
            for record in rx {
                sink(record);
            }
            thread::sleep(Duration::from_millis(300)); // writes its summary
        });
        let producers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let tx = tx.clone();
                thread::spawn(move || {
                    let (mut sent, mut count) = (0, 0);
                    for record in batch {
                        let record = record?;
                        if tx.send(record).is_err() {
                            break;
                        }
                        sent += record;
                        count += 1;
                    }
                    Ok::<(u64, usize), ReadError>((sent, count))
                })
            })
            .collect();
        drop(tx);
        let mut total = 0;
        let mut sent_any = false;
        let mut first = None;
        for p in producers {
            match p.join().expect("a producer panicked") {
                Ok((sent, count)) => {
                    total += sent;
                    sent_any |= count > 0;
                }
                Err(e) => {
                    first.get_or_insert(e);
                }
            }
        }
        match first {
            Some(e) => {
                consumer.join().expect("the consumer panicked");
                Err(e)
            }
            None if !sent_any => {
                consumer.join().expect("the consumer panicked");
                Ok(total)
            }
            None => Ok(total), // the consumer is still running
        }
    }
}

/// The check's own mutant: when a reader fails before it has sent anything,
/// it returns the error at once ("nothing of it is in flight, nothing to wait
/// for") and lets its consumer finish on its own, 300 ms later. A read that
/// fails after sending, and a clean job, it cleans up like `Fixed`. A test
/// whose failing readers always send something first does not see the leak.
struct DetachedWhenAReadFailsAtOnce;

impl Job for DetachedWhenAReadFailsAtOnce {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel::<u64>(suspects::consumer::CAPACITY);
        let consumer = thread::spawn(move || {
            let mut sink = sink;
            let mut total = 0;
            for record in rx {
                sink(record);
                total += record;
            }
            thread::sleep(Duration::from_millis(300)); // writes its summary
            total
        });
        let producers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let tx = tx.clone();
                thread::spawn(move || {
                    // `sent`: how many records this reader sent before this one.
                    for (sent, record) in batch.into_iter().enumerate() {
                        let record = record.map_err(|e| (e, sent))?;
                        if tx.send(record).is_err() {
                            break;
                        }
                    }
                    Ok::<(), (ReadError, usize)>(())
                })
            })
            .collect();
        drop(tx);
        let mut first = None;
        let mut failed_at_once = false;
        for p in producers {
            if let Err((e, sent)) = p.join().expect("a producer panicked") {
                failed_at_once |= sent == 0;
                first.get_or_insert(e);
            }
        }
        match first {
            Some(e) if failed_at_once => Err(e), // the consumer is still running
            Some(e) => {
                consumer.join().expect("the consumer panicked");
                Err(e)
            }
            None => Ok(consumer.join().expect("the consumer panicked")),
        }
    }
}

/// The check's own mutant: on a failed read it returns at once, like
/// `DetachedConsumer`, but its consumer ends as soon as the test gives it any
/// time: the moment the thread that called `run_job` sleeps or waits with a
/// deadline (seen in `/proc`, as `grader::timers` sees it), or spins
/// (`SPIN_CPU` of CPU time or `SPIN_TURNS` turns given up since the channel
/// closed: a loop of `yield_now`, or of `Instant::now()` until a moment has
/// passed), or 300 ms after the channel closed at the latest. A test that looks at once sees it
/// running; a test that waits "a moment" for it (a poll with a `sleep`,
/// however short) sees it gone. Where `/proc` does not tell, it is
/// `DetachedConsumer` again.
struct EndsWhenTheTestWaits;

/// The kernel's id of the calling thread, where `/proc` tells.
fn this_thread() -> Option<String> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(link.file_name()?.to_string_lossy().into_owned())
}

/// CPU time the caller may use after the channel closed before its test
/// counts as giving the consumer time: looking at a consumer (and failing an
/// assertion) takes microseconds.
const SPIN_CPU: Duration = Duration::from_millis(1);

/// Turns the caller may lose after the channel closed (involuntary
/// switches): on a busy machine each `yield_now` of a spinning test is one,
/// and a test that looks at once loses one now and then.
const SPIN_TURNS: u64 = 15;

/// Thread `tid`'s counters, where `/proc` tells.
fn effort(tid: &str) -> Option<grader::timers::Effort> {
    grader::timers::Effort::of(std::path::Path::new(&format!("/proc/self/task/{tid}")))
}

/// Whether thread `tid` of this process sleeps or waits with a deadline now.
fn on_a_timer(tid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/syscall"))
        .is_ok_and(|line| grader::timers::timed_wait(line.trim_end()).is_some())
}

impl Job for EndsWhenTheTestWaits {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let caller = this_thread();
        let (tx, rx) = sync_channel::<u64>(suspects::consumer::CAPACITY);
        let consumer = thread::spawn(move || {
            let mut sink = sink;
            let mut total = 0;
            for record in rx {
                sink(record);
                total += record;
            }
            // "Writes its summary": until the caller gives it time.
            let closed = std::time::Instant::now();
            let before = caller.as_deref().and_then(effort);
            while closed.elapsed() < Duration::from_millis(300) {
                if caller.as_deref().is_some_and(on_a_timer) {
                    break;
                }
                let spun = before
                    .zip(caller.as_deref().and_then(effort))
                    .is_some_and(|(before, now)| {
                        let since = now.since(before);
                        since.cpu >= SPIN_CPU || since.involuntary >= SPIN_TURNS
                    });
                if spun {
                    break;
                }
                thread::sleep(Duration::from_micros(200));
            }
            total
        });
        let producers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let tx = tx.clone();
                thread::spawn(move || {
                    for record in batch {
                        if tx.send(record?).is_err() {
                            break;
                        }
                    }
                    Ok::<(), ReadError>(())
                })
            })
            .collect();
        drop(tx);
        let mut first = None;
        for p in producers {
            if let Err(e) = p.join().expect("a producer panicked") {
                first.get_or_insert(e);
            }
        }
        match first {
            Some(e) => Err(e), // the consumer is still running
            None => Ok(consumer.join().expect("the consumer panicked")),
        }
    }
}

const ID: &str = "find_consumer";

#[test]
fn passes_on_the_fixed_job() {
    must_pass(ID, "`Fixed` (chapter 2's fix)", exercise::consumer_test::<Fixed>);
}

#[test]
fn passes_on_a_scoped_job_that_returns_another_error() {
    must_pass(
        ID,
        "`Scoped`, which returns the last failed reader's error (the contract allows any)",
        exercise::consumer_test::<Scoped>,
    );
}

#[test]
fn passes_when_the_consumer_runs_on_the_callers_thread() {
    must_pass(
        ID,
        "`InlineConsumer`, which consumes on the caller's thread instead of its own",
        exercise::consumer_test::<InlineConsumer>,
    );
}

#[test]
fn catches_a_sender_kept_for_a_resend() {
    must_catch(
        ID,
        "`KeepsSenderForResend`",
        "when a read fails after records were sent, it keeps the job's `Sender` and its \
         consumer waits forever. Does your test look at the consumer when run_job returns, \
         and does one of its reads fail after others were sent?",
        exercise::consumer_test::<KeepsSenderForResend>,
    );
}

#[test]
fn catches_a_consumer_still_running_at_return() {
    must_catch(
        ID,
        "`DetachedConsumer`",
        "on a failed read it returns before its consumer has finished (the consumer ends \
         300 ms later). Look at the consumer the moment run_job returns, without sleeping \
         or waiting first.",
        exercise::consumer_test::<DetachedConsumer>,
    );
}

#[test]
fn catches_a_consumer_that_ends_as_soon_as_the_test_waits() {
    must_catch(
        ID,
        "a job whose consumer ends a moment after it returns",
        "on a failed read it returns before its consumer has finished, and the consumer ends \
         the moment your test gives it time (a `sleep`, a wait with a deadline, a loop of \
         `yield_now` or of `Instant::now()`), however short. Look at the consumer at once \
         when run_job returns: no wait, no poll, no grace period.",
        exercise::consumer_test::<EndsWhenTheTestWaits>,
    );
}

#[test]
fn catches_a_consumer_left_running_after_a_clean_job() {
    must_catch(
        ID,
        "a job that leaks on the clean path",
        "when every read succeeds, it returns the right total before its consumer has \
         finished (the consumer ends 300 ms later). \"On any path\" includes the clean one: \
         look at the consumer when run_job returns from a clean job too, one with records \
         (with no record at all, this job does wait for its consumer).",
        exercise::consumer_test::<DetachedOnACleanJob>,
    );
}

#[test]
fn catches_a_consumer_left_running_when_a_read_fails_at_once() {
    must_catch(
        ID,
        "a job that leaks when a read fails before anything was sent",
        "when a reader fails at its first read, it returns the error before its consumer \
         has finished (the consumer ends 300 ms later). \"On any path\" includes a read that \
         fails at once: give one of your failing jobs a reader whose first read fails.",
        exercise::consumer_test::<DetachedWhenAReadFailsAtOnce>,
    );
}

#[test]
fn catches_a_swallowed_error() {
    must_catch(
        ID,
        "`SwallowsError`",
        "a failed read still returns `Ok(total)`. Does your test check the result?",
        exercise::consumer_test::<SwallowsError>,
    );
}
