//! Chapter 6: structured parallelism with rayon. The Go side is `go/rayon`
//! (package `fanout`): errgroup with `SetLimit`, results by channel or by
//! index.
//!
//! - [`checksum`]: the CPU-bound work of one item, the same function as Go's
//!   `fanout.Checksum` (both test the same value);
//! - [`checksum_all`]: `par_iter().map(..).collect::<Result<Vec<_>, _>>()`,
//!   the port of Go's `Indexed`/`Stopping`;
//! - [`fetch_all`]: bounded I/O with N scoped workers, where rayon is the
//!   wrong tool;
//! - [`find_line`]: early exit inside a long per-item loop with an
//!   `AtomicBool`;
//! - programs [`collect`], [`starve`] and [`panics`], with checked output;
//! - [`bench`]: the measurement, `cargo run --release -p listings --example
//!   rayon_bench`.

#[path = "rayon/bench.rs"]
pub mod bench;

use ::rayon::prelude::*;
use crossbeam_channel as channel;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

// ANCHOR: checksum
/// The CPU-bound work of one item: `rounds` steps of splitmix64 seeded with
/// the item's id. No memory, no I/O, no locks: only the CPU. Go's
/// `fanout.Checksum` is the same function.
pub fn checksum(id: u64, rounds: u32) -> u64 {
    let mut x = id;
    for _ in 0..rounds {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x = z ^ (z >> 31);
    }
    x
}
// ANCHOR_END: checksum

/// An item that could not be processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadItem(pub u64);

// ANCHOR: checksum_all
/// Go's `Indexed` with `Stopping`'s early stop, in one expression: results
/// in item order, the error of a failed item, and no new items handed out
/// once an `Err` has been seen (items already running finish).
pub fn checksum_all(
    items: u64,
    work: impl Fn(u64) -> Result<u64, BadItem> + Sync,
) -> Result<Vec<u64>, BadItem> {
    (0..items).into_par_iter().map(&work).collect() // pair: items results stop wait
}
// ANCHOR_END: checksum_all

// ANCHOR: fetch_all
/// Bounded I/O: `workers` scoped threads pull indexes from a channel, so at
/// most `workers` calls of `fetch` run at once, whatever rayon's pool is
/// doing. After a failure each worker stops before its next call.
pub fn fetch_all<T: Send, E: Send>(
    urls: &[&str],
    workers: usize,
    fetch: impl Fn(&str) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E> {
    let (tx, rx) = channel::unbounded();
    for i in 0..urls.len() {
        tx.send(i).expect("rx is alive");
    }
    drop(tx); // the queue is complete: workers stop when it is empty
    let failed = AtomicBool::new(false);
    let mut results: Vec<(usize, Result<T, E>)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                let (rx, failed, fetch) = (rx.clone(), &failed, &fetch);
                s.spawn(move || {
                    let mut done = Vec::new();
                    for i in rx.iter() {
                        if failed.load(Ordering::SeqCst) {
                            break; // another call failed: start nothing new
                        }
                        let result = fetch(urls[i]);
                        if result.is_err() {
                            failed.store(true, Ordering::SeqCst);
                        }
                        done.push((i, result));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i); // item order, like an indexed slice
    results.into_iter().map(|(_, r)| r).collect()
}
// ANCHOR_END: fetch_all

// ANCHOR: find_line
/// Finds a line for which `is_hit` holds, in any record: `(record, line)`.
/// rayon's `find_map_any` stops handing out records after a hit, but a
/// record already being scanned would be scanned to its end; the flag stops
/// those too, between two lines.
pub fn find_line<L: Sync>(
    records: &[Vec<L>],
    is_hit: impl Fn(&L) -> bool + Sync,
) -> Option<(usize, usize)> {
    let found = AtomicBool::new(false);
    records.par_iter().enumerate().find_map_any(|(r, lines)| {
        for (l, line) in lines.iter().enumerate() {
            if found.load(Ordering::Relaxed) {
                return None; // someone else found one: stop mid-record
            }
            if is_hit(line) {
                found.store(true, Ordering::Relaxed);
                return Some((r, l));
            }
        }
        None
    })
}
// ANCHOR_END: find_line

/// Runs `f` in a fresh rayon pool of `threads` threads.
pub fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    ::rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
        .install(f)
}

/// A gate that `open`s once and that threads `wait` on (with a limit, so
/// that a listing never hangs if the pool behaves otherwise than the test
/// expects).
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.changed.notify_all();
    }
    /// Waits until the gate is open or `limit` has passed; says which.
    fn wait(&self, limit: Duration) -> bool {
        let open = self.open.lock().unwrap();
        let (open, _) = self
            .changed
            .wait_timeout_while(open, limit, |open| !*open)
            .unwrap();
        *open
    }
}

/// `cargo run -p listings --example rayon_collect`: the order of
/// `collect::<Result<Vec<_>, _>>()`, and which error it returns.
pub fn collect(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: collect
    // Item 0 finishes last: it waits until item 7 is done.
    let last_done = Gate::default();
    let squares = in_pool(2, || {
        checksum_all(8, |i| {
            if i == 0 {
                last_done.wait(Duration::from_secs(10));
            }
            if i == 7 {
                last_done.open();
            }
            Ok(i * i)
        })
    });
    writeln!(out, "item 0 finishes last:        {squares:?}")?;

    // Item 999 fails while item 1, lower, is still running: item 1 returns
    // only once item 999 has failed.
    let failed_999 = Gate::default();
    let result = in_pool(2, || {
        checksum_all(1000, |i| match i {
            1 => {
                failed_999.wait(Duration::from_secs(10));
                Ok(1)
            }
            999 => {
                failed_999.open();
                Err(BadItem(999))
            }
            _ => Ok(i),
        })
    });
    writeln!(out, "item 999 fails, item 1 still running: {result:?}")?;
    // ANCHOR_END: collect
    Ok(())
}

