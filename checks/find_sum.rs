// Checks for `find_sum`: they grade the learner's test against the
// implementations in `suspects::sum`. Two mutants never return: the test must
// fail on them, not hang.

use grader::test_of_tests::{must_catch, must_pass};
use std::sync::Mutex;
use std::thread;
use suspects::sum::{
    ConsumerStartsLate, ConsumerStartsLatePerBatch, Fixed, HoldsSender, Scoped, StopsEarly, SumJob,
};

/// The check's own mutant: each producer adds up its batch and *stores* its
/// sum in the shared total (`total = sum` where `total += sum` was meant),
/// and every thread is joined. Never hangs; right for no batch and for one
/// batch, wrong as soon as two batches hold numbers.
struct KeepsOneBatchTotal;

impl SumJob for KeepsOneBatchTotal {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let total = Mutex::new(0);
        thread::scope(|s| {
            for batch in &batches {
                let total = &total;
                s.spawn(move || {
                    let sum: u64 = batch.iter().sum();
                    *total.lock().unwrap() = sum;
                });
            }
        });
        total.into_inner().unwrap()
    }
}

/// The check's own mutant: saves a clone by moving its own `Sender` into the
/// last producer ("the last one needs no copy"). Right for every input but
/// one: with no batch there is no last producer, it keeps the `Sender`, and
/// its consumer, which it joins, waits forever. A test that never tries no
/// batch passes it.
struct MovesTheSenderIntoTheLastProducer;

impl SumJob for MovesTheSenderIntoTheLastProducer {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let (tx, rx) = std::sync::mpsc::sync_channel::<u64>(suspects::sum::CAPACITY);
        let consumer = thread::spawn(move || rx.iter().sum::<u64>());
        let mut tx = Some(tx);
        let last = batches.len().checked_sub(1);
        for (i, batch) in batches.into_iter().enumerate() {
            let sender = if Some(i) == last {
                tx.take().expect("the coordinator's own Sender")
            } else {
                tx.as_ref().expect("the coordinator's own Sender").clone()
            };
            thread::spawn(move || batch.into_iter().for_each(|n| sender.send(n).expect("alive")));
        }
        let total = consumer.join().expect("the consumer panicked");
        drop(tx);
        total
    }
}

/// Added to the description of a mutant that never returns.
const FAIL_AT_ONCE: &str = "If your test has a time limit: when it expires, fail at once, \
                            without joining or waiting for the stuck call.";

const ID: &str = "find_sum";

#[test]
fn passes_on_the_fixed_job() {
    must_pass(ID, "`Fixed` (chapter 1's fix)", exercise::sum_job_test::<Fixed>);
}

#[test]
fn passes_on_a_scoped_job() {
    must_pass(
        ID,
        "`Scoped`, which consumes on the caller's thread inside a `thread::scope`",
        exercise::sum_job_test::<Scoped>,
    );
}

#[test]
fn catches_a_coordinator_that_holds_its_sender() {
    must_catch(
        ID,
        "`HoldsSender`",
        &format!("it never returns (chapter 1's deadlock). {FAIL_AT_ONCE}"),
        exercise::sum_job_test::<HoldsSender>,
    );
}

#[test]
fn catches_a_consumer_that_starts_late() {
    must_catch(
        ID,
        "`ConsumerStartsLate`",
        "it never returns once a batch holds more numbers than the channel's 10 slots. \
         Does your test use a batch that big?",
        exercise::sum_job_test::<ConsumerStartsLate>,
    );
}

#[test]
fn catches_a_consumer_that_starts_late_with_a_channel_per_batch() {
    must_catch(
        ID,
        "`ConsumerStartsLatePerBatch`",
        "it never returns once a *single* batch holds more numbers than its channel's 10 \
         slots (each batch has a channel of its own: many small batches are no test of it). \
         Does your test use one batch that big?",
        exercise::sum_job_test::<ConsumerStartsLatePerBatch>,
    );
}

#[test]
fn catches_a_consumer_that_stops_early() {
    must_catch(
        ID,
        "`StopsEarly`",
        "it returns quickly with the wrong total when a batch holds more than one number. \
         Does your test check the total?",
        exercise::sum_job_test::<StopsEarly>,
    );
}

#[test]
fn catches_a_job_that_keeps_one_batch_total() {
    must_catch(
        ID,
        "a job that keeps one batch's total",
        "with two or more batches it returns the total of one of them (`total = sum` \
         instead of `total += sum`). Does your test check the total of several batches \
         together?",
        exercise::sum_job_test::<KeepsOneBatchTotal>,
    );
}

#[test]
fn catches_a_job_that_never_returns_for_no_batch() {
    must_catch(
        ID,
        "a job that moves its `Sender` into the last producer",
        &format!(
            "it never returns when there is no batch at all (no last producer to hand its \
             `Sender` to, so it keeps it while it waits for the consumer). Does your test try \
             no batch, `vec![]`? {FAIL_AT_ONCE}"
        ),
        exercise::sum_job_test::<MovesTheSenderIntoTheLastProducer>,
    );
}
