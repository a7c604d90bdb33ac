//! Chapter 1: the incident's pipeline, ported to Rust.
//!
//! - [`run_job`]: Go's `RunJobLeaky`, ported line by line. Its early return
//!   drops the coordinator's `Sender`, so the consumer's loop ends anyway.
//! - [`run_job_close_at_scope_end`]: the same job without `drop(tx)`. The
//!   coordinator's `Sender` lives until the closing brace, after the join:
//!   a clean batch deadlocks.
//! - [`LeakyService`]: a long-lived service that keeps every failed [`Job`]
//!   (and the `Sender` inside it, behind an `Arc`) for a retry, and does not
//!   join the consumer of a failed job: one blocked thread per failure.
//! - [`Service`]: the same service, keeping only what a retry needs.
//! - Programs (see `examples/leak_*.rs`): [`pipeline`], [`scope_end`],
//!   [`longlived`], [`producer_panics`].
//!
//! Rust has no `runtime.NumGoroutine`, so every consumer thread here carries a
//! [`Running`] guard: created before the thread starts, dropped when the
//! thread ends, however it ends. [`consumers_running`] reads the count.

use crossbeam_channel::{Receiver, Sender, bounded};
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// One row of a batch, Go's `leak.Record`. In the incident the rows were
/// large and the consumer kept the whole batch in memory.
pub type Record = Vec<i64>;

/// The error of a record that cannot be read, Go's wrapped `ErrCorrupt`.
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
pub type Source = Arc<dyn Fn(usize) -> Result<Record, ReadError> + Send + Sync>;

/// Go's `leak.NewSource`: records hold `size` copies of their number, and
/// record `bad` (if any) fails to read. A clean batch of `size` 2 totals 72.
pub fn new_source(size: usize, bad: Option<usize>) -> Source {
    Arc::new(move |id| {
        if Some(id) == bad {
            Err(ReadError { record: id })
        } else {
            Ok(vec![id as i64; size])
        }
    })
}

/// Adds up every value of every row.
pub fn total(rows: &[Record]) -> i64 {
    rows.iter().flatten().sum()
}

static CONSUMERS: AtomicUsize = AtomicUsize::new(0);

/// How many consumer threads of this module are running right now.
pub fn consumers_running() -> usize {
    CONSUMERS.load(Ordering::SeqCst)
}

// ANCHOR: running
/// Counts one consumer thread: create it just before the thread starts and
/// move it into the thread; it is dropped when the thread ends, however it
/// ends (return or panic).
pub struct Running(());

