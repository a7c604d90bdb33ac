// Checks for `cancel_sink`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/cancel_sink.rs`).
//
// The readers and the sink are the checks' own closures. The readers count
// their reads, so "the producers stopped" is a number we can look at once
// `run_job` has returned, not a guess made by waiting: after the sink fails,
// a producer may read at most what the consumer took, what fits in the 10
// slots, and one record each that it could not send. One reader owns a drop
// probe and takes 200 ms to close, so a job that returns without joining
// its producers returns while that reader is still open.

use exercise::{Reader, SinkError, run_job};
use grader::{Outcome, ensure, fail, run, run_within};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

const ID: &str = "cancel_sink";

/// The channel's slots, as the task says.
const SLOTS: usize = 10;

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
    // 3 x 10 000 records; the sink fails at its 5th write. Once the consumer
    // has returned, a producer can only have read what was written, what fit
    // in the channel, and one record each that its send refused.
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(10_000, &reads);
    let writes = Arc::new(AtomicUsize::new(0));
    let sink = failing_at(5, Arc::clone(&writes));
    let result = run(
        ID,
        "`run_job` with 3 readers of 10 000 records and a sink that fails at its 5th write",
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
             runs dry, this producer would never stop.)"
        ),
    );
}

#[test]
fn a_panicking_sink_releases_the_producers() {
    // A panic unwinds the consumer, dropping what it owns. `run_job` may pass
    // the panic on (as `thread::scope` does) or return an error; it must not
    // hang.
    let reads = Arc::new(AtomicUsize::new(0));
    let readers = three_readers(10_000, &reads);
    let writes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&writes);
    let outcome = run_within(grader::limit(), move || {
        run_job(readers, move |_| {
            if counter.fetch_add(1, Ordering::SeqCst) + 1 == 3 {
                grader::inject_panic("the sink crashed");
            }
            Ok(())
        })
    });
    match outcome {
        Outcome::Panicked(_) | Outcome::Returned(Err(_)) => {}
        Outcome::Returned(Ok(n)) => fail(
            ID,
            format!("the sink panicked at its 3rd write, but `run_job` returned Ok({n})"),
        ),
        Outcome::Stuck(waited) => fail(
            ID,
            format!(
                "the sink panicked, and `run_job` had not finished {} ms later. The panic \
                 unwinds the consumer and drops its `Receiver`, unless another one is still \
                 alive somewhere. {STUCK}",
                waited.as_millis()
            ),
        ),
    }
}

/// A reader of 20 records that owns `token` and takes 200 ms to close (it
/// says goodbye to a server): the token is dropped at the end of that.
fn slow_to_close(token: grader::Token) -> Reader {
    struct Closing(Option<grader::Token>);
    impl Drop for Closing {
        fn drop(&mut self) {
            thread::sleep(Duration::from_millis(200));
            drop(self.0.take());
        }
    }
    let closing = Closing(Some(token));
    let mut next = 0;
    Box::new(move || {
        let _keep = &closing;
        if next == 20 {
            return None;
        }
        next += 1;
        Some(next)
    })
}

#[test]
fn no_producer_outlives_run_job() {
    let (token, probe) = grader::token();
    let readers = vec![slow_to_close(token)];
    let writes = Arc::new(AtomicUsize::new(0));
    let sink = failing_at(1, writes);
    let result = run(
        ID,
        "`run_job` with a reader that takes 200 ms to close and a sink that fails at once",
        STUCK,
        move || run_job(readers, sink),
    );
    ensure(
        probe.is_dropped(),
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
