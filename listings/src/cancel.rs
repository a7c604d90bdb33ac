//! Chapter 3: when the consumer quits.
//!
//! - [`run_job`]: Go's `RunJobStuck`, ported line by line. The consumer
//!   returns at the first failed write, and in Rust that return drops the
//!   `Receiver`: every producer's next `send` fails, and they all stop.
//! - [`Loader`]: the same job in a long-lived service that keeps the failed
//!   job's `Receiver` for a retry. The channel stays connected, and three
//!   producer threads per failed job wait forever: Go's leak, in Rust.
//! - [`sinkdown`]: the Rust twin of Go's `cancel/cmd/sinkdown`.
//! - [`next_or_cancel`] and [`select_cases`]: `select!` with a done channel,
//!   `never()` and `after()`.
//! - [`run_job_cancel`]: Go's `RunJob`. Producers that wait for their *source*
//!   do not see the dropped `Receiver`; a done channel wakes them.
//!
//! The unit tests below check every claim the chapter makes about them.

use crate::close::{ReadError, Source};
use crossbeam_channel::{Receiver, Sender, after, bounded, never, select};
use std::fmt;
use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The sink's error: the database is down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkError;

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sink unavailable")
    }
}

impl std::error::Error for SinkError {}

/// Stores one record: Go's `cancel.Sink`.
pub type Sink = dyn Fn(u64) -> Result<(), SinkError> + Sync;

/// A sink that is down: every write fails.
pub fn sink_down(_: u64) -> Result<(), SinkError> {
    Err(SinkError)
}

