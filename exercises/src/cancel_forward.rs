//! Exercise `cancel_forward`: a producer that listens.
//!
//! One producer of the job: it forwards records from its source to the job's
//! channel `out`. The source is a channel that a client library fills (a
//! subscription, a socket): records come when they come, perhaps never. The
//! job cancels the way Go closes `ctx.Done()`: by dropping the last `Sender`
//! of `done`, a channel that never carries a message.
//!
//! `forward` looks at `done` between records, like chapter 2's producers
//! looked at their token between reads. A producer that is *waiting* (for
//! its next record, or for room in `out`) does not look at anything: cancel
//! the job then, and it waits on, perhaps forever.
//!
//! Grade it: `cargo test -p exercises cancel_forward`

use crossbeam_channel::{Receiver, Sender, TryRecvError};

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
    loop {
        // Between two records: has the job been cancelled?
        if is_cancelled(done) {
            return Forwarded {
                sent,
                stop: Stop::Cancelled,
            };
        }
        let Ok(record) = source.recv() else {
            return Forwarded {
                sent,
                stop: Stop::SourceDone,
            };
        };
        if out.send(record).is_err() {
            return Forwarded {
                sent,
                stop: Stop::ConsumerGone,
            };
        }
        sent += 1;
    }
}

/// Whether `done` has fired, without waiting.
fn is_cancelled(done: &Receiver<()>) -> bool {
    !matches!(done.try_recv(), Err(TryRecvError::Empty))
}
