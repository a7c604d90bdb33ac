//! Exercise `leak_pipeline`: every exit path.
//!
//! Port the tail of Go's `RunJobFixed` (`go/leak/pipeline.go`) to Rust.
//! Producers send records down one channel, one consumer adds them up, and
//! `run_job` returns the total or the first error. The threads are started
//! for you; waiting, closing and reporting are yours. On every exit path
//! (every producer succeeds, a producer returns an error, a producer panics,
//! the consumer panics) `run_job` must return, with an error rather than a
//! panic, and leave no thread behind. Reference solution.

use crossbeam_channel::{Receiver, Sender, bounded};
use std::any::Any;
use std::thread;

/// One record of a batch.
pub type Record = u64;

/// How many records the channel buffers, like Go's `make(chan Record, 10)`.
pub const CAPACITY: usize = 10;

/// Why a job failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    /// A producer returned this error (a read failed).
    Read(String),
    /// A producer or the consumer panicked, with this message.
    Panicked(String),
}

/// A producer reads its share of the batch and sends it on the channel.
pub type Producer = Box<dyn FnOnce(&Sender<Record>) -> Result<(), JobError> + Send>;

/// The consumer receives records until the channel is closed, and returns
/// their total.
pub type Consumer = Box<dyn FnOnce(Receiver<Record>) -> u64 + Send>;

/// Runs every producer on its own thread and the consumer on another, and
/// returns the consumer's total, or the first error: a producer's `Err`, or
/// `JobError::Panicked` if a producer or the consumer panicked. When it
/// returns, every thread it started has finished.
pub fn run_job(producers: Vec<Producer>, consumer: Consumer) -> Result<u64, JobError> {
    let (tx, rx) = bounded(CAPACITY);
    let consumer = thread::spawn(move || consumer(rx));
    let producers: Vec<_> = producers
        .into_iter()
        .map(|produce| {
            let tx = tx.clone();
            thread::spawn(move || produce(&tx))
        })
        .collect();

    // readErr := readers.Wait(): join every producer, keep the first error.
    // A panic is an `Err` from `join`, not a crash of this thread.
    let mut first_error = None;
    for producer in producers {
        let result = match producer.join() {
            Ok(result) => result,
            Err(payload) => Err(JobError::Panicked(panic_message(payload.as_ref()))),
        };
        if let Err(e) = result {
            first_error.get_or_insert(e);
        }
    }

    // close(records): every producer thread has ended and dropped its clone;
    // the coordinator's `tx` is the last `Sender`.
    drop(tx);

    // consumers.Wait()
    let total = consumer
        .join()
        .map_err(|payload| JobError::Panicked(panic_message(payload.as_ref())));

    match first_error {
        Some(error) => Err(error),
        None => total,
    }
}

/// The message of a panic, from the payload that `JoinHandle::join` returns
/// in its `Err` (`panic!("...")` gives a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}
