//! `cargo run --release -p listings --example rayon_bench`: chapter 6's
//! measurement, the Rust twin of `go/rayon/cmd/bench`. The same CPU-bound job
//! ([`checksum`] of every item) at 1, 2 and all cores: a sequential loop,
//! `thread::scope` with N workers, and rayon with an N-thread pool, as
//! ratios to the sequential loop; then the time from the first error to the
//! call's return. A measurement, not a golden file: the tests check the
//! report's shape and its counts, never a time.

use super::{BadItem, checksum, checksum_all};
use ::rayon::ThreadPool;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The shape of the measured job.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub items: u64,
    pub rounds: u32,
    pub runs: usize,
}

/// What the book's measurement uses (Go's defaults are the same).
pub const FULL: Config = Config {
    items: 4000,
    rounds: 5000,
    runs: 5,
};

type Work<'a> = &'a (dyn Fn(u64) -> Result<u64, BadItem> + Sync);

/// One way of running the job on `threads` threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    Sequential,
    ScopedWorkers { cancel: bool },
    Rayon,
}

impl Variant {
    fn name(self) -> &'static str {
        match self {
            Variant::Sequential => "sequential loop",
            Variant::ScopedWorkers { cancel: true } => "thread::scope, N workers",
            Variant::ScopedWorkers { cancel: false } => "thread::scope, no cancel flag",
            Variant::Rayon => "rayon, N-thread pool",
        }
    }

    fn run(self, pool: &ThreadPool, items: u64, work: Work) -> Result<Vec<u64>, BadItem> {
        match self {
            Variant::Sequential => (0..items).map(work).collect(),
            Variant::ScopedWorkers { cancel } => {
                scoped_workers(pool.current_num_threads(), items, work, cancel)
            }
            Variant::Rayon => pool.install(|| checksum_all(items, work)),
        }
    }
}

// ANCHOR: scoped_workers
/// N scoped threads take the next item from a shared counter; a failed item
/// sets `failed`, and (with `cancel`) every worker checks it before taking
/// another. Results go to their item's slot, as in Go's `Indexed`.
fn scoped_workers(
    threads: usize,
    items: u64,
    work: Work,
    cancel: bool,
) -> Result<Vec<u64>, BadItem> {
    let next = AtomicU64::new(0);
    let failed = AtomicBool::new(false);
    let first_error = Mutex::new(None);
    let slots: Vec<AtomicU64> = (0..items).map(|_| AtomicU64::new(0)).collect();
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                while !(cancel && failed.load(Ordering::Relaxed)) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= items {
                        break;
                    }
                    match work(i) {
                        Ok(sum) => slots[i as usize].store(sum, Ordering::Relaxed),
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            first_error.lock().unwrap().get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    match first_error.into_inner().unwrap() {
        Some(e) => Err(e),
        None => Ok(slots.into_iter().map(AtomicU64::into_inner).collect()),
    }
}
// ANCHOR_END: scoped_workers

/// 1, 2 and all cores, without repeats.
pub(crate) fn cores() -> Vec<usize> {
    let all = thread::available_parallelism().map_or(1, |n| n.get());
    let mut ps = Vec::new();
    for p in [1, 2, all] {
        if p <= all && !ps.contains(&p) {
            ps.push(p);
        }
    }
    ps
}

fn median<T: Ord + Copy>(mut xs: Vec<T>) -> T {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// What one failing run measured.
struct Stop {
    error_to_return: Duration,
    items: u64,
}

/// Runs the job with every core; the item started `items/2`-th fails at once.
fn failing(v: Variant, pool: &ThreadPool, c: Config) -> Stop {
    let started = AtomicU64::new(0);
    let failed_at = Mutex::new(None);
    let work = |i: u64| {
        if started.fetch_add(1, Ordering::SeqCst) + 1 == c.items / 2 {
            *failed_at.lock().unwrap() = Some(Instant::now());
            return Err(BadItem(i));
        }
        Ok(checksum(i, c.rounds))
    };
    let result = v.run(pool, c.items, &work);
    let returned = Instant::now();
    assert!(
        result.is_err(),
        "{}: the failing item's error was lost",
        v.name()
    );
    let failed_at = failed_at.into_inner().unwrap().expect("the item failed");
    Stop {
        error_to_return: returned - failed_at,
        items: started.into_inner(),
    }
}

fn pool(threads: usize) -> ThreadPool {
    ::rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a rayon pool")
}

/// Writes the report: wall times, then time from the first error to the
/// return.
pub fn report(out: &mut dyn Write, c: Config) -> io::Result<()> {
    let cpus = thread::available_parallelism().map_or(1, |n| n.get());
    let build = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    writeln!(
        out,
        "Rust: {build} build, {}/{}, {cpus} CPUs. {} items, each checksum with {} rounds",
        std::env::consts::OS,
        std::env::consts::ARCH,
        c.items,
        c.rounds
    )?;
    writeln!(
        out,
        "(CPU only); median of {} runs, variants interleaved. Load average at start: {}.\n",
        c.runs,
        loadavg()
    )?;

    let mut rows = vec![(Variant::Sequential, 1)];
    for v in [Variant::ScopedWorkers { cancel: true }, Variant::Rayon] {
        rows.extend(cores().into_iter().map(|p| (v, p)));
    }
    let pools: Vec<(usize, ThreadPool)> = cores().into_iter().map(|p| (p, pool(p))).collect();
    let pool_of = |p: usize| {
        &pools
            .iter()
            .find(|(q, _)| *q == p)
            .expect("a pool per core count")
            .1
    };
    let mut times = vec![Vec::new(); rows.len()];
    let work = |i: u64| Ok(checksum(i, c.rounds));
    for _ in 0..c.runs {
        for (t, &(v, p)) in times.iter_mut().zip(&rows) {
            let start = Instant::now();
            v.run(pool_of(p), c.items, &work).expect("no item fails");
            t.push(start.elapsed());
        }
    }
    writeln!(
        out,
        "{:<34} {:>5} {:>10} {:>14}",
        "wall time", "cores", "median ms", "vs sequential"
    )?;
    let sequential = median(times[0].clone());
    for (t, &(v, p)) in times.into_iter().zip(&rows) {
        let m = median(t);
        writeln!(
            out,
            "{:<34} {p:>5} {:>10.2} {:>14.2}",
            v.name(),
            ms(m),
            sequential.as_secs_f64() / m.as_secs_f64()
        )?;
    }

    writeln!(
        out,
        "\nFirst error: the item started {}-th of {} fails at once; {cpus} cores.",
        c.items / 2,
        c.items
    )?;
    writeln!(
        out,
        "{:<34} {:>5} {:>10} {:>14}",
        "from the error to the return", "", "median ms", "items run"
    )?;
    let failers = [
        Variant::ScopedWorkers { cancel: false },
        Variant::ScopedWorkers { cancel: true },
        Variant::Rayon,
    ];
    let mut stops: Vec<Vec<Stop>> = failers.iter().map(|_| Vec::new()).collect();
    for _ in 0..c.runs {
        for (s, &v) in stops.iter_mut().zip(&failers) {
            s.push(failing(v, pool_of(cpus), c));
        }
    }
    for (s, v) in stops.into_iter().zip(failers) {
        let d = median(s.iter().map(|s| s.error_to_return).collect());
        let n = median(s.iter().map(|s| s.items).collect());
        writeln!(out, "{:<34} {:>5} {:>10.2} {n:>14}", v.name(), "", ms(d))?;
    }
    Ok(())
}

/// The 1-minute load average (Linux), or "unknown": on a shared machine it
/// says how much else was running.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}