impl Running {
    pub fn consumer() -> Running {
        CONSUMERS.fetch_add(1, Ordering::SeqCst);
        Running(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        CONSUMERS.fetch_sub(1, Ordering::SeqCst);
    }
}
// ANCHOR_END: running

/// Waits (at most 2 s) until no more consumers run than `before`, and
/// returns how many more there are. A consumer that nobody joined may end a
/// moment after the function that started it returned; this is Go's
/// `goroutines.Settle` for our counter. A consumer blocked forever makes
/// it wait the whole 2 s, so the programs only call it where every consumer
/// can end.
pub fn settle(before: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(2);
    while consumers_running() > before && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
    consumers_running().saturating_sub(before)
}

// ANCHOR: leaky_job
/// `RunJobLeaky`, ported line by line: three producers, one consumer, and
/// the same early return before the "close".
pub fn run_job(read: Source) -> Result<i64, ReadError> {
    let (tx, rx) = bounded::<Record>(10); // pair: channel

    let mut readers: Vec<Reader> = Vec::new();
    for p in 0..3 {
        // three producers, each owns a Sender
        let tx = tx.clone();
        let read = Arc::clone(&read);
        readers.push(thread::spawn(move || {
            for id in 3 * p..3 * p + 3 {
                // On error: return, drop `tx`. // pair: ^^producer
                let r = read(id)?; // pair: read-fails
                tx.send(r).expect("consumer gone"); // pair: send
            }
            Ok(())
        }));
    }

    // Counts this thread (see `Running`).
    let running = Running::consumer();
    let consumer = thread::spawn(move || {
        // one consumer // pair: ^consumer
        let _running = running;
        // Keeps the whole batch (as in the
        // incident); ends when every Sender
        // is gone.
        let rows: Vec<Record> = rx.iter().collect(); // pair: drain
        total(&rows)
    });

    // ANCHOR: leaky_tail
    wait(readers)?; // Go: return 0, err // pair: early-return
    drop(tx); // Go: close(records) // pair: close
    let total = consumer.join().unwrap(); // pair: join-consumer
    Ok(total)
    // ANCHOR_END: leaky_tail
}
// ANCHOR_END: leaky_job

/// A producer thread: it returns `Ok(())` or the error of its read.
pub type Reader = JoinHandle<Result<(), ReadError>>;

// ANCHOR: wait
/// Go's `errgroup.Wait` for threads: joins every producer, then returns the
/// first error (the first in spawn order; errgroup keeps the first to
/// happen, which is the same here: only one producer fails).
pub fn wait(readers: Vec<Reader>) -> Result<(), ReadError> {
    let mut first = Ok(());
    for reader in readers {
        let result = reader.join().expect("a producer panicked");
        if first.is_ok() {
            first = result;
        }
    }
    first
}
// ANCHOR_END: wait

/// The three producers of [`run_job`], for the other jobs of this module.
fn spawn_readers(read: &Source, tx: &Sender<Record>) -> Vec<Reader> {
    (0..3)
        .map(|p| {
            let tx = tx.clone();
            let read = Arc::clone(read);
            thread::spawn(move || {
                for id in 3 * p..3 * p + 3 {
                    tx.send(read(id)?).expect("the consumer hung up");
                }
                Ok(())
            })
        })
        .collect()
}

/// The consumer of [`run_job`], for the other jobs of this module.
fn spawn_consumer(rx: Receiver<Record>) -> JoinHandle<i64> {
    let running = Running::consumer();
    thread::spawn(move || {
        let _running = running;
        let rows: Vec<Record> = rx.iter().collect();
        total(&rows)
    })
}

// ANCHOR: scope_end
/// `run_job` without `drop(tx)`: "Rust closes the channel for me". It
/// does, when `tx` goes out of scope: at the closing brace, after the join.
pub fn run_job_close_at_scope_end(read: Source) -> Result<i64, ReadError> {
    let (tx, rx) = bounded::<Record>(10);
    let readers = spawn_readers(&read, &tx);
    let consumer = spawn_consumer(rx);

    wait(readers)?; // error path: `tx` is dropped here
    // Waits for the consumer, which waits for `tx`:
    let total = consumer.join().unwrap();
    Ok(total)
} // clean path: `tx` is dropped here, never reached
// ANCHOR_END: scope_end

// ANCHOR: job
/// Everything about one job, shared by its three producers.
pub struct Job {
    pub name: String,
    read: Source,
    tx: Sender<Record>,
}

impl Job {
    /// Producer `p`: reads records `3p`, `3p+1`, `3p+2` and sends them.
    fn produce(&self, p: usize) -> Result<(), ReadError> {
        for id in 3 * p..3 * p + 3 {
            let r = (self.read)(id)?;
            self.tx.send(r).expect("the consumer hung up");
        }
        Ok(())
    }
}
// ANCHOR_END: job

// ANCHOR: leaky_service
/// A long-lived service: it runs job after job, and keeps the failed ones
/// for a retry.
#[derive(Default)]
pub struct LeakyService {
    failed: Vec<Arc<Job>>,
}

impl LeakyService {
    pub fn run(&mut self, name: &str, read: Source) -> Result<i64, ReadError> {
        let (tx, rx) = bounded(10);
        let job = Arc::new(Job {
            name: name.to_owned(),
            read,
            tx,
        });
        let readers = (0..3)
            .map(|p| {
                let job = Arc::clone(&job);
                thread::spawn(move || job.produce(p))
            })
            .collect();
        let consumer = spawn_consumer(rx);

        // ANCHOR: leaky_service_tail
        if let Err(e) = wait(readers) {
            self.failed.push(job); // for the retry; the job's `tx` comes along
            return Err(e); // `consumer` is dropped: detached, nobody joins it
        }
        drop(job); // the last `Arc<Job>`, so the last Sender
        Ok(consumer.join().expect("the consumer panicked"))
        // ANCHOR_END: leaky_service_tail
    }

