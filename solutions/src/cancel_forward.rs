//! Exercise `cancel_forward`: a producer that listens.
//!
//! One producer of the job: it forwards records from its source to the job's
//! channel `out`. The source is a channel that a client library fills (a
//! subscription, a socket): records come when they come, perhaps never. The
//! job cancels the way Go closes `ctx.Done()`: by dropping the last `Sender`
//! of `done`, a channel that never carries a message.
//!
//! Wherever the producer waits, it waits for the cancel too: one `select!`
//! for the next record or the cancel, one for room in `out` or the cancel,
//! Go's `select { case ch <- r: case <-ctx.Done(): }`. Reference solution.

use crossbeam_channel::{Receiver, Sender, select};

/// Why `forward` stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The source ended: every `Sender` of it is gone.
    SourceDone,
    /// `done` fired: the job was cancelled.
    Cancelled,
    /// Every `Receiver` of `out` is gone: the consumer quit.
    ConsumerGone,
}

/// What `forward` did: how many records it delivered to `out`, and why it
/// stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forwarded {
    pub sent: usize,
    pub stop: Stop,
}

/// Forwards the records of `source` to `out`, in order, until the source
/// ends, the consumer quits or the job is cancelled, whichever comes first.
/// The job cancels by dropping the last `Sender` of `done`, a channel that
/// never carries a message (a message counts as a cancel too). When two of
/// these are ready at once, either may win, as in Go's `select`.
pub fn forward(source: &Receiver<u64>, out: &Sender<u64>, done: &Receiver<()>) -> Forwarded {
    let mut sent = 0;
    let stop = loop {
        // Wait for the next record, or for the cancel.
        let record = select! {
            recv(source) -> msg => match msg {
                Ok(record) => record,
                Err(_) => break Stop::SourceDone,
            },
            recv(done) -> _ => break Stop::Cancelled,
        };
        // Wait for room in `out`, or for the cancel.
        select! {
            send(out, record) -> res => {
                if res.is_err() {
                    break Stop::ConsumerGone;
                }
            }
            recv(done) -> _ => break Stop::Cancelled,
        }
        sent += 1;
    };
    Forwarded { sent, stop }
}