/// What a job returns when it fails: a read or a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobError {
    Read(ReadError),
    Write(SinkError),
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobError::Read(e) => e.fmt(f),
            JobError::Write(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for JobError {}

impl From<ReadError> for JobError {
    fn from(e: ReadError) -> JobError {
        JobError::Read(e)
    }
}

impl From<SinkError> for JobError {
    fn from(e: SinkError) -> JobError {
        JobError::Write(e)
    }
}

/// As in Go: three producers of 100 records each, more than the channel's 10
/// slots, so that once nobody receives, no producer can finish on its own.
pub const PRODUCERS: usize = 3;
pub const PER_PRODUCER: usize = 100;

/// Threads started by this module's jobs that have not finished yet.
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// Counts one thread from just before it is spawned to its last instruction.
/// Created by the spawning thread, so the count never misses a thread that
/// has not been scheduled yet.
pub struct Running(());

impl Running {
    pub fn start() -> Running {
        RUNNING.fetch_add(1, Ordering::SeqCst);
        Running(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How many counted threads are running right now.
pub fn running() -> usize {
    RUNNING.load(Ordering::SeqCst)
}

/// Waits (at most `limit`) until no counted thread is running, and returns
/// how many still are.
pub fn settle(limit: Duration) -> usize {
    let deadline = Instant::now() + limit;
    while running() > 0 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
    running()
}

// ANCHOR: run_job
/// Go's `RunJobStuck`, line by line: the producers' side owns the `Sender`
/// (chapter 2), and the consumer returns at the first failed write.
pub fn run_job(read: &Source, write: &Sink) -> Result<u64, JobError> {
    let (tx, rx) = bounded(10); // pair: channel
    thread::scope(|s| {
        let producers = s.spawn(move || produce(tx, read)); // pair: produce close
        let mut stored = 0;
        for record in rx {
            // `rx` has moved into this loop: the `?` below drops it // pair: ^consume
            write(record)?; // pair: early-return
            stored += 1;
        }
        producers.join().expect("a producer panicked")?; // pair: wait
        Ok(stored)
    }) // the scope joins the producers: they have all returned // pair: wait
}

fn produce(tx: Sender<u64>, read: &Source) -> Result<(), ReadError> {
    thread::scope(|s| {
        let readers: Vec<_> = (0..PRODUCERS)
            .map(|p| {
                let tx = tx.clone();
                s.spawn(move || -> Result<(), ReadError> {
                    let _running = Running::start(); // pair: ^spawn
                    for id in p * PER_PRODUCER..(p + 1) * PER_PRODUCER {
                        let record = read(id)?;
                        if tx.send(record).is_err() {
                            return Ok(()); // every Receiver is gone: stop // pair: ^send
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        readers
            .into_iter()
            .try_for_each(|r| r.join().expect("a producer panicked")) // pair: join-readers
    })
}
// ANCHOR_END: run_job

/// A record source that several detached threads can share.
pub type SharedSource = Arc<dyn Fn(usize) -> Result<u64, ReadError> + Send + Sync>;

// ANCHOR: loader
/// A long-lived service that runs job after job. When a job fails, it keeps
/// the job's `Receiver`, so that a retry can store what was already read.
#[derive(Default)]
pub struct Loader {
    retry: Vec<Receiver<u64>>,
}

impl Loader {
    pub fn run(&mut self, read: SharedSource, write: &Sink) -> Result<u64, JobError> {
        let (tx, rx) = bounded(10);
        for p in 0..PRODUCERS {
            let (tx, read) = (tx.clone(), Arc::clone(&read));
            let running = Running::start(); // counted from before it starts
            thread::spawn(move || {
                // like a `go` statement: nobody joins this thread
                let _running = running;
                for id in p * PER_PRODUCER..(p + 1) * PER_PRODUCER {
                    let Ok(record) = read(id) else { return };
                    if tx.send(record).is_err() {
                        return; // checked, and it does not help: see below
                    }
                }
            });
        }
        drop(tx);
        let mut stored = 0;
        while let Ok(record) = rx.recv() {
            if let Err(e) = write(record) {
                self.retry.push(rx); // BUG: the channel stays connected
                return Err(e.into());
            }
            stored += 1;
        }
        Ok(stored)
    }
}
// ANCHOR_END: loader

/// `cargo run -p listings --example cancel_sinkdown`: Go's `sinkdown` in
/// Rust. `run_job`, `run_job_cancel` and a `Loader`, each with a sink that is
/// down; after each, the threads of the jobs that are still running.
pub fn sinkdown(out: &mut dyn Write) -> io::Result<()> {
    let read = crate::close::new_source(None);
    // ANCHOR: sinkdown
    let err = run_job(&read, &sink_down).unwrap_err();
    let left = running();
    writeln!(out, "{:<22} {err}; threads left behind: {left}", "run_job:")?;

    let sources = Sources::never_ending(PRODUCERS, PER_PRODUCER); // never end
    let err = run_job_cancel(sources.receivers(), &sink_down).unwrap_err();
    let left = running();
    writeln!(
        out,
        "{:<22} {err}; threads left behind: {left}",
        "run_job_cancel:"
    )?;

    let mut loader = Loader::default();
    for job in 1..=3 {
        let read: SharedSource = Arc::new(|id| Ok(id as u64));
        let err = loader.run(read, &sink_down).unwrap_err();
        let left = running();
        let name = format!("Loader, failed job {job}:");
        writeln!(out, "{name:<22} {err}; threads left behind: {left}")?;
    }
    drop(loader); // drops the kept Receivers: every blocked send fails
    let left = settle(Duration::from_secs(5));
    writeln!(out, "{:<22} threads left behind: {left}", "Loader dropped:")?;
    // ANCHOR_END: sinkdown
    drop(sources);
    Ok(())
}

/// Sources for [`run_job_cancel`] that deliver their records and then never
/// end: the channels stay connected as long as this value lives, the way a
/// subscription or a socket waits for more.
pub struct Sources {
    senders: Vec<Sender<u64>>,
    receivers: Vec<Receiver<u64>>,
}

impl Sources {
    /// `count` sources, each holding `records` records (its ids).
    pub fn never_ending(count: usize, records: usize) -> Sources {
        let mut senders = Vec::new();
        let mut receivers = Vec::new();
        for p in 0..count {
            let (tx, rx) = bounded(records);
            for id in p * records..(p + 1) * records {
                tx.send(id as u64)
                    .expect("the source has room for its records");
            }
            senders.push(tx);
            receivers.push(rx);
        }
        Sources { senders, receivers }
    }

    /// A `Receiver` for each source, for a job.
    pub fn receivers(&self) -> Vec<Receiver<u64>> {
        self.receivers.clone()
    }

    /// Ends every source (the senders go away).
    pub fn end(self) {
        drop(self.senders);
    }
}

// ANCHOR: cancel_job
/// Go's `RunJob`: producers forward records from their sources (channels that
/// deliver when they deliver), and a failed write cancels them all, wherever
/// they wait.
pub fn run_job_cancel(sources: Vec<Receiver<u64>>, write: &Sink) -> Result<u64, JobError> {
    let (tx, rx) = bounded(10); // pair: channel
    // Never carries a message: dropping `cancel` is the signal, Go's cancel().
    let (cancel, done) = bounded::<()>(0); // pair: cancel
    thread::scope(|s| {
        for source in sources {
            let (tx, done) = (tx.clone(), done.clone());
            s.spawn(move || {
                let _running = Running::start();
                forward(&source, &tx, &done)
            });
        }
        drop(tx);
        let mut stored = 0;
        for record in rx {
            if let Err(e) = write(record) {
                drop(cancel); // wakes every producer that waits for its source // pair: failed-write
                return Err(e.into()); // and this drops `rx`: no send can block // pair: failed-write
            }
            stored += 1;
        }
        Ok(stored)
    }) // pair: wait
}

/// One producer: until its source ends, the job is cancelled, or nobody
/// receives any more.
fn forward(source: &Receiver<u64>, tx: &Sender<u64>, done: &Receiver<()>) {
    loop {
        select! { // pair: select
            recv(source) -> msg => match msg {
                Ok(record) => {
                    if tx.send(record).is_err() { // pair: send
                        return; // the consumer quit
                    }
                }
                Err(_) => return, // the source ended
            },
            recv(done) -> _ => return, // cancelled // pair: done
        }
    }
}
// ANCHOR_END: cancel_job

/// What [`next_or_cancel`] got.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    Record(u64),
    /// The source ended: every `Sender` of it is gone.
    End,
    Cancelled,
}

// ANCHOR: next_or_cancel
/// Waits for the next record of `source`, or for `done`, whichever comes
/// first: Go's `select { case r, ok := <-source: ... case <-ctx.Done(): }`.
/// `done` fires when it delivers a message or when its last `Sender` is
/// dropped, so it can be a cancel channel, `after(d)` or `never()`.
pub fn next_or_cancel<T>(source: &Receiver<u64>, done: &Receiver<T>) -> Next {
    select! {
        recv(source) -> msg => msg.map_or(Next::End, Next::Record),
        recv(done) -> _ => Next::Cancelled,
    }
}
// ANCHOR_END: next_or_cancel

/// `cargo run -p listings --example cancel_select`: [`next_or_cancel`] with
/// each kind of `done`.
pub fn select_cases(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: select_cases
    // A record is waiting; `never()` never fires: context.Background().
    let (tx, source) = bounded(1);
    tx.send(7).unwrap();
    let got = next_or_cancel(&source, &never::<()>());
    writeln!(out, "{:<40} {got:?}", "a record waits, done = never():")?;

    // The source ended: every Sender is gone.
    drop(tx);
    let got = next_or_cancel(&source, &never::<()>());
    writeln!(out, "{:<40} {got:?}", "the source ended, done = never():")?;

    // Nothing comes; the canceller drops its only Sender: Go's cancel().
    let (_keep, source) = bounded::<u64>(1);
    let (cancel, done) = bounded::<()>(0);
    drop(cancel);
    let got = next_or_cancel(&source, &done);
    writeln!(
        out,
        "{:<40} {got:?}",
        "nothing comes, the cancel is dropped:"
    )?;

    // Nothing comes; a deadline: Go's context.WithTimeout.
    let got = next_or_cancel(&source, &after(Duration::from_millis(10)));
    writeln!(out, "{:<40} {got:?}", "nothing comes, done = after(10 ms):")?;
    // ANCHOR_END: select_cases
    Ok(())
}

// ANCHOR: deadline
/// A job-wide deadline, Go's `context.WithTimeout`: a done channel whose only
/// `Sender` a timer thread drops at `d`. A disconnected channel stays ready
/// for every `recv`, so every waiter, now or later, sees it, exactly like a
/// closed `ctx.Done()`. (crossbeam's `after(d)` is not this: it delivers
/// *one* message, and whoever takes it takes it from everyone.)
pub fn deadline(d: Duration) -> Receiver<()> {
    let (expire, done) = bounded::<()>(0);
    thread::spawn(move || {
        thread::sleep(d);
        drop(expire); // Go: the timer's cancel()
    });
    done
}
// ANCHOR_END: deadline

/// Starts `n` waiters, each in [`next_or_cancel`] on a source that sends
/// nothing and on the `done` that `done_for` gives it. Returns the source's
/// only `Sender` (drop it to release whoever still waits) and the channel
/// on which each waiter reports what woke it.
fn start_waiters<T: Send + 'static>(
    n: usize,
    done_for: impl Fn() -> Receiver<T>,
) -> (Sender<u64>, Receiver<Next>) {
    let (end, source) = bounded::<u64>(0);
    let (report, woke) = bounded(n);
    for _ in 0..n {
        let (source, done, report) = (source.clone(), done_for(), report.clone());
        thread::spawn(move || report.send(next_or_cancel(&source, &done)).unwrap());
    }
    (end, woke)
}

/// `n` waiters share one `after(d)` (each gets a clone). Once one of them
/// has been cancelled, the message is gone for all: the shared receiver has
/// nothing left (checked), so the others can only be woken by the end of
/// their source, which comes next. Returns how many were cancelled.
pub fn shared_after_cancels(n: usize, d: Duration) -> usize {
    let shared = after(d);
    let (end, woke) = start_waiters(n, || shared.clone());
    assert_eq!(
        woke.recv(),
        Ok(Next::Cancelled),
        "only the deadline can wake a waiter yet"
    );
    assert!(shared.try_recv().is_err(), "after() has a second message");
    drop(end);
    1 + woke
        .iter()
        .take(n - 1)
        .filter(|w| *w == Next::Cancelled)
        .count()
}

/// `n` waiters, each with the `done` that `done_for` gives it; the source
/// stays open, so only `done` can wake them. Returns how many were
/// cancelled: all `n`, or it never returns (the tests bound it).
pub fn every_waiter_cancelled<T: Send + 'static>(
    n: usize,
    done_for: impl Fn() -> Receiver<T>,
) -> usize {
    let (_end, woke) = start_waiters(n, done_for);
    woke.iter()
        .take(n)
        .filter(|w| *w == Next::Cancelled)
        .count()
}

/// One line of [`deadlines`]' output.
fn row(out: &mut dyn Write, what: &str, cancelled: usize) -> io::Result<()> {
    writeln!(out, "{what:<42} {cancelled} of 3 cancelled")
}

/// `cargo run -p listings --example cancel_deadline`: `after(d)` shared by
/// three waiters against a deadline every waiter sees.
pub fn deadlines(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: deadlines
    let d = Duration::from_millis(10);
    // One after(d) for the whole job, a clone for each waiter: one message.
    let n = shared_after_cancels(3, d);
    row(out, "one after(10 ms), cloned for 3 waiters:", n)?;

    // A done channel whose only Sender a timer drops: every waiter sees it.
    let done = deadline(d);
    let n = every_waiter_cancelled(3, || done.clone());
    row(out, "deadline(10 ms): a timer drops the Sender:", n)?;

    // Or each waiter its own timer, all for the same instant.
    let at = Instant::now() + d;
    let n = every_waiter_cancelled(3, || crossbeam_channel::at(at));
    row(out, "each waiter its own at(now + 10 ms):", n)?;
    // ANCHOR_END: deadlines
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::close::new_source;
    use std::panic::{self, AssertUnwindSafe};
    use std::sync::mpsc;
    use std::sync::{Mutex, MutexGuard, PoisonError};

    /// The tests that read the global thread count run one at a time.
    static COUNTED: Mutex<()> = Mutex::new(());

    fn counted() -> MutexGuard<'static, ()> {
        let guard = COUNTED.lock().unwrap_or_else(PoisonError::into_inner);
        assert_eq!(
            settle(Duration::from_secs(5)),
            0,
            "a previous test left threads running"
        );
        guard
    }

    /// Runs `f` on its own thread; `None` if it has not returned within 5 s,
    /// so that a wrong claim fails the test instead of hanging it.
    fn within<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let (done_tx, done_rx) = mpsc::channel();
        thread::spawn(move || {
            let _ = done_tx.send(f());
        });
        done_rx.recv_timeout(Duration::from_secs(5)).ok()
    }

    /// Waits (at most 5 s) until `ok()` holds.
    fn eventually(mut ok: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !ok() {
            if Instant::now() >= deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(1));
        }
        true
    }

    #[test]
    fn run_job_stores_every_record_when_nothing_fails() {
        let _counted = counted();
        let stored = within(|| run_job(&new_source(None), &|_| Ok(())));
        assert_eq!(stored, Some(Ok(300)));
        assert_eq!(running(), 0);
    }

    #[test]
    fn a_failed_write_returns_the_error_and_stops_every_producer() {
        // The consumer returns at its first write; each producer has 100
        // records for 10 slots, so each one can only stop because a send
        // failed. When `run_job` returns, none of them is running.
        let _counted = counted();
        let result = within(|| run_job(&new_source(None), &sink_down));
        assert_eq!(result, Some(Err(JobError::Write(SinkError))));
        assert_eq!(running(), 0, "no thread of the job is left");
    }

    #[test]
    fn a_read_error_is_returned_too() {
        let _counted = counted();
        let result = within(|| run_job(&new_source(Some(150)), &|_| Ok(())));
        assert_eq!(result, Some(Err(JobError::Read(ReadError { record: 150 }))));
        assert_eq!(running(), 0);
    }

    #[test]
    fn a_panicking_consumer_releases_the_producers() {
        // The panic unwinds the consumer's loop, which drops `rx`: the
        // producers' sends fail, and the scope joins them before passing the
        // panic on.
        let _counted = counted();
        let outcome = within(|| {
            panic::catch_unwind(AssertUnwindSafe(|| {
                run_job(&new_source(None), &|_| panic!("the sink panicked"))
            }))
            .is_err()
        });
        assert_eq!(outcome, Some(true), "run_job panicked, and returned at all");
        assert_eq!(running(), 0);
    }

    #[test]
    fn a_dropped_receiver_fails_every_blocked_send() {
        // Three senders blocked on a full channel; dropping the only Receiver
        // wakes all three with an error that hands the value back.
        let (tx, rx) = bounded::<u64>(1);
        tx.send(0).unwrap(); // full
        let senders: Vec<_> = (1..=3)
            .map(|v| {
                let tx = tx.clone();
                thread::spawn(move || tx.send(v).map_err(|e| e.into_inner()))
            })
            .collect();
        drop(rx);
        let mut refused: Vec<u64> = senders
            .into_iter()
            .map(|s| s.join().unwrap().unwrap_err())
            .collect();
        refused.sort_unstable();
        assert_eq!(refused, vec![1, 2, 3]);
    }

    #[test]
    fn the_loader_leaves_three_threads_per_failed_job_until_it_is_dropped() {
        let _counted = counted();
        let mut loader = Loader::default();
        for job in 1..=3 {
            let read: SharedSource = Arc::new(|id| Ok(id as u64));
            assert_eq!(
                loader.run(read, &sink_down),
                Err(JobError::Write(SinkError))
            );
            // Spawned before `run` returned, and none can finish: 100
            // records each, 10 slots, nobody receiving. Exact, no waiting.
            assert_eq!(running(), 3 * job);
        }
        drop(loader);
        assert_eq!(settle(Duration::from_secs(5)), 0);
    }

    #[test]
    fn a_kept_receiver_turns_a_scoped_job_into_a_hang() {
        // `run_job` with one change: a clone of `rx` outlives the consumer.
        // The producers fill the channel and wait; the scope waits for them.
        // It returns only once the clone is dropped.
        let _counted = counted();
        let (keep_tx, keep_rx) = mpsc::channel::<Receiver<u64>>();
        let (returned_tx, returned_rx) = mpsc::channel();
        thread::spawn(move || {
            let (tx, rx) = bounded::<u64>(10);
            keep_tx.send(rx.clone()).unwrap(); // kept elsewhere
            let result = thread::scope(|s| {
                s.spawn(move || produce(tx, &new_source(None)));
                for record in rx {
                    sink_down(record)?;
                }
                Ok::<(), SinkError>(())
            });
            returned_tx.send(result).unwrap();
        });
        let kept = keep_rx.recv().unwrap();
        // Full, with records left to send: every producer waits in `send`.
        assert!(eventually(|| kept.is_full()));
        assert!(
            returned_rx.try_recv().is_err(),
            "the job cannot have returned"
        );
        drop(kept);
        assert_eq!(
            returned_rx.recv_timeout(Duration::from_secs(5)),
            Ok(Err(SinkError))
        );
    }

    #[test]
    fn one_consumer_quitting_does_not_disconnect_the_others() {
        // ANCHOR: fan_out
        let (tx, rx) = bounded::<u64>(10);
        let worker_1 = rx.clone();
        let worker_2 = rx;
        drop(worker_1); // one worker fails and returns
        assert!(tx.send(1).is_ok(), "the other one still receives");
        drop(worker_2); // the last Receiver
        assert!(tx.send(2).is_err());
        // ANCHOR_END: fan_out
    }

    #[test]
    fn a_producer_blocked_in_a_read_holds_the_job_until_the_read_returns() {
        // Producer 0 reads from a "network" channel that knows nothing about
        // the job. The consumer quits at its first record; the job is still
        // waiting for producer 0 as long as its read blocks.
        let (network_tx, network_rx) = bounded::<u64>(0);
        let (in_read_tx, in_read_rx) = bounded::<()>(1);
        let (returned_tx, returned_rx) = mpsc::channel();
        thread::spawn(move || {
            let (tx, rx) = bounded::<u64>(10);
            let result = thread::scope(|s| {
                let tx0 = tx.clone();
                s.spawn(move || {
                    in_read_tx.send(()).unwrap();
                    while let Ok(record) = network_rx.recv() {
                        // a blocking read that never looks at the job
                        if tx0.send(record).is_err() {
                            return;
                        }
                    }
                });
                s.spawn(move || {
                    let _ = tx.send(1);
                });
                for record in rx {
                    sink_down(record)?;
                }
                Ok::<(), SinkError>(())
            });
            returned_tx.send(result).unwrap();
        });
        in_read_rx.recv().unwrap();
        // Producer 0 stays in its read: the job can return only after it.
        assert!(returned_rx.recv_timeout(Duration::from_millis(50)).is_err());
        network_tx.send(42).unwrap(); // the read returns; the send fails
        assert_eq!(
            returned_rx.recv_timeout(Duration::from_secs(5)),
            Ok(Err(SinkError))
        );
    }

    #[test]
    fn run_job_cancel_stores_every_record_when_nothing_fails() {
        let _counted = counted();
        let sources = Sources::never_ending(PRODUCERS, PER_PRODUCER);
        let receivers = sources.receivers();
        // The sources never end by themselves: end them once drained.
        let (ended_tx, ended_rx) = mpsc::channel();
        let stored = AtomicUsize::new(0);
        let write = move |_: u64| {
            if stored.fetch_add(1, Ordering::SeqCst) + 1 == PRODUCERS * PER_PRODUCER {
                let _ = ended_tx.send(());
            }
            Ok(())
        };
        let ender = thread::spawn(move || {
            ended_rx.recv().unwrap();
            sources.end();
        });
        let result = within(move || run_job_cancel(receivers, &write));
        ender.join().unwrap();
        assert_eq!(result, Some(Ok(300)));
        assert_eq!(running(), 0);
    }

    #[test]
    fn run_job_cancel_wakes_producers_that_wait_for_their_source() {
        // The sources never end. After the failed write, each producer waits
        // for its source (or for room in the channel): only the cancel and
        // the dropped Receiver can end them.
        let _counted = counted();
        let sources = Sources::never_ending(PRODUCERS, 3);
        let receivers = sources.receivers();
        let result = within(move || run_job_cancel(receivers, &sink_down));
        assert_eq!(result, Some(Err(JobError::Write(SinkError))));
        assert_eq!(running(), 0);
        drop(sources);
    }

    #[test]
    fn without_the_cancel_the_same_job_waits_for_its_sources() {
        // `run_job_cancel` without `drop(cancel)`: the consumer's return
        // releases the producers blocked in `send`, not the ones blocked in
        // `select!` on their source. The job returns when the sources end.
        let sources = Sources::never_ending(2, 1);
        let receivers = sources.receivers();
        let (returned_tx, returned_rx) = mpsc::channel();
        let (failed_tx, failed_rx) = mpsc::channel();
        thread::spawn(move || {
            let (tx, rx) = bounded(10);
            let (_cancel, done) = bounded::<()>(0); // never dropped early
            let result = thread::scope(|s| {
                for source in receivers {
                    let (tx, done) = (tx.clone(), done.clone());
                    s.spawn(move || forward(&source, &tx, &done));
                }
                drop(tx);
                for record in rx {
                    failed_tx.send(()).unwrap();
                    sink_down(record)?;
                }
                Ok::<(), SinkError>(())
            });
            returned_tx.send(result).unwrap();
        });
        failed_rx.recv().unwrap();
        // The producer whose record failed waits in `select!` for more: its
        // source is not ended and nobody cancels. The job cannot return.
        assert!(returned_rx.recv_timeout(Duration::from_millis(50)).is_err());
        sources.end();
        assert_eq!(
            returned_rx.recv_timeout(Duration::from_secs(5)),
            Ok(Err(SinkError))
        );
    }

    #[test]
    fn never_fires_neither_after_a_message_nor_a_drop() {
        let done = never::<()>();
        assert!(done.try_recv().is_err());
        assert!(done.recv_timeout(Duration::from_millis(5)).is_err());
    }

    #[test]
    fn after_delivers_one_message_at_its_deadline() {
        let start = Instant::now();
        let done = after(Duration::from_millis(10));
        assert!(done.recv().is_ok());
        assert!(start.elapsed() >= Duration::from_millis(10));
    }

    #[test]
    fn after_delivers_one_message_in_total_to_all_its_clones() {
        let done = after(Duration::from_millis(1));
        let clone = done.clone();
        assert!(done.recv().is_ok(), "the first recv gets the one message");
        // Taken: the clone shares it, and neither will ever be ready again.
        assert_eq!(
            clone.try_recv(),
            Err(crossbeam_channel::TryRecvError::Empty)
        );
        assert_eq!(done.try_recv(), Err(crossbeam_channel::TryRecvError::Empty));
        let ready = select! {
            recv(clone) -> _ => true,
            default => false,
        };
        assert!(!ready, "select! must not find a taken after() ready");
        assert_eq!(
            clone.recv_timeout(Duration::from_millis(20)),
            Err(crossbeam_channel::RecvTimeoutError::Timeout),
            "a recv on a taken after() waits (crossbeam's at.rs: sleep_until(deadline), forever without one)"
        );
    }

    #[test]
    fn a_plain_send_does_not_hear_a_cancel_while_a_consumer_lives() {
        let (tx, _rx) = bounded::<u64>(0); // a consumer lives, but does not receive
        let (cancel, done) = bounded::<()>(0);
        drop(cancel); // another producer failed, or the caller gave up
        assert!(done.recv().is_err(), "the cancel has happened");
        // No timing claim: with nobody receiving, this send can only time out.
        assert_eq!(
            tx.send_timeout(1, Duration::from_millis(20)),
            Err(crossbeam_channel::SendTimeoutError::Timeout(1)),
            "a plain send cannot see the cancel"
        );
        // The select! version sees it at once.
        assert_eq!(
            crate::close::send_or_cancel(&tx, &done, 1),
            Err(crate::close::NotSent::Cancelled)
        );
    }

    #[test]
    fn a_shared_after_cancels_one_waiter_of_three() {
        let n = within(|| shared_after_cancels(3, Duration::from_millis(5)));
        assert_eq!(n, Some(1));
    }

    #[test]
    fn a_dropped_deadline_sender_cancels_every_waiter_even_later_ones() {
        let done = deadline(Duration::from_millis(5));
        let for_waiters = done.clone();
        let n = within(move || every_waiter_cancelled(3, || for_waiters.clone()));
        assert_eq!(n, Some(3), "every waiter must see the deadline");
        // Disconnected stays ready: a waiter that comes after the deadline
        // is cancelled at once, as a receive from a closed ctx.Done() is.
        let (_keep, source) = bounded::<u64>(0);
        assert_eq!(next_or_cancel(&source, &done), Next::Cancelled);
        assert_eq!(next_or_cancel(&source, &done.clone()), Next::Cancelled);
    }

    #[test]
    fn each_waiter_with_its_own_timer_is_cancelled() {
        let at = Instant::now() + Duration::from_millis(5);
        let n = within(move || every_waiter_cancelled(3, || crossbeam_channel::at(at)));
        assert_eq!(n, Some(3));
    }

    #[test]
    fn select_cases_print_what_the_book_shows() {
        let mut out = Vec::new();
        select_cases(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("Record(7)") && text.contains("End") && text.contains("Cancelled"));
    }
}
