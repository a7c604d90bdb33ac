//! Chapter 2: who closes the channel.
//!
//! - [`run_job`]: the chapter-1 job with the close on the sending side. In Rust
//!   the "close" is the drop of the last `Sender`, and `produce` owns it.
//! - [`every_exit_path`]: the six batches of the Go `longlived` program, run
//!   with [`run_job`]: nothing is left running.
//! - [`disconnect`]: what a receiver sees when the senders are gone, and what
//!   a sender sees when the receiver is gone.
//! - [`send_or_cancel`]: a `select!` with a "done" arm, the mirror of Go's
//!   `case <-ctx.Done():`.
//! - [`rayon_errors`]: rayon's fallible parallel iterators.
//! - [`cancel_latency`]: the measurement of the chapter, time from the first
//!   error to every thread stopped, with and without cancellation.
//!
//! The compile errors the chapter shows are in `close/*.rs`, checked below as
//! `compile_fail` doc tests.

use crossbeam_channel::{Receiver, Sender, bounded, never, select};
use rayon::prelude::*;
use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The error of a record that cannot be read, as in the Go listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub record: usize,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "read record {}: corrupt record", self.record)
    }
}

impl std::error::Error for ReadError {}

/// Reads record number `id`: the job's storage, Go's `leak.Source`.
pub type Source = dyn Fn(usize) -> Result<u64, ReadError> + Sync;

/// A source whose record `id` is the number `id`, and whose record `bad`
/// (if any) fails to read. A clean batch (records 0 to 8) totals 36.
pub fn new_source(bad: Option<usize>) -> impl Fn(usize) -> Result<u64, ReadError> + Sync {
    move |id| {
        if Some(id) == bad {
            Err(ReadError { record: id })
        } else {
            Ok(id as u64)
        }
    }
}

/// Threads of [`run_job`] that are running right now (for [`every_exit_path`]).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Counts one running thread from its creation to its last instruction.
struct Running;

