//! Exercise `close_pipeline`: the chapter-1 pipeline, cancelled on the first
//! error.
//!
//! One producer thread per reader sends records down a channel; one consumer
//! adds them up. The channel closes when the last `Sender` is dropped: each
//! producer owns a clone, and the coordinator drops its own before it waits.
//! That part works. What does not: when a read fails, the other producers
//! keep reading to the end of their share (some never end), and the error
//! `run_job` returns is not always the one that started the trouble.
//!
//! Grade it: `cargo test -p exercises close_pipeline`

use crossbeam_channel::{Receiver, Sender, bounded};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread;

/// A read that failed, with what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// One producer's input: each call reads its next record, `None` at the end
/// of its share. It gets the job's token, as a Go reader gets `ctx`, but like
/// many real readers it may ignore it.
pub type Reader = Box<dyn FnMut(&Cancel) -> Option<Result<u64, ReadError>> + Send>;

/// The job's cancellation token, the `ctx` of `errgroup.WithContext` (the same
/// as in `close_errgroup`).
/// Cancelling is one-way and idempotent. A task can poll it
/// (`is_cancelled()`, between two reads) or wait for it (`done()`, in a
/// `select!` or with `recv()`).
pub struct Cancel {
    cancelled: AtomicBool,
    /// The only `Sender` of the `done` channel: dropping it is the broadcast.
    closer: Mutex<Option<Sender<()>>>,
    done: Receiver<()>,
    /// The checks' probe (see `on_cancel_for_checks`).
    check_hook: OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// The checks' other probe (see `before_cancel_for_checks`).
    check_hook_before: OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// The checks' probe on the consumer's side (see `Total`).
    total_hook: Arc<OnceLock<TotalHook>>,
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
            total_hook: Arc::new(OnceLock::new()),
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
    /// set: a check holds a thread there to let another read fail while the
    /// job still looks uncancelled.
    pub fn before_cancel_for_checks(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.check_hook_before.set(Box::new(hook));
    }

    /// Leave this as it is: the checks use it. `hook` runs inside every
    /// `Total::add` and `Total`'s drop of this job, on the consumer's thread.
    pub fn on_total_for_checks(&self, hook: impl Fn(TotalEvent) + Send + Sync + 'static) {
        let _ = self.total_hook.set(Box::new(hook));
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Go's `ctx.Done()`: never receives a message; `recv()` returns `Err`
    /// once the token is cancelled, and a `select!` arm on it fires then.
    pub fn done(&self) -> &Receiver<()> {
        &self.done
    }
}

impl Default for Cancel {
    fn default() -> Cancel {
        Cancel::new()
    }
}

/// What the consumer's [`Total`] tells the checks' hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TotalEvent {
    /// The consumer has just added a record.
    Added,
    /// The total is being dropped: the consumer is done with it.
    Dropped,
}

type TotalHook = Box<dyn Fn(TotalEvent) + Send + Sync>;

/// The consumer's running total. Leave this as it is: the checks use it.
/// On the thread that owns it, it tells the checks' hook (see
/// `Cancel::on_total_for_checks`) each time a record is added and when it
/// is dropped, so that a check can see the consumer take records, and see
/// when it is done.
pub struct Total {
    sum: u64,
    hook: Arc<OnceLock<TotalHook>>,
}

impl Total {
    /// A total of 0, watched through the job's `cancel`.
    pub fn new(cancel: &Cancel) -> Total {
        Total {
            sum: 0,
            hook: Arc::clone(&cancel.total_hook),
        }
    }

    pub fn add(&mut self, record: u64) {
        self.sum += record;
        if let Some(hook) = self.hook.get() {
            hook(TotalEvent::Added);
        }
    }

    pub fn sum(&self) -> u64 {
        self.sum
    }
}

impl Drop for Total {
    fn drop(&mut self) {
        if let Some(hook) = self.hook.get() {
            hook(TotalEvent::Dropped);
        }
    }
}

/// Runs one producer per reader and one consumer, and returns the total of
/// every record, or the first read error. Every thread it starts has finished
/// when it returns.
pub fn run_job(readers: Vec<Reader>) -> Result<u64, ReadError> {
    let (tx, rx) = bounded::<u64>(10);
    let cancel = Cancel::new();
    let error: Mutex<Option<ReadError>> = Mutex::new(None);

    let total = thread::scope(|s| {
        let mut total = Total::new(&cancel);
        // `for x in rx` ends when every Sender has been dropped.
        let consumer = s.spawn(move || {
            for x in rx {
                total.add(x);
            }
            total.sum()
        });

        for mut read in readers {
            let tx = tx.clone(); // owned by this producer, dropped when it returns
            let (cancel, error) = (&cancel, &error);
            s.spawn(move || {
                while let Some(record) = read(cancel) {
                    match record {
                        Ok(r) => {
                            if tx.send(r).is_err() {
                                return; // the consumer is gone
                            }
                        }
                        Err(e) => {
                            *error.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                            cancel.cancel();
                            return;
                        }
                    }
                }
            });
        }
        drop(tx); // the coordinator's own Sender
        consumer.join().expect("the consumer panicked")
    }); // every producer and the consumer are joined here

    match error.into_inner().unwrap_or_else(PoisonError::into_inner) {
        Some(e) => Err(e),
        None => Ok(total),
    }
}
