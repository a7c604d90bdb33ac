//! Exercise `cancel_fanout`: the first error, from either side.
//!
//! A fan-in / fan-out job: one producer per source sends records into one
//! channel, and one worker per sink takes records from it and stores them.
//! Like `errgroup.WithContext`, the first error to happen, a failed read or
//! a failed write, is kept and cancels everything; the job returns it once
//! every thread has returned. A worker's error must cancel too: with several
//! workers, the one that quits does not disconnect the channel (the others
//! still hold a `Receiver`), and a producer waiting for its *source* would
//! not notice a disconnection anyway. Reference solution.

use crossbeam_channel::{Receiver, Sender, bounded, select};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::thread;

/// What failed first: a read (a producer's source) or a write (a sink).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    Read(String),
    Write(String),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Read(e) => write!(f, "read: {e}"),
            JobError::Write(e) => write!(f, "write: {e}"),
        }
    }
}

impl std::error::Error for JobError {}

/// A source: a channel that a client library fills. `Err` is a read error;
/// the end of the channel (every `Sender` gone) is the end of the source.
pub type Source = Receiver<Result<u64, String>>;

/// A sink: stores one record. It gets the job's token, as a Go write gets
/// `ctx`: a sink that waits (for a slow database) may also wait on
/// `cancel.done()`.
pub type Sink = Box<dyn FnMut(u64, &Cancel) -> Result<(), String> + Send>;

/// The job's cancellation token, the `ctx` of `errgroup.WithContext` (the same
/// as in chapter 2). Cancelling is one-way and idempotent. A task can poll it
/// (`is_cancelled()`) or wait for it (`done()`, in a `select!`).
pub struct Cancel {
    cancelled: AtomicBool,
    /// The only `Sender` of the `done` channel: dropping it is the broadcast.
    closer: Mutex<Option<Sender<()>>>,
    done: Receiver<()>,
    /// The checks' probe (see `on_cancel_for_checks`).
    check_hook: OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// The checks' other probe (see `before_cancel_for_checks`).
    check_hook_before: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl Cancel {
    pub fn new() -> Cancel {
        let (closer, done) = bounded(0);
        Cancel {
            cancelled: AtomicBool::new(false),
            closer: Mutex::new(Some(closer)),
            done,
            check_hook: OnceLock::new(),
            check_hook_before: OnceLock::new(),
        }
    }

    /// Cancels: every `is_cancelled()` from now on is `true`, and every thread
    /// waiting on `done()` wakes up.
    pub fn cancel(&self) {
        if let Some(hook) = self.check_hook_before.get() {
            hook();
        }
        self.cancelled.store(true, Ordering::SeqCst);
        // Dropping the only Sender closes the channel: Go's close(done).
        drop(
            self.closer
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        if let Some(hook) = self.check_hook.get() {
            hook();
        }
    }

    /// Leave this as it is: the checks use it. `hook` runs inside every
    /// `cancel()` from now on, on the thread that calls it, after the
    /// broadcast. A check pauses threads there to make two failures happen in
    /// the order it wants, instead of hoping a race comes out that way.
    pub fn on_cancel_for_checks(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.check_hook.set(Box::new(hook));
    }

    /// Leave this as it is: the checks use it. Like `on_cancel_for_checks`,
    /// but `hook` runs at the start of every `cancel()`, before the token is
    /// set: a check holds a thread there to let another write fail while the
    /// job still looks uncancelled.
    pub fn before_cancel_for_checks(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.check_hook_before.set(Box::new(hook));
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Go's `ctx.Done()`: never receives a message; a `select!` arm on it
    /// fires once the token is cancelled.
    pub fn done(&self) -> &Receiver<()> {
        &self.done
    }
}

impl Default for Cancel {
    fn default() -> Cancel {
        Cancel::new()
    }
}

/// Runs one producer per source (fan-in) and one worker per sink (fan-out),
/// through one channel of 10 slots. Returns how many records were stored,
/// or the first error to happen, on either side. Every thread it starts has
/// finished when it returns.
pub fn run_job(sources: Vec<Source>, sinks: Vec<Sink>) -> Result<usize, JobError> {
    let (tx, rx) = bounded::<u64>(10);
    let cancel = Cancel::new();
    let first_error: Mutex<Option<JobError>> = Mutex::new(None);
    let stored = AtomicUsize::new(0);
    // errgroup.WithContext: whichever task fails first, on either side, its
    // error is kept, and only then is the job cancelled (an error caused by
    // the cancel comes later, and cannot take its place).
    let fail = |e: JobError| {
        let mut first = first_error.lock().unwrap_or_else(PoisonError::into_inner);
        if first.is_none() {
            *first = Some(e);
        }
        drop(first);
        cancel.cancel();
    };
    thread::scope(|s| {
        for source in sources {
            let (tx, cancel, fail) = (tx.clone(), &cancel, &fail);
            s.spawn(move || {
                if let Err(e) = produce(&source, &tx, cancel) {
                    fail(e);
                }
            });
        }
        drop(tx);
        for mut sink in sinks {
            let (rx, cancel, fail, stored) = (rx.clone(), &cancel, &fail, &stored);
            s.spawn(move || {
                for record in rx {
                    if let Err(e) = sink(record, cancel) {
                        fail(JobError::Write(e));
                        return;
                    }
                    stored.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        drop(rx);
    }); // errgroup's Wait: every producer and every worker has returned
    match first_error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        Some(e) => Err(e),
        None => Ok(stored.into_inner()),
    }
}

/// One producer (exercise `cancel_forward`): forwards its source into `tx`
/// until the source ends, a read fails, every worker is gone, or the job is
/// cancelled, whichever comes first.
fn produce(source: &Source, tx: &Sender<u64>, cancel: &Cancel) -> Result<(), JobError> {
    loop {
        let record = select! {
            recv(source) -> msg => match msg {
                Ok(Ok(record)) => record,
                Ok(Err(e)) => return Err(JobError::Read(e)),
                Err(_) => return Ok(()), // the source ended
            },
            recv(cancel.done()) -> _ => return Ok(()),
        };
        select! {
            send(tx, record) -> res => {
                if res.is_err() {
                    return Ok(()); // every worker is gone
                }
            }
            recv(cancel.done()) -> _ => return Ok(()),
        }
    }
}
