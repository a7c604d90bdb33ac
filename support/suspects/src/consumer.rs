//! Chapter 1's job as a function: one producer thread per batch, one consumer
//! that hands every record to a sink and adds them up.
//!
//! The consumer owns the sink and drops it when it ends. That is the handle a
//! test has on the consumer thread: put something in the sink whose drop you
//! can observe, and you can tell, the moment `run_job` returns, whether the
//! consumer is still running.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One record of a batch.
pub type Record = u64;

/// Why a read failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(pub String);

/// One reader's records, in order. An `Err` is a failed read: the reader
/// stops there.
pub type Batch = Vec<Result<Record, ReadError>>;

/// Receives every record, on the consumer's thread. The consumer owns it and
/// drops it when it ends.
pub type Sink = Box<dyn FnMut(Record) + Send>;

/// How many records the channel buffers, like `make(chan Record, 10)`.
pub const CAPACITY: usize = 10;

/// The contract every implementation claims to keep: runs one producer per
/// batch and a consumer that passes every record to `sink`; returns the total
/// of the records, or the error of a failed read (one of them, if several
/// fail). When it returns, on any path, every thread it started has finished.
pub trait Job {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError>;
}

/// Sends a batch until its first failed read, or until the consumer is gone.
fn produce(batch: Batch, tx: SyncSender<Record>, sent: &AtomicUsize) -> Result<(), ReadError> {
    for record in batch {
        if tx.send(record?).is_err() {
            break;
        }
        sent.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

/// Hands every record to the sink until the channel is closed; the sink is
/// dropped when this returns.
fn consume(rx: Receiver<Record>, mut sink: Sink) -> u64 {
    consume_into(rx, &mut sink)
}

fn consume_into(rx: Receiver<Record>, sink: &mut Sink) -> u64 {
    let mut total = 0;
    for record in rx {
        sink(record);
        total += record;
    }
    total
}

fn spawn_producers(
    batches: Vec<Batch>,
    tx: &SyncSender<Record>,
    sent: &Arc<AtomicUsize>,
) -> Vec<thread::JoinHandle<Result<(), ReadError>>> {
    batches
        .into_iter()
        .map(|batch| {
            let (tx, sent) = (tx.clone(), Arc::clone(sent));
            thread::spawn(move || produce(batch, tx, &sent))
        })
        .collect()
}

/// The fix of chapter 2: the coordinator drops its `Sender`, joins the
/// producers, then the consumer, on every path.
pub struct Fixed;

impl Job for Fixed {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel(CAPACITY);
        let consumer = thread::spawn(move || consume(rx, sink));
        let producers = spawn_producers(batches, &tx, &Arc::default());
        drop(tx);
        let mut first = None;
        for p in producers {
            if let Err(e) = p.join().expect("a producer panicked") {
                first.get_or_insert(e);
            }
        }
        let total = consumer.join().expect("the consumer panicked");
        first.map_or(Ok(total), Err)
    }
}

/// Right variant: a `thread::scope`, and when several reads fail, the error
/// of the *last* reader is returned. A test that expects one particular error
/// of two is testing an implementation detail.
pub struct Scoped;

impl Job for Scoped {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel(CAPACITY);
        let sent = Arc::default();
        thread::scope(|s| {
            let consumer = s.spawn(move || consume(rx, sink));
            let producers: Vec<_> = batches
                .into_iter()
                .map(|batch| {
                    let (tx, sent) = (tx.clone(), &sent);
                    s.spawn(move || produce(batch, tx, sent))
                })
                .collect();
            drop(tx);
            let last_error = producers
                .into_iter()
                .filter_map(|p| p.join().expect("a producer panicked").err())
                .last();
            let total = consumer.join().expect("the consumer panicked");
            last_error.map_or(Ok(total), Err)
        })
    }
}

/// Right variant: no consumer thread at all; the caller's thread consumes
/// while the producers run. A test that counts threads would reject it.
pub struct InlineConsumer;

impl Job for InlineConsumer {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel(CAPACITY);
        let producers = spawn_producers(batches, &tx, &Arc::default());
        drop(tx);
        let total = consume(rx, sink);
        let errors: Vec<ReadError> = producers
            .into_iter()
            .filter_map(|p| p.join().expect("a producer panicked").err())
            .collect();
        errors.into_iter().next().map_or(Ok(total), Err)
    }
}

/// Senders of failed jobs kept "for a resend", for as long as the process
/// lives. Nobody ever resends.
static RESEND_LATER: Mutex<Vec<SyncSender<Record>>> = Mutex::new(Vec::new());

/// Mutant: a failed job that had already sent records keeps its `Sender` for
/// a resend that never comes, so its consumer waits forever (the incident, in
/// Rust). A job that fails before sending anything is clean: a test that
/// only fails on the first record misses this leak.
pub struct KeepsSenderForResend;

impl Job for KeepsSenderForResend {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel(CAPACITY);
        let sent = Arc::new(AtomicUsize::new(0));
        let consumer = thread::spawn(move || consume(rx, sink));
        let producers = spawn_producers(batches, &tx, &sent);
        let mut first = None;
        for p in producers {
            if let Err(e) = p.join().expect("a producer panicked") {
                first.get_or_insert(e);
            }
        }
        if let Some(e) = first {
            if sent.load(Ordering::SeqCst) > 0 {
                RESEND_LATER
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(tx);
                return Err(e);
            }
            drop(tx);
            consumer.join().expect("the consumer panicked");
            return Err(e);
        }
        drop(tx);
        Ok(consumer.join().expect("the consumer panicked"))
    }
}

/// Mutant: on a failed read it returns at once and lets the consumer finish
/// on its own. The consumer does end, but only after it has written its
/// summary, 300 ms after `run_job` returned. A test that sleeps before it
/// looks, or waits for the consumer, passes it.
pub struct DetachedConsumer;

impl Job for DetachedConsumer {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel(CAPACITY);
        let consumer = thread::spawn(move || {
            let mut sink = sink;
            let total = consume_into(rx, &mut sink);
            thread::sleep(Duration::from_millis(300)); // writes its summary
            total // the sink is dropped here, when the thread ends
        });
        let producers = spawn_producers(batches, &tx, &Arc::default());
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

/// Mutant: when a read fails it still returns the total of what arrived.
/// Nothing leaks; the failure is simply lost. A test that only looks for
/// leaks passes it.
pub struct SwallowsError;

impl Job for SwallowsError {
    fn run_job(batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel(CAPACITY);
        let consumer = thread::spawn(move || consume(rx, sink));
        let producers = spawn_producers(batches, &tx, &Arc::default());
        drop(tx);
        for p in producers {
            let _ = p.join().expect("a producer panicked");
        }
        Ok(consumer.join().expect("the consumer panicked"))
    }
}