    /// The names of the jobs waiting for a retry, oldest first.
    pub fn failed(&self) -> Vec<&str> {
        self.failed.iter().map(|job| job.name.as_str()).collect()
    }
}
// ANCHOR_END: leaky_service

// ANCHOR: service
/// `LeakyService`, fixed: a failed job is remembered by what a retry
/// needs (its name and its source), and the consumer is joined on every
/// path.
#[derive(Default)]
pub struct Service {
    failed: Vec<(String, Source)>,
}

impl Service {
    pub fn run(&mut self, name: &str, read: Source) -> Result<i64, ReadError> {
        let (tx, rx) = bounded(10);
        let job = Arc::new(Job {
            name: name.to_owned(),
            read: Arc::clone(&read),
            tx,
        });
        let readers = (0..3)
            .map(|p| {
                let job = Arc::clone(&job);
                thread::spawn(move || job.produce(p))
            })
            .collect();
        let consumer = spawn_consumer(rx);

        // ANCHOR: service_tail
        let read_result = wait(readers);
        drop(job); // the last Sender goes, error or not
        let total = consumer.join().expect("the consumer panicked");
        if let Err(e) = read_result {
            self.failed.push((name.to_owned(), read)); // no Sender in here
            return Err(e);
        }
        Ok(total)
        // ANCHOR_END: service_tail
    }

    /// The names of the jobs waiting for a retry, oldest first.
    pub fn failed(&self) -> Vec<&str> {
        self.failed.iter().map(|(name, _)| name.as_str()).collect()
    }
}
// ANCHOR_END: service

/// Polls `ready` until it holds or `limit` has passed; returns whether it
/// held.
pub fn wait_for(limit: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while !ready() {
        if Instant::now() >= deadline {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

/// Runs `f` on its own thread and waits at most `limit` for its result:
/// `None` means it had not returned by then (the thread is left running).
pub fn within<T, F>(limit: Duration, f: F) -> Option<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = done_tx.send(f());
    });
    done_rx.recv_timeout(limit).ok()
}

fn outcome(result: &Result<i64, ReadError>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(e) => e.to_string(),
    }
}

/// `cargo run -p listings --example leak_pipeline`: the Rust port of Go's
/// `oneshot`, [`run_job`] once on a batch whose record 7 is corrupt.
pub fn pipeline(out: &mut dyn Write) -> io::Result<()> {
    let before = consumers_running();
    match run_job(new_source(4, Some(7))) {
        Ok(total) => writeln!(out, "job total: {total}")?,
        Err(e) => writeln!(out, "job failed: {e}")?,
    }
    // On the error path nobody joins the consumer: it ends on its own, a
    // moment after `run_job` returned.
    writeln!(out, "consumer threads left behind: {}", settle(before))
}

/// How long [`scope_end`] waits before it calls the job stuck.
const STUCK_AFTER: Duration = Duration::from_millis(500);

