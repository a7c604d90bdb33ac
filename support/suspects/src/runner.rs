//! Chapter 1's long-lived `JobRunner`: it runs job after job in one process
//! and lists the failed ones for the alert. Its leak is the incident's: one
//! consumer thread per failed job, blocked forever, each holding what it had
//! received.

use crate::consumer::{Batch, Fixed as FixedJob, Job, ReadError, Record, Scoped, Sink};
use std::sync::Arc;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread;

/// The contract: `run` runs one job (a producer thread per batch, a consumer
/// thread handing every record to `sink`) and returns the total or a read
/// error; when it returns, on any path, every thread of the job has finished.
/// `failures` lists the names of the failed jobs, oldest first.
pub trait Runner: Default {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError>;
    fn failures(&self) -> Vec<String>;
}

/// The fix: remember a failed job by its name.
#[derive(Default)]
pub struct Fixed {
    failed: Vec<String>,
}

impl Runner for Fixed {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        FixedJob::run_job(batches, sink).inspect_err(|_| self.failed.push(name.to_owned()))
    }
    fn failures(&self) -> Vec<String> {
        self.failed.clone()
    }
}

/// Right variant: keeps the name *and* the error, runs the job on a scope.
#[derive(Default)]
pub struct KeepsErrors {
    failed: Vec<(String, ReadError)>,
}

impl Runner for KeepsErrors {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let result = Scoped::run_job(batches, sink);
        if let Err(e) = &result {
            self.failed.push((name.to_owned(), e.clone()));
        }
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.iter().map(|(name, _)| name.clone()).collect()
    }
}

/// What the leaky runners share with their producers: the job's name and
/// its `Sender`.
struct JobCtx {
    name: String,
    tx: SyncSender<Record>,
}

/// A failed job as the leaky runners keep it: its context (`Sender`
/// included) and its consumer thread, blocked until the context goes.
type FailedJob = (Arc<JobCtx>, thread::JoinHandle<u64>);

/// Runs a job whose producers share an `Arc<JobCtx>`. Joins the consumer
/// only on success (on failure the runner may keep the context, and joining
/// would then wait forever). Returns a failed job's context and its consumer,
/// still running, with the error.
fn run_sharing_ctx(
    name: &str,
    batches: Vec<Batch>,
    mut sink: Sink,
) -> (Option<FailedJob>, Result<u64, ReadError>) {
    let (tx, rx) = sync_channel(crate::consumer::CAPACITY);
    let ctx = Arc::new(JobCtx {
        name: name.to_owned(),
        tx,
    });
    let consumer = thread::spawn(move || {
        let mut total = 0;
        for record in rx {
            sink(record);
            total += record;
        }
        total
    });
    let producers: Vec<_> = batches
        .into_iter()
        .map(|batch| {
            let ctx = Arc::clone(&ctx);
            thread::spawn(move || -> Result<(), ReadError> {
                for record in batch {
                    if ctx.tx.send(record?).is_err() {
                        break;
                    }
                }
                Ok(())
            })
        })
        .collect();
    let mut first = None;
    for p in producers {
        if let Err(e) = p.join().expect("a producer panicked") {
            first.get_or_insert(e);
        }
    }
    match first {
        Some(e) => (Some((ctx, consumer)), Err(e)),
        None => {
            drop(ctx); // the last `Arc`: the channel closes, the consumer ends
            (None, Ok(consumer.join().expect("the consumer panicked")))
        }
    }
}

/// Mutant (chapter 1's `leak_runner`): the failure list keeps each failed
/// job's context, and the context owns the job's `Sender`: every failed job
/// leaves its consumer blocked forever.
#[derive(Default)]
pub struct KeepsJobContext {
    failed: Vec<Arc<JobCtx>>,
}

impl Runner for KeepsJobContext {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (failed, result) = run_sharing_ctx(name, batches, sink);
        // Keeps the context; the consumer thread is left blocked, detached.
        self.failed.extend(failed.map(|(ctx, _consumer)| ctx));
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.iter().map(|ctx| ctx.name.clone()).collect()
    }
}

/// Mutant: keeps the context of the last failed job only, "for the alert's
/// details", and lets it go (and joins its consumer) when the next job
/// starts. Each failed job's consumer ends, but only once another job runs:
/// until then it is blocked, holding its records. A test that runs another
/// job before it looks passes it, every time.
#[derive(Default)]
pub struct KeepsContextUntilNextRun {
    failed: Vec<String>,
    last: Option<FailedJob>,
}

impl Runner for KeepsContextUntilNextRun {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        // The previous failed job is released, and its consumer joined, before
        // this one starts: so after this `run` it has ended, every time.
        if let Some((ctx, consumer)) = self.last.take() {
            drop(ctx);
            let _ = consumer.join();
        }
        let (failed, result) = run_sharing_ctx(name, batches, sink);
        if result.is_err() {
            self.failed.push(name.to_owned());
        }
        self.last = failed;
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.clone()
    }
}

/// Mutant: leaks nothing, and lists nothing: the alert never fires. A test
/// that only looks for leaks passes it.
#[derive(Default)]
pub struct FailsQuietly;

impl Runner for FailsQuietly {
    fn run(&mut self, _name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        FixedJob::run_job(batches, sink)
    }
    fn failures(&self) -> Vec<String> {
        Vec::new()
    }
}
