//! Exercise `leak_coordinator`: the coordinator that never lets go.
//!
//! The job below is the Rust shape of the Go pipeline from chapter 1: several
//! producers send numbers down one channel, one consumer adds them up, and the
//! coordinator waits for the consumer's total. Reference solution.

use crossbeam_channel::bounded;
use std::thread;

/// Sends every batch through one channel from its own producer thread and
/// returns the sum of all the numbers, computed by a single consumer thread.
pub fn sum_job(batches: Vec<Vec<u64>>) -> u64 {
    // A small buffer, like the Go job's `make(chan []int, 10)`.
    let (tx, rx) = bounded::<u64>(4);

    // The consumer: `for x in rx` ends when the channel is closed, that is
    // when every `Sender` is gone.
    let consumer = thread::spawn(move || rx.iter().sum::<u64>());

    for batch in batches {
        let tx = tx.clone();
        thread::spawn(move || {
            for x in batch {
                tx.send(x).expect("the consumer hung up early");
            }
        });
    }
    // The coordinator's own sender is the last one alive once the producers are
    // done; dropping it closes the channel, so the consumer's loop can end.
    drop(tx);

    consumer.join().expect("the consumer panicked")
}