/// `cargo run -p listings --example leak_scope_end`:
/// [`run_job_close_at_scope_end`] on a clean batch (it never returns) and on
/// a batch whose record 7 is corrupt (it returns the error).
pub fn scope_end(out: &mut dyn Write) -> io::Result<()> {
    let before = consumers_running();
    let (done_tx, done) = mpsc::channel();
    thread::spawn(move || {
        let _ = done_tx.send(run_job_close_at_scope_end(new_source(4, None)));
    });
    // Give the job every chance: wait until its consumer runs, then 500 ms.
    wait_for(Duration::from_secs(2), || consumers_running() > before);
    match done.recv_timeout(STUCK_AFTER) {
        Ok(result) => writeln!(out, "clean batch: {}", outcome(&result))?,
        Err(_) => writeln!(
            out,
            "clean batch: no result after {} ms\n  consumer threads still running: {}",
            STUCK_AFTER.as_millis(),
            consumers_running() - before
        )?,
    }

    let before = consumers_running();
    let result = run_job_close_at_scope_end(new_source(4, Some(7)));
    writeln!(
        out,
        "batch with record 7 corrupt: {}\n  consumer threads left behind: {}",
        outcome(&result),
        settle(before)
    )
}

/// `cargo run -p listings --example leak_longlived`: Go's `longlived` (six
/// batches in one process, every second one with record 7 corrupt), first
/// with [`LeakyService`], then with [`Service`].
pub fn longlived(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "LeakyService: keeps each failed Job, Sender included")?;
    let start = consumers_running();
    let mut leaky = LeakyService::default();
    for batch in 1..=6 {
        let bad = if batch % 2 == 0 { Some(7) } else { None };
        let result = leaky.run(&format!("batch {batch}"), new_source(4, bad));
        writeln!(
            out,
            "batch {batch}: {:<30} consumer threads left behind so far: {}",
            outcome(&result),
            consumers_running() - start
        )?;
    }
    writeln!(out, "waiting for a retry: {}", leaky.failed().join(", "))?;
    drop(leaky); // the failed jobs go, and their Senders with them
    writeln!(
        out,
        "after dropping the service: consumer threads left behind: {}",
        settle(start)
    )?;

    writeln!(out)?;
    writeln!(out, "Service: keeps each failed job's name and source")?;
    let start = consumers_running();
    let mut service = Service::default();
    for batch in 1..=6 {
        let bad = if batch % 2 == 0 { Some(7) } else { None };
        let result = service.run(&format!("batch {batch}"), new_source(4, bad));
        writeln!(
            out,
            "batch {batch}: {:<30} consumer threads left behind so far: {}",
            outcome(&result),
            consumers_running() - start
        )?;
    }
    writeln!(out, "waiting for a retry: {}", service.failed().join(", "))
}

/// The text of a panic payload (`panic!("...")` gives `&str` or `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

/// `cargo run -p listings --example leak_panic`: a producer that panics
/// after two records. Its `Sender` is dropped while the thread unwinds, so
/// the consumer's loop ends. (The panic message itself goes to stderr.)
pub fn producer_panics(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: panic_closes
    let (tx, rx) = bounded::<Record>(10);
    let running = Running::consumer();
    let consumer = thread::spawn(move || {
        let _running = running;
        rx.iter().count() // ends when every Sender is gone
    });
    let producer = thread::spawn(move || {
        tx.send(vec![1]).expect("the consumer hung up");
        tx.send(vec![2]).expect("the consumer hung up");
        panic!("disk on fire"); // unwinding drops `tx`, as a return would
    });

    let produced = producer.join(); // the panic, as a value: Err(payload)
    let received = consumer.join().expect("the consumer panicked");
    // ANCHOR_END: panic_closes
    match produced {
        Ok(()) => writeln!(out, "producer: returned")?,
        Err(payload) => writeln!(
            out,
            "producer: panicked: {}",
            panic_message(payload.as_ref())
        )?,
    }
    writeln!(
        out,
        "consumer: received {received} records, then its loop ended"
    )
}

// ---- Leaks are safe Rust (chapter 1, "Where Rust still deadlocks or leaks")

