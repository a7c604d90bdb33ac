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
/// on a clean job it returns the total as soon as every producer is done and
/// lets its consumer finish on its own, 300 ms later (it "writes a summary").
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
                    let mut sent = 0;
                    for record in batch {
                        let record = record?;
                        if tx.send(record).is_err() {
                            break;
                        }
                        sent += record;
                    }
                    Ok::<u64, ReadError>(sent)
                })
            })
            .collect();
        drop(tx);
        let mut total = 0;
        let mut first = None;
        for p in producers {
            match p.join().expect("a producer panicked") {
                Ok(sent) => total += sent,
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
            None => Ok(total), // the consumer is still running
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
fn catches_a_consumer_left_running_after_a_clean_job() {
    must_catch(
        ID,
        "a job that leaks on the clean path",
        "when every read succeeds, it returns the right total before its consumer has \
         finished (the consumer ends 300 ms later). \"On any path\" includes the clean one: \
         look at the consumer when run_job returns from a clean job too.",
        exercise::consumer_test::<DetachedOnACleanJob>,
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
