//! `sum_job` of chapter 1's first exercise: one producer per batch, one
//! consumer that adds up everything, and the total returned.
//!
//! Its worst bug does not leak quietly: the call never returns. A test that
//! calls it directly hangs with it, and a hanging test is the one that gets
//! `#[ignore]`d. The test to write fails instead, within a time limit.

use std::sync::mpsc::sync_channel;
use std::thread;

/// How many numbers the channel buffers.
pub const CAPACITY: usize = 10;

/// The contract: adds up every number of every batch (`0` for no batch) and
/// returns the total, having joined every thread it started.
pub trait SumJob {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64;
}

/// The fix: the coordinator drops its `Sender` before it waits.
pub struct Fixed;

impl SumJob for Fixed {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let (tx, rx) = sync_channel(CAPACITY);
        let consumer = thread::spawn(move || rx.iter().sum::<u64>());
        for batch in batches {
            let tx = tx.clone();
            thread::spawn(move || {
                for n in batch {
                    tx.send(n).expect("the consumer is alive");
                }
            });
        }
        drop(tx);
        consumer.join().expect("the consumer panicked")
    }
}

/// Right variant: a scope, the consumer on the caller's thread.
pub struct Scoped;

impl SumJob for Scoped {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let (tx, rx) = sync_channel(CAPACITY);
        thread::scope(|s| {
            for batch in &batches {
                let tx = tx.clone();
                s.spawn(move || batch.iter().for_each(|n| tx.send(*n).expect("alive")));
            }
            drop(tx);
            rx.iter().sum()
        })
    }
}

/// Mutant: the coordinator waits for the consumer while it still owns the
/// original `Sender` (chapter 1's bug). It never returns, whatever the input,
/// even for no batch at all.
pub struct HoldsSender;

impl SumJob for HoldsSender {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let (tx, rx) = sync_channel(CAPACITY);
        let consumer = thread::spawn(move || rx.iter().sum::<u64>());
        for batch in batches {
            let tx = tx.clone();
            thread::spawn(move || batch.into_iter().for_each(|n| tx.send(n).expect("alive")));
        }
        let total = consumer.join().expect("the consumer panicked");
        drop(tx);
        total
    }
}

/// Mutant: joins every producer before it starts the consumer. Fine while
/// every batch fits in the channel's 10 slots; with a bigger batch the
/// producer blocks on a full channel that nobody reads, and the call never
/// returns. A test with small batches passes it.
pub struct ConsumerStartsLate;

impl SumJob for ConsumerStartsLate {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let (tx, rx) = sync_channel(CAPACITY);
        let producers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let tx = tx.clone();
                thread::spawn(move || batch.into_iter().for_each(|n| tx.send(n).expect("alive")))
            })
            .collect();
        drop(tx);
        for p in producers {
            p.join().expect("a producer panicked");
        }
        rx.iter().sum()
    }
}

/// Mutant: the same late start, with a 10-slot channel of its own per batch:
/// every producer is joined before any channel is read. It never returns
/// once a *single* batch holds more than 10 numbers; many small batches
/// (more than 10 numbers in all) pass, which the shared channel of
/// `ConsumerStartsLate` does not. A test with only small batches passes it.
pub struct ConsumerStartsLatePerBatch;

impl SumJob for ConsumerStartsLatePerBatch {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let (receivers, producers): (Vec<_>, Vec<_>) = batches
            .into_iter()
            .map(|batch| {
                let (tx, rx) = sync_channel(CAPACITY);
                let producer = thread::spawn(move || {
                    batch.into_iter().for_each(|n| tx.send(n).expect("alive"))
                });
                (rx, producer)
            })
            .unzip();
        for p in producers {
            p.join().expect("a producer panicked");
        }
        receivers.iter().map(|rx| rx.iter().sum::<u64>()).sum()
    }
}

/// Mutant: returns as soon as the consumer has seen one number per batch
/// (it counts batches, not numbers). Never hangs; the total is wrong when a
/// batch holds more than one number. A test that only checks that the call
/// returns passes it.
pub struct StopsEarly;

impl SumJob for StopsEarly {
    fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
        let expected = batches.len();
        let (tx, rx) = sync_channel(usize::max(CAPACITY, batches.iter().map(Vec::len).sum()));
        for batch in batches {
            let tx = tx.clone();
            thread::spawn(move || {
                batch.into_iter().for_each(|n| {
                    // The consumer may be gone already: that is this mutant's bug.
                    let _ = tx.send(n);
                })
            });
        }
        drop(tx);
        rx.iter().take(expected).sum()
    }
}