/// `cargo run -p listings --example leak_safe_leaks`: two leaks that compile
/// without `unsafe`. Ownership guarantees that a value is dropped at most
/// once, never that it is dropped.
pub fn safe_leaks(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: safe_leaks
    // mem::forget: the Sender is never dropped, so the channel never
    // disconnects. A consumer's `for r in rx` would wait forever.
    let (tx, rx) = bounded::<u64>(1);
    std::mem::forget(tx);
    writeln!(
        out,
        "after mem::forget(tx), rx.try_recv(): {:?}",
        rx.try_recv()
    )?;

    // An Rc cycle: each node owns the other, so neither count reaches 0.
    struct Node {
        next: RefCell<Option<Rc<Node>>>,
        drops: Rc<Cell<u32>>,
    }
    impl Drop for Node {
        fn drop(&mut self) {
            self.drops.set(self.drops.get() + 1);
        }
    }
    let drops = Rc::new(Cell::new(0));
    let a = Rc::new(Node {
        next: RefCell::new(None),
        drops: drops.clone(),
    });
    let b = Rc::new(Node {
        next: RefCell::new(Some(a.clone())),
        drops: drops.clone(),
    });
    *a.next.borrow_mut() = Some(b.clone());
    drop((a, b)); // our two handles go; the cycle keeps both nodes
    writeln!(
        out,
        "an Rc cycle of 2 nodes, both handles dropped: {} nodes dropped",
        drops.get()
    )?;
    // ANCHOR_END: safe_leaks
    Ok(())
}

// ---- Drop is per block, defer per function

// ANCHOR: drop_per_block
/// Records its own drop in the log.
struct Batch<'a> {
    id: u32,
    log: &'a RefCell<Vec<String>>,
}

impl Drop for Batch<'_> {
    fn drop(&mut self) {
        self.log
            .borrow_mut()
            .push(format!("close batch {}", self.id)); // pair: close-batch
    }
}

fn process(log: &RefCell<Vec<String>>) {
    for id in 0..3 {
        log.borrow_mut().push(format!("open batch {id}")); // pair: open ^loop
        let _batch = Batch { id, log }; // dropped at the end of this iteration // pair: close-batch
    }
    log.borrow_mut().push("loop done".into()); // pair: loop-done
}
// ANCHOR_END: drop_per_block

