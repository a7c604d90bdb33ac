//! Exercise `cancel_sink`: the sink that went down.
//!
//! `run_job` reads records with one producer thread per reader and stores them
//! with `write`, one by one, in the consumer loop. When a write fails, the
//! consumer returns the error, and that return drops the only `Receiver`: the
//! channel is disconnected, and every producer's next `send` fails at once,
//! even one that was already blocked on the full channel. A failed send is the
//! consumer saying "stop": each producer returns there. Reference solution.

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
                    if tx.send(record).is_err() {
                        // Every Receiver is gone: nobody will ever take a
                        // record again. Go needs ctx.Done() for this.
                        return;
                    }
                }
            });
        }
        drop(tx); // the coordinator's own Sender

        // The consumer: `rx` moves into the loop, so the `?` drops it, and
        // with it the channel's only Receiver.
        let mut stored = 0;
        for record in rx {
            write(record)?;
            stored += 1;
        }
        Ok(stored)
    }) // the scope joins every producer before `run_job` returns
}