/// How many calls of a blocking function run at once.
#[derive(Default)]
struct InFlight {
    now: Mutex<usize>,
    changed: Condvar,
    max: AtomicUsize,
    started: AtomicUsize,
}

impl InFlight {
    /// A blocking call of a batch of `total`. It waits (10 s at most) until
    /// `sure` calls run at once, then at most `limit` more until `hoped`
    /// do; either wait ends early once every call of the batch has started.
    fn call(&self, sure: usize, hoped: usize, total: usize, limit: Duration) {
        let mut now = self.now.lock().unwrap();
        // Counted together under the lock: when the last call has started,
        // every call that has not left yet is in `now`.
        self.started.fetch_add(1, Ordering::SeqCst);
        *now += 1;
        self.max.fetch_max(*now, Ordering::SeqCst);
        self.changed.notify_all();
        let all_started = || self.started.load(Ordering::SeqCst) >= total;
        for (want, limit) in [(sure, Duration::from_secs(10)), (hoped, limit)] {
            now = self
                .changed
                .wait_timeout_while(now, limit, |now| *now < want && !all_started())
                .unwrap()
                .0;
        }
        *now -= 1;
        self.changed.notify_all();
    }
}

/// `cargo run -p listings --example rayon_starve`: eight blocking calls,
/// each waiting until all eight run, in a 2-thread rayon pool (where they
/// give up after 50 ms: only 2 can ever run) and with 8 scoped workers.
pub fn starve(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: starve
    let limit = Duration::from_millis(50);
    let urls = ["u"; 8];

    let pool = InFlight::default();
    in_pool(2, || {
        urls.par_iter().for_each(|_| pool.call(2, 8, 8, limit));
    });
    writeln!(
        out,
        "2-thread rayon pool:  at most {} of 8 blocking calls at once",
        pool.max.load(Ordering::SeqCst)
    )?;

    let workers = InFlight::default();
    let _: Result<Vec<()>, ()> = fetch_all(&urls, 8, |_| {
        workers.call(8, 8, 8, limit);
        Ok(())
    });
    writeln!(
        out,
        "8 scoped workers:     at most {} of 8 blocking calls at once",
        workers.max.load(Ordering::SeqCst)
    )?;
    // ANCHOR_END: starve
    Ok(())
}

/// The message of a caught panic (`panic!` with a literal or a format).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(not a string)")
}

/// `cargo run -p listings --example rayon_panics`: where a panic in rayon
/// goes. `join`, `scope` and a parallel iterator hand it to their caller; a
/// task started by `spawn` has no caller to hand it to, so it goes to the
/// pool's `panic_handler`, and without one the process aborts
/// (`listings/tests/rayon_spawn_abort.rs` shows that in a child process).
pub fn panics(out: &mut dyn Write) -> io::Result<()> {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    // ANCHOR: panics
    let pool = ::rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a 2-thread pool");
    let caught = |f: &(dyn Fn() + Sync)| match catch_unwind(AssertUnwindSafe(|| pool.install(f))) {
        Ok(()) => "returned".to_string(),
        Err(payload) => format!("the caller caught {:?}", panic_message(&*payload)),
    };
    let other_side_ran = AtomicBool::new(false);
    let join = caught(&|| {
        ::rayon::join(
            || panic!("join: item 3 is corrupt"),
            || other_side_ran.store(true, Ordering::SeqCst),
        );
    });
    writeln!(
        out,
        "join:     {join} (the other side ran: {})",
        other_side_ran.load(Ordering::SeqCst)
    )?;
    let scope = caught(&|| {
        ::rayon::scope(|s| s.spawn(|_| panic!("scope: task 2 failed")));
    });
    writeln!(out, "scope:    {scope}")?;
    let iter = caught(&|| {
        (0..1000u64).into_par_iter().for_each(|i| {
            if i == 500 {
                panic!("par_iter: item 500 is corrupt");
            }
        });
    });
    writeln!(out, "par_iter: {iter}")?;

    // `spawn` returns at once; the task runs later, with nobody to catch its
    // panic. A pool built with a `panic_handler` gets it; without one, rayon
    // aborts the whole process.
    let (handled_tx, handled) = channel::bounded::<String>(1);
    let handled_pool = ::rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .panic_handler(move |payload| {
            let _ = handled_tx.send(panic_message(&*payload).to_string());
        })
        .build()
        .expect("a 2-thread pool with a panic handler");
    handled_pool.spawn(|| panic!("spawn: a background task failed"));
    let message = handled
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| "(the handler never ran)".to_string());
    let still_works: u64 = handled_pool.install(|| (0..10u64).into_par_iter().sum());
    writeln!(
        out,
        "spawn:    the pool's panic_handler got {message:?}; the pool still sums 0..10 = {still_works}"
    )?;
    // ANCHOR_END: panics
    Ok(())
}

#[cfg(test)]
#[path = "rayon/tests.rs"]
mod tests;