/// `cargo run -p listings --example leak_drop_per_block`: Go's
/// `leak/cmd/deferloop` in Rust; each batch closes in its own iteration.
pub fn drop_per_block(out: &mut dyn Write) -> io::Result<()> {
    let log = RefCell::new(Vec::new());
    process(&log);
    log.borrow_mut().push("process returned".into());
    for line in log.into_inner() {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! The claims chapter 1 makes about the Rust side. The consumer counter
    //! is global, so these tests take turns (`SERIAL`) and look at
    //! differences only: a test that leaks on purpose leaves its threads
    //! behind for the rest of the process.

    use super::*;
    use std::sync::Mutex;
    use std::sync::atomic::AtomicUsize;

    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        SERIAL.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Generous: a job that can finish does so in microseconds.
    const FINISHES: Duration = Duration::from_secs(10);

    #[test]
    fn the_port_totals_a_clean_batch_like_the_go_job() {
        let _serial = serial();
        // Records 0..8, two values each: 2*(0+1+...+8) = 72, as in Go's test.
        assert_eq!(run_job(new_source(2, None)), Ok(72));
    }

    #[test]
    fn the_port_returns_the_read_error_and_leaves_no_consumer_behind() {
        let _serial = serial();
        let before = consumers_running();
        for _ in 0..10 {
            assert_eq!(
                run_job(new_source(2, Some(7))),
                Err(ReadError { record: 7 })
            );
        }
        assert_eq!(
            settle(before),
            0,
            "every consumer ends once run_job's `tx` is dropped"
        );
    }

    #[test]
    fn a_read_error_in_any_producer_leaves_no_consumer_behind() {
        let _serial = serial();
        let before = consumers_running();
        for bad in 0..9 {
            assert_eq!(
                run_job(new_source(2, Some(bad))),
                Err(ReadError { record: bad })
            );
            assert_eq!(settle(before), 0, "consumer left behind, record {bad} bad");
        }
    }

    #[test]
    fn closing_at_scope_end_deadlocks_on_a_clean_batch() {
        let _serial = serial();
        let before = consumers_running();
        let reads = Arc::new(AtomicUsize::new(0));
        let counted: Source = {
            let reads = Arc::clone(&reads);
            let inner = new_source(2, None);
            Arc::new(move |id| {
                let r = inner(id);
                reads.fetch_add(1, Ordering::SeqCst);
                r
            })
        };
        let (done_tx, done) = mpsc::channel();
        thread::spawn(move || {
            let _ = done_tx.send(run_job_close_at_scope_end(counted));
        });
        // Every producer has read its three records (and sent them: the
        // buffer holds 10) and the consumer is running...
        assert!(
            wait_for(FINISHES, || {
                reads.load(Ordering::SeqCst) == 9 && consumers_running() - before == 1
            }),
            "the job should get this far"
        );
        // ...and still no result a good while later: nothing but the
        // coordinator's own `tx` keeps the consumer waiting, and the
        // coordinator waits for the consumer.
        let result = done.recv_timeout(Duration::from_millis(300));
        assert!(result.is_err(), "expected no result, got {result:?}");
        assert_eq!(consumers_running() - before, 1);
    }

    #[test]
    fn closing_at_scope_end_still_returns_a_read_error() {
        let _serial = serial();
        let before = consumers_running();
        let result = within(FINISHES, || {
            run_job_close_at_scope_end(new_source(2, Some(4)))
        });
        assert_eq!(result, Some(Err(ReadError { record: 4 })));
        assert_eq!(settle(before), 0);
    }

    #[test]
    fn the_leaky_service_leaks_one_blocked_consumer_per_failed_job() {
        let _serial = serial();
        let start = consumers_running();
        let mut service = LeakyService::default();
        let mut left = Vec::new();
        for batch in 1..=6 {
            let bad = if batch % 2 == 0 { Some(7) } else { None };
            let result = within(FINISHES, {
                let mut s = std::mem::take(&mut service);
                move || {
                    let r = s.run("b", new_source(2, bad));
                    (s, r)
                }
            });
            let (s, r) = result.expect("LeakyService::run returns on both paths");
            service = s;
            assert_eq!(r.is_err(), bad.is_some());
            left.push(consumers_running() - start);
        }
        assert_eq!(left, [0, 1, 1, 2, 2, 3]);
        assert_eq!(service.failed().len(), 3);
        // The leak lasts exactly as long as the owner of the Senders.
        drop(service);
        assert_eq!(settle(start), 0);
    }

    #[test]
    fn the_service_leaks_nothing_and_remembers_the_failed_jobs() {
        let _serial = serial();
        let start = consumers_running();
        let mut service = Service::default();
        for batch in 1..=6 {
            let bad = if batch % 2 == 0 { Some(7) } else { None };
            let name = format!("batch {batch}");
            let result = service.run(&name, new_source(2, bad));
            assert_eq!(result.is_err(), bad.is_some());
            // Joined on both paths: exact right after `run` returns.
            assert_eq!(consumers_running(), start);
        }
        assert_eq!(service.failed(), ["batch 2", "batch 4", "batch 6"]);
    }

    #[test]
    fn a_panicking_producer_closes_the_channel_too() {
        let _serial = serial();
        let before = consumers_running();
        let mut out = Vec::new();
        let printed = within(FINISHES, move || {
            producer_panics(&mut out).unwrap();
            out
        })
        .expect("the consumer's loop ends after the panic");
        let printed = String::from_utf8(printed).unwrap();
        assert!(printed.contains("panicked: disk on fire"), "{printed}");
        assert!(printed.contains("received 2 records"), "{printed}");
        assert_eq!(consumers_running(), before);
    }
}
