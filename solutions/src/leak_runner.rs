//! Exercise `leak_runner`: one leaked thread per failed job.
//!
//! `JobRunner` is a long-lived service, like the one of the incident: it runs
//! job after job in the same process, and it remembers the jobs that failed,
//! for the afternoon alert. Every failed job leaves its consumer thread
//! blocked forever, holding every record it had received. Reference
//! solution: the runner remembers a failed job by its name, not by its
//! `JobCtx`, and joins the consumer on every path.

use crossbeam_channel::{Receiver, Sender, bounded};
use std::sync::Arc;
use std::thread;

/// One record of a batch.
pub type Record = u64;

/// How many records the channel buffers, like Go's `make(chan Record, 10)`.
pub const CAPACITY: usize = 10;

/// Why a job failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError(pub String);

/// What every producer of one job shares: the job's name and the channel to
/// its consumer.
pub struct JobCtx {
    pub name: String,
    tx: Sender<Record>,
}

impl JobCtx {
    /// Sends one record to the job's consumer.
    pub fn send(&self, record: Record) -> Result<(), JobError> {
        self.tx
            .send(record)
            .map_err(|_| JobError(format!("{}: the consumer hung up", self.name)))
    }
}

/// A producer reads its share of the batch and sends it with `ctx.send`.
pub type Producer = Box<dyn FnOnce(&JobCtx) -> Result<(), JobError> + Send>;

/// The consumer receives records until the channel is closed, and returns
/// their total.
pub type Consumer = Box<dyn FnOnce(Receiver<Record>) -> u64 + Send>;

/// Runs jobs, one after the other, for as long as the process lives.
#[derive(Default)]
pub struct JobRunner {
    /// The failed jobs, oldest first: names and errors. Not the `JobCtx`:
    /// it owns the job's `Sender`, and whoever owns a `Sender` keeps the
    /// channel open and the consumer waiting.
    failed: Vec<(String, JobError)>,
}

impl JobRunner {
    pub fn new() -> JobRunner {
        JobRunner::default()
    }

    /// Runs one job: every producer on its own thread, the consumer on
    /// another. Returns the consumer's total, or the first error of a
    /// producer.
    pub fn run(
        &mut self,
        name: &str,
        producers: Vec<Producer>,
        consumer: Consumer,
    ) -> Result<u64, JobError> {
        let (tx, rx) = bounded(CAPACITY);
        let ctx = Arc::new(JobCtx {
            name: name.to_owned(),
            tx,
        });

        let consumer = thread::spawn(move || consumer(rx));
        let handles: Vec<_> = producers
            .into_iter()
            .map(|produce| {
                let ctx = Arc::clone(&ctx);
                thread::spawn(move || produce(&ctx))
            })
            .collect();

        // Like errgroup's Wait: every producer has returned; keep the first
        // error.
        let mut first_error = None;
        for handle in handles {
            let result = handle
                .join()
                .unwrap_or_else(|_| Err(JobError(format!("{name}: a producer panicked"))));
            if let Err(e) = result {
                first_error.get_or_insert(e);
            }
        }

        // Every producer has returned: the coordinator's `ctx` is the last
        // owner of the `Sender`. Dropping it closes the channel, error or not.
        drop(ctx);
        let total = consumer.join().expect("the consumer panicked");

        if let Some(error) = first_error {
            // Remember the job for the alert: its name is enough.
            self.failed.push((name.to_owned(), error.clone()));
            return Err(error);
        }
        Ok(total)
    }

    /// The failed jobs, oldest first: their names and errors.
    pub fn failures(&self) -> Vec<(String, JobError)> {
        self.failed.clone()
    }
}