impl Running {
    fn start() -> Running {
        RUNNING.fetch_add(1, Ordering::SeqCst);
        Running
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

// ANCHOR: producer_closes
/// The chapter-1 job, with the close moved to the sending side: `produce`
/// owns the job's `Sender`, and the coordinator only waits.
pub fn run_job(read: &Source) -> Result<u64, ReadError> {
    let (tx, rx) = bounded(10); // pair: channel
    thread::scope(|s| {
        let consumer = s.spawn(move || consume(rx)); // pair: consumer
        // `tx` moves into `produce`: the coordinator keeps no Sender.
        let produced = produce(tx, read); // pair: produce close
        let total = consumer.join().expect("the consumer panicked"); // pair: wait
        produced.map(|()| total)
    }) // pair: wait
}
// ANCHOR_END: producer_closes

// ANCHOR: produce_consume
/// Runs the three producers and returns once all three have returned. It owns
/// `tx`, so the channel closes when `produce` returns, whichever way it does.
fn produce(tx: Sender<u64>, read: &Source) -> Result<(), ReadError> {
    thread::scope(|s| {
        let producers: Vec<_> = (0..3)
            .map(|p| {
                let tx = tx.clone(); // one Sender per producer, owned by its thread
                s.spawn(move || -> Result<(), ReadError> {
                    let _running = Running::start(); // pair: ^spawn
                    for id in 3 * p..3 * p + 3 {
                        let record = read(id)?; // an early return drops this clone too // pair: read-fails
                        tx.send(record).expect("the consumer quit early"); // pair: send
                    }
                    Ok(())
                })
            })
            .collect();
        // errgroup's Wait, without cancellation: every producer runs to its
        // end. The error is the first in spawn order; the scope joins every
        // producer before it returns, whatever happened.
        producers // pair: wait
            .into_iter()
            .try_for_each(|p| p.join().expect("a producer panicked")) // pair: wait
    })
} // <- `tx`, the last Sender, is dropped here: the consumer's loop ends

/// Keeps the whole batch until the channel is closed, then totals it.
/// A `Receiver` has no `close`: the receiving side cannot close.
fn consume(rx: Receiver<u64>) -> u64 {
    let _running = Running::start(); // pair: ^receiver
    let mut rows = Vec::new();
    for record in rx {
        // ends when every Sender has been dropped // pair: ^drain
        rows.push(record); // pair: drain
    }
    rows.iter().sum()
}
// ANCHOR_END: produce_consume

// ANCHOR: countdown
/// Go's `Countdown`: sends n, n-1, ..., 1, then the channel closes because
/// the sending thread ends and drops the only `Sender`. A receiver that stops
/// early makes `send` fail, and the thread returns instead of blocking.
pub fn countdown(n: u64) -> Receiver<u64> {
    let (tx, rx) = bounded(0); // unbuffered, like make(chan int) // pair: channel
    thread::spawn(move || {
        for i in (1..=n).rev() {
            if tx.send(i).is_err() {
                return; // nobody is receiving any more // pair: ^send ^^^spawn
            }
        }
    }); // `tx` is dropped when the thread ends: that is the close // pair: close
    rx // pair: return
}
// ANCHOR_END: countdown

// ANCHOR: merge
/// Go's `Merge`: every value of every input, on one output. No WaitGroup and
/// no closer goroutine: each forwarder owns a clone of the `Sender`, and the
/// output closes when the last clone is dropped, after the last send.
pub fn merge(inputs: Vec<Receiver<u64>>) -> Receiver<u64> {
    let (tx, rx) = bounded(0); // pair: channel
    for input in inputs {
        let tx = tx.clone(); // pair: count
        thread::spawn(move || {
            for v in input {
                if tx.send(v).is_err() {
                    return; // pair: ^send ^^^forwarder
                }
            }
        }); // pair: done close
    }
    rx // the original `tx` is dropped here: only the forwarders' clones remain // pair: return close
}
// ANCHOR_END: merge

// ANCHOR: rayon_scope
/// Totals each batch on rayon's pool. Each task borrows its batch and the slot
/// it writes; `rayon::scope` returns only when every task has finished.
pub fn batch_totals(batches: &[Vec<u64>]) -> Vec<u64> {
    let mut totals = vec![0; batches.len()];
    rayon::scope(|s| {
        for (batch, total) in batches.iter().zip(&mut totals) {
            s.spawn(move |_| *total = batch.iter().sum());
        }
    });
    totals
}
// ANCHOR_END: rayon_scope

/// `cargo run -p listings --example close_every_exit_path`: the six batches of
/// Go's `close/cmd/longlived`, every second one failing on record 7.
pub fn every_exit_path(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: longlived
    for batch in 1..=6 {
        let bad = if batch % 2 == 0 { Some(7) } else { None };
        let result = match run_job(&new_source(bad)) {
            Ok(total) => format!("total {total}"),
            Err(e) => e.to_string(),
        };
        let running = RUNNING.load(Ordering::SeqCst);
        writeln!(
            out,
            "batch {batch}: {result:<30} threads still running: {running}"
        )?;
    }
    // ANCHOR_END: longlived
    Ok(())
}

/// `cargo run -p listings --example close_disconnect`: both directions of a
/// disconnected channel.
pub fn disconnect(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: disconnect
    // The senders go away: what was sent is still delivered, then `recv`
    // reports the disconnection instead of blocking.
    let (tx, rx) = bounded::<u64>(3);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    drop(tx); // the last Sender: this is the "close"
    writeln!(out, "recv: {:?}", rx.recv())?;
    writeln!(out, "recv: {:?}", rx.recv())?;
    writeln!(out, "recv: {:?}", rx.recv())?;

    // The receiver goes away: `send` fails and hands the value back, where Go
    // would block forever (nobody receives) or panic (the channel is closed).
    let (tx, rx) = bounded::<u64>(3);
    drop(rx);
    writeln!(out, "send: {}", sent(tx.send(3)))?;

    // A sender already blocked on a full channel is woken up with the error.
    let (tx, rx) = bounded::<u64>(1);
    tx.send(4).unwrap(); // fills the buffer
    let sender = thread::spawn(move || {
        tx.send(5) // blocks: the buffer is full
    });
    // Time to block. The output is the same if it has not yet: a send to a
    // channel whose receivers are gone fails at once.
    thread::sleep(Duration::from_millis(10));
    drop(rx);
    let blocked = sender.join().unwrap();
    writeln!(out, "blocked send: {}", sent(blocked))?;
    // ANCHOR_END: disconnect
    Ok(())
}

/// `Err(SendError(value))`: what the failed send handed back.
fn sent(result: Result<(), crossbeam_channel::SendError<u64>>) -> String {
    match result {
        Ok(()) => "Ok(())".to_owned(),
        Err(e) => format!("Err(SendError({}))", e.into_inner()),
    }
}

/// Why a [`send_or_cancel`] did not deliver its value.
#[derive(Debug, PartialEq, Eq)]
pub enum NotSent {
    /// Every receiver is gone.
    Disconnected,
    /// The job was cancelled first.
    Cancelled,
}

// ANCHOR: send_or_cancel
/// Sends `value` unless the job is cancelled first: Go's
/// `select { case ch <- v: case <-ctx.Done(): }`. `done` never carries a
/// message; it is "closed" when the canceller drops its only `Sender<()>`,
/// and then every thread waiting on it wakes up at once.
pub fn send_or_cancel(tx: &Sender<u64>, done: &Receiver<()>, value: u64) -> Result<(), NotSent> {
    select! {
        send(tx, value) -> sent => sent.map_err(|_| NotSent::Disconnected),
        recv(done) -> _ => Err(NotSent::Cancelled),
    }
}
// ANCHOR_END: send_or_cancel

/// `cargo run -p listings --example close_rayon_errors`: rayon's fallible
/// parallel iterators on the chapter's source, record 7 corrupt.
pub fn rayon_errors(out: &mut dyn Write) -> io::Result<()> {
    let read = new_source(Some(7));
    // ANCHOR: rayon_errors
    // Each record is checked in parallel; the first `Err` seen stops the rest.
    let checked = (0..9).into_par_iter().try_for_each(|id| read(id).map(drop));
    writeln!(out, "{:<30} {checked:?}", "try_for_each:")?;

    // Collects every record, or returns an error: nothing half-done.
    let rows: Result<Vec<u64>, ReadError> = (0..9).into_par_iter().map(&read).collect();
    writeln!(out, "{:<30} {rows:?}", "collect::<Result<Vec<_>, _>>:")?;

    // The same on a clean batch: every record, in order.
    let clean = new_source(None);
    let rows: Result<Vec<u64>, ReadError> = (0..9).into_par_iter().map(&clean).collect();
    writeln!(out, "{:<30} {rows:?}", "clean batch:")?;
    // ANCHOR_END: rayon_errors
    Ok(())
}

/// The group variants [`cancel_latency`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// errgroup without a context: a failing producer only records its error.
    WithoutCancellation,
    /// errgroup.WithContext: the first error cancels, producers check before
    /// every read.
    Cancelling,
}

/// What one run of [`latency_job`] measured.
#[derive(Debug, Clone, Copy)]
pub struct Latency {
    /// From the failing read's error to `latency_job` returning, every thread
    /// joined.
    pub error_to_stopped: Duration,
    /// Reads done by all producers together.
    pub reads: usize,
}

/// The job measured by [`cancel_latency`]: `producers` producers, each reading
/// `reads` records, a read being a sleep of `read_time` (waiting for storage).
/// Producer 0 fails at its read number `fail_at`. Records go through a channel
/// to one consumer, as in the chapter's pipeline.
pub fn latency_job(
    group: Group,
    producers: usize,
    reads: usize,
    read_time: Duration,
    fail_at: usize,
) -> Latency {
    let (tx, rx) = bounded::<u64>(10);
    let cancelled = AtomicBool::new(false);
    let first_error: Mutex<Option<(ReadError, Instant)>> = Mutex::new(None);
    let done_reads = AtomicUsize::new(0);
    thread::scope(|s| {
        s.spawn(move || rx.iter().sum::<u64>());
        for p in 0..producers {
            let tx = tx.clone();
            let (cancelled, first_error, done_reads) = (&cancelled, &first_error, &done_reads);
            s.spawn(move || {
                for id in 0..reads {
                    if group == Group::Cancelling && cancelled.load(Ordering::SeqCst) {
                        return;
                    }
                    thread::sleep(read_time);
                    done_reads.fetch_add(1, Ordering::Relaxed);
                    if p == 0 && id == fail_at {
                        let mut slot = first_error.lock().unwrap();
                        if slot.is_none() {
                            *slot = Some((ReadError { record: id }, Instant::now()));
                        }
                        drop(slot);
                        cancelled.store(true, Ordering::SeqCst);
                        return;
                    }
                    if tx.send(id as u64).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
    });
    let stopped = Instant::now();
    let (_, failed_at) = first_error
        .into_inner()
        .unwrap()
        .expect("producer 0 always fails");
    Latency {
        error_to_stopped: stopped - failed_at,
        reads: done_reads.into_inner(),
    }
}

/// `cargo run --release -p listings --example close_cancel_latency`: how long
/// the job keeps running after its first error, with and without
/// cancellation. The output is a measurement, not a golden file:
/// `listings/output/close_cancel_latency.txt` is one run of it.
pub fn cancel_latency(out: &mut dyn Write, runs: usize) -> io::Result<()> {
    const PRODUCERS: usize = 4;
    const READS: usize = 200;
    const READ_TIME: Duration = Duration::from_millis(1);
    const FAIL_AT: usize = 10;
    let cpus = thread::available_parallelism().map_or(0, usize::from);
    writeln!(
        out,
        "{cpus} CPUs. {PRODUCERS} producers x {READS} reads, {} ms each (a sleep standing in for\n\
         storage); producer 0 fails at its read {FAIL_AT}. Time from that error until the job\n\
         returns with every thread joined; {runs} runs of each group, interleaved.\n",
        READ_TIME.as_millis()
    )?;
    let groups = [Group::WithoutCancellation, Group::Cancelling];
    let mut results: Vec<Vec<Latency>> = vec![Vec::new(); groups.len()];
    for _ in 0..runs {
        for (g, group) in groups.iter().enumerate() {
            results[g].push(latency_job(*group, PRODUCERS, READS, READ_TIME, FAIL_AT));
        }
    }
    writeln!(
        out,
        "{:<24} {:>10} {:>10} {:>10} {:>14}",
        "group", "median ms", "min ms", "max ms", "median reads"
    )?;
    for (group, runs) in groups.iter().zip(&mut results) {
        runs.sort_by_key(|r| r.error_to_stopped);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let mut reads: Vec<usize> = runs.iter().map(|r| r.reads).collect();
        reads.sort_unstable();
        let name = match group {
            Group::WithoutCancellation => "without cancellation",
            Group::Cancelling => "cancelling",
        };
        match (runs.first(), runs.get(runs.len() / 2), runs.last()) {
            (Some(min), Some(median), Some(max)) => writeln!(
                out,
                "{name:<24} {:>10.2} {:>10.2} {:>10.2} {:>14}",
                ms(median.error_to_stopped),
                ms(min.error_to_stopped),
                ms(max.error_to_stopped),
                reads[reads.len() / 2]
            )?,
            _ => writeln!(out, "{name:<24} (no runs)")?,
        }
    }
    Ok(())
}

/// The compile errors of the chapter, each checked by rustdoc.
///
/// Go panics at run time on a send after `close`; in Rust the Sender is gone:
///
/// ```compile_fail,E0382
#[doc = include_str!("close/send_after_drop.rs")]
/// ```
///
/// ...and neither can a second "close":
///
/// ```compile_fail,E0382
#[doc = include_str!("close/drop_twice.rs")]
/// ```
///
/// A thread that may outlive the function cannot borrow its locals:
///
/// ```compile_fail,E0373
#[doc = include_str!("close/spawn_borrow.rs")]
/// ```
///
/// ...but a scoped thread can, because the scope joins it before returning:
///
/// ```
#[doc = include_str!("close/scope_borrow.rs")]
/// ```
///
/// `std::sync::mpsc`'s `Receiver` has no `clone` (crossbeam's has):
///
/// ```compile_fail,E0599
#[doc = include_str!("close/std_receiver_clone.rs")]
/// ```
///
/// A value that is not `Send` cannot go to another thread: where Go's race
/// detector reports a race when a run hits it, this is a compile error.
///
/// ```compile_fail,E0277
#[doc = include_str!("close/rc_to_thread.rs")]
/// ```
pub mod compile_errors {}

// ANCHOR: merge_two
/// Go's `MergeTwo` in Rust: receives from `a` and `b` until both are
/// disconnected. `never()` is Go's nil channel: a `select!` arm on it is
/// never ready, so swapping it in for a finished source turns its arm off.
pub fn merge_two(a: Receiver<i32>, b: Receiver<i32>) -> Vec<i32> {
    let (mut a, mut b) = (a, b);
    let mut got = Vec::new();
    let (mut a_done, mut b_done) = (false, false);
    while !(a_done && b_done) {
        select! { // pair: select ^loop
            recv(a) -> v => match v { // pair: recv-a
                Ok(v) => got.push(v), // pair: push
                Err(_) => { a = never(); a_done = true; } // Go: a = nil // pair: off-a
            },
            recv(b) -> v => match v { // pair: recv-b
                Ok(v) => got.push(v), // pair: push
                Err(_) => { b = never(); b_done = true; } // pair: off-b
            },
        }
    }
    got
}
// ANCHOR_END: merge_two

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// Runs `f` on its own thread; `None` if it has not returned within 5 s,
    /// so that a wrong claim fails the test instead of hanging it.
    fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done_tx, done_rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = done_tx.send(f());
        });
        done_rx.recv_timeout(Duration::from_secs(5)).ok()
    }

    #[test]
    fn run_job_totals_a_clean_batch() {
        assert_eq!(within(|| run_job(&new_source(None))), Some(Ok(36)));
    }

    #[test]
    fn run_job_returns_the_read_error_and_returns_at_all() {
        // If the channel were not closed on the error path, the consumer
        // would wait forever and `run_job` with it.
        let result = within(|| run_job(&new_source(Some(7))));
        assert_eq!(result, Some(Err(ReadError { record: 7 })));
    }

    /// Owns its Sender: `?` returns early and drops it on the way out.
    fn send_records(tx: Sender<u64>, read: &Source) -> Result<(), ReadError> {
        for id in 0..3 {
            tx.send(read(id)?).unwrap();
        }
        Ok(())
    }

    #[test]
    fn a_sender_dropped_by_an_early_return_closes_the_channel() {
        let (tx, rx) = bounded::<u64>(10);
        assert_eq!(
            send_records(tx, &new_source(Some(1))),
            Err(ReadError { record: 1 })
        );
        let received = within(move || rx.iter().collect::<Vec<_>>());
        assert_eq!(received, Some(vec![0]));
    }

    #[test]
    fn a_sender_dropped_by_a_panic_closes_the_channel() {
        let (tx, rx) = bounded::<u64>(10);
        let producer = thread::spawn(move || {
            tx.send(1).unwrap();
            panic!("a producer bug");
        });
        assert!(producer.join().is_err());
        assert_eq!(within(move || rx.iter().count()), Some(1));
    }

    #[test]
    fn a_clone_kept_alive_keeps_the_channel_open() {
        let (tx, rx) = bounded::<u64>(10);
        let kept = tx.clone();
        drop(tx);
        assert_eq!(
            rx.recv_timeout(Duration::from_millis(50)),
            Err(crossbeam_channel::RecvTimeoutError::Timeout),
            "one Sender is still alive: the channel is not closed"
        );
        drop(kept);
        assert_eq!(
            rx.recv_timeout(Duration::from_secs(5)),
            Err(crossbeam_channel::RecvTimeoutError::Disconnected)
        );
    }

    #[test]
    fn receive_drains_what_was_sent_then_reports_the_close() {
        let (tx, rx) = bounded::<u64>(3);
        tx.send(1).unwrap();
        tx.send(2).unwrap();
        drop(tx);
        assert_eq!(rx.recv(), Ok(1));
        assert_eq!(rx.recv(), Ok(2));
        assert!(rx.recv().is_err());
        assert!(rx.recv().is_err(), "and again, without blocking");
    }

    #[test]
    fn send_fails_once_the_receiver_is_dropped() {
        let (tx, rx) = bounded::<u64>(3);
        drop(rx);
        assert_eq!(tx.send(3).map_err(|e| e.into_inner()), Err(3));
    }

    #[test]
    fn a_blocked_send_wakes_up_when_the_receiver_is_dropped() {
        let (tx, rx) = bounded::<u64>(0); // no buffer: every send waits
        let (started_tx, started_rx) = mpsc::channel();
        let sender = thread::spawn(move || {
            started_tx.send(()).unwrap();
            tx.send(5)
        });
        started_rx.recv().unwrap();
        drop(rx);
        let result = within(move || sender.join().unwrap().map_err(|e| e.into_inner()));
        assert_eq!(result, Some(Err(5)));
    }

    #[test]
    fn std_mpsc_behaves_the_same() {
        let (tx, rx) = mpsc::sync_channel::<u64>(1);
        tx.send(1).unwrap();
        drop(tx);
        assert_eq!(rx.recv(), Ok(1));
        assert!(rx.recv().is_err());
        let (tx, rx) = mpsc::sync_channel::<u64>(1);
        drop(rx);
        assert!(tx.send(2).is_err());
    }

    #[test]
    fn dropping_the_done_sender_cancels_a_blocked_send() {
        let (tx, rx) = bounded::<u64>(0); // nobody receives: a plain send blocks
        let (cancel, done) = bounded::<()>(0);
        let sender = thread::spawn(move || send_or_cancel(&tx, &done, 1));
        drop(cancel); // "close(done)"
        assert_eq!(
            within(move || sender.join().unwrap()),
            Some(Err(NotSent::Cancelled))
        );
        drop(rx);
    }

    #[test]
    fn send_or_cancel_delivers_when_someone_receives() {
        let (tx, rx) = bounded::<u64>(1);
        assert_eq!(send_or_cancel(&tx, &crossbeam_channel::never(), 9), Ok(()));
        assert_eq!(rx.recv(), Ok(9));
        drop(rx);
        assert_eq!(
            send_or_cancel(&tx, &crossbeam_channel::never(), 9),
            Err(NotSent::Disconnected)
        );
    }

    #[test]
    fn scope_joins_every_thread_before_returning() {
        let finished = AtomicUsize::new(0);
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    thread::sleep(Duration::from_millis(5));
                    finished.fetch_add(1, Ordering::SeqCst);
                });
            }
        }); // no join() written anywhere
        assert_eq!(finished.load(Ordering::SeqCst), 4);
    }

    #[test]
    fn countdown_delivers_everything_then_closes() {
        let got = within(|| countdown(3).iter().collect::<Vec<_>>());
        assert_eq!(got, Some(vec![3, 2, 1]));
    }

    #[test]
    fn merge_closes_once_after_every_sender() {
        let got = within(|| {
            let mut got: Vec<u64> = merge(vec![countdown(3), countdown(2), countdown(0)])
                .iter()
                .collect();
            got.sort_unstable(); // arrival order depends on scheduling
            got
        });
        assert_eq!(got, Some(vec![1, 1, 2, 2, 3]));
    }

    #[test]
    fn rayon_scope_tasks_borrow_and_finish_before_it_returns() {
        assert_eq!(batch_totals(&[vec![1, 2], vec![3], vec![]]), vec![3, 3, 0]);
    }

    #[test]
    fn rayon_try_for_each_stops_early() {
        let reads = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let result = pool.install(|| {
            (0..1_000_000).into_par_iter().try_for_each(|id| {
                reads.fetch_add(1, Ordering::Relaxed);
                if id == 0 {
                    Err(ReadError { record: 0 })
                } else {
                    Ok(())
                }
            })
        });
        assert_eq!(result, Err(ReadError { record: 0 }));
        // Not a timing claim: only "it did not read everything".
        assert!(reads.into_inner() < 1_000_000);
    }

    #[test]
    fn rayon_sum_of_results_finds_the_error_but_reads_everything_else() {
        // `sum` has no early exit across rayon's pieces: only the piece that
        // hit the error stops.
        let reads = AtomicUsize::new(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let n = 100_000;
        let result: Result<u64, ReadError> = pool.install(|| {
            (0..n)
                .into_par_iter()
                .map(|id| {
                    reads.fetch_add(1, Ordering::Relaxed);
                    if id == 0 {
                        Err(ReadError { record: 0 })
                    } else {
                        Ok(id as u64)
                    }
                })
                .sum()
        });
        assert_eq!(result, Err(ReadError { record: 0 }));
        assert!(
            reads.into_inner() > n / 2,
            "the other pieces were read to the end"
        );
    }

    #[test]
    fn cancel_latency_runs_and_cancelling_reads_less() {
        let slow = latency_job(Group::WithoutCancellation, 3, 40, Duration::ZERO, 2);
        let fast = latency_job(Group::Cancelling, 3, 40, Duration::ZERO, 2);
        // Without cancellation the other producers read all their records.
        assert_eq!(slow.reads, 3 + 2 * 40);
        assert!(fast.reads <= slow.reads);
        let mut out = Vec::new();
        cancel_latency(&mut out, 1).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("without cancellation") && text.contains("cancelling"),
            "{text}"
        );
    }

    #[test]
    fn merge_two_turns_off_a_disconnected_source() {
        let (ta, a) = bounded(1);
        let (tb, b) = bounded(2);
        ta.send(1).unwrap();
        drop(ta);
        tb.send(2).unwrap();
        tb.send(3).unwrap();
        drop(tb);
        let mut got = merge_two(a, b);
        got.sort();
        assert_eq!(got, [1, 2, 3]);
    }

    #[test]
    fn a_never_arm_is_never_ready() {
        let off = never::<i32>();
        let ready = select! {
            recv(off) -> _ => true,
            default => false,
        };
        assert!(!ready);
    }

    // ANCHOR: rayon_panic
    #[test]
    fn rayon_hands_a_workers_panic_to_the_caller() {
        let result = std::panic::catch_unwind(|| {
            (0..100u64)
                .into_par_iter()
                .map(|i| {
                    if i == 42 {
                        panic!("record {i} is corrupt")
                    } else {
                        i
                    }
                })
                .sum::<u64>()
        });
        let payload = result.expect_err("the panic must reach the caller");
        assert_eq!(
            crate::leak::panic_message(&*payload),
            "record 42 is corrupt"
        );
    }
    // ANCHOR_END: rayon_panic
}
