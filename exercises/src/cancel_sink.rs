//! Exercise `cancel_sink`: the sink that went down.
//!
//! `run_job` reads records with one producer thread per reader and stores them
//! with `write`, one by one, in the consumer loop. The channel closes the
//! chapter-2 way: each producer owns a `Sender` clone, and the consumer's loop
//! ends when the last one is dropped. When a write fails, the consumer returns
//! the error at once, and that return drops the `Receiver`. That part is
//! right. But the job still reads everything before it returns, and with a
//! reader that never runs dry it would never return at all.
//!
//! Grade it: `cargo test -p exercises cancel_sink`

use crossbeam_channel::bounded;
use std::fmt;
use std::thread;

/// A write that failed: the database is down, the disk is full...
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkError(pub String);

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SinkError {}

/// One producer's input: each call reads its next record, `None` at the end
/// of its share.
pub type Reader = Box<dyn FnMut() -> Option<u64> + Send>;

/// Reads every record, one producer thread per reader, and stores each one
/// with `write`. Returns how many records were stored, or the first failed
/// write. The channel between them has 10 slots. Every thread it starts has
/// finished when it returns.
pub fn run_job<W>(readers: Vec<Reader>, mut write: W) -> Result<usize, SinkError>
where
    W: FnMut(u64) -> Result<(), SinkError> + Send,
{
    let (tx, rx) = bounded::<u64>(10);
    thread::scope(|s| {
        for mut read in readers {
            let tx = tx.clone(); // owned by this producer, dropped when it returns
            s.spawn(move || {
                while let Some(record) = read() {
                    // A send fails only once the consumer has gone: then the
                    // record has nowhere to go, and we move on to the next.
                    let _ = tx.send(record);
                }
            });
        }
        drop(tx); // the coordinator's own Sender

        // The consumer: `rx` moves into the loop, so the `?` drops it.
        let mut stored = 0;
        for record in rx {
            write(record)?;
            stored += 1;
        }
        Ok(stored)
    }) // the scope joins every producer before `run_job` returns
}
