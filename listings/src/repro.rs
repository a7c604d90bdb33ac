//! Chapter 8: the incident, reproduced. The Rust twin of Go's `go/repro`:
//! chapter 1's long-lived services ([`LeakyService`], which keeps each failed
//! job's `Sender` in its failure list, and [`Service`], which keeps only what
//! a retry needs) run a stream of batches, and the process is sampled as it
//! goes: its threads (`/proc/self/status`, `Threads:`) and its resident set
//! size (`VmRSS:`).
//!
//! `cargo run -p listings --example repro_service -- --mode leaky` prints the
//! rows of `src/repro/incident.csv` for one series; `src/repro/measure.sh`
//! runs all four. A measurement, not a golden file: the thread counts are
//! exact (and tested, `tests/repro_threads.rs`), the memory is the machine's.

use crate::leak::{LeakyService, ReadError, Record, Service, Source, consumers_running, total};
use crossbeam_channel::{Sender, bounded};
use std::io::{self, Write};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// Which chapter-1 service runs the jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// [`LeakyService`]: a failed job's `Arc<Job>`, `Sender` inside, stays in
    /// the failure list; its consumer is detached, blocked forever.
    Leaky,
    /// [`Service`]: the failure list keeps the name and the source; the
    /// consumer is joined on both paths.
    Fixed,
}

/// What the command line sets; the defaults are Go's.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub mode: Mode,
    pub jobs: usize,
    /// The fraction of jobs whose record 7 is corrupt, spread evenly.
    pub failure_rate: f64,
    /// The batch size: each of a job's 9 records is this many KiB.
    pub record_kib: usize,
    /// Sample after every this many jobs.
    pub every: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Leaky,
            jobs: 1000,
            failure_rate: 0.5,
            record_kib: 64,
            every: 50,
        }
    }
}

impl Config {
    /// Reads `--mode leaky|fixed --jobs N --failure-rate F --record-kib K
    /// --every N` (any order, each optional).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut cfg = Config::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or(format!("{flag} needs a value"))?;
            let bad = |e: &dyn std::fmt::Display| format!("{flag} {value}: {e}");
            match flag.as_str() {
                "--mode" => {
                    cfg.mode = match value.as_str() {
                        "leaky" => Mode::Leaky,
                        "fixed" => Mode::Fixed,
                        _ => return Err(bad(&"want leaky or fixed")),
                    }
                }
                "--jobs" => cfg.jobs = value.parse().map_err(|e| bad(&e))?,
                "--failure-rate" => cfg.failure_rate = value.parse().map_err(|e| bad(&e))?,
                "--record-kib" => cfg.record_kib = value.parse().map_err(|e| bad(&e))?,
                "--every" => cfg.every = value.parse().map_err(|e| bad(&e))?,
                _ => return Err(format!("unknown flag {flag}")),
            }
        }
        if cfg.every == 0 || cfg.record_kib == 0 || !(0.0..=1.0).contains(&cfg.failure_rate) {
            return Err(format!("bad configuration {cfg:?}"));
        }
        Ok(cfg)
    }

    /// The series name in the CSV: `rust leaky` or `rust fixed`.
    pub fn series(&self) -> &'static str {
        match self.mode {
            Mode::Leaky => "rust leaky",
            Mode::Fixed => "rust fixed",
        }
    }
}

/// One row of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub jobs: usize,
    pub failed: usize,
    /// Threads of the whole process, `Threads:` in `/proc/self/status`.
    pub threads: usize,
    /// Resident set size, `VmRSS:` in `/proc/self/status`.
    pub rss_kib: u64,
}

/// Go's `repro.Fails`: whether job `n` (from 1) fails when a fraction `rate`
/// of the jobs fail, spread evenly (after `n` jobs, `floor(n * rate)` have).
pub fn fails(n: usize, rate: f64) -> bool {
    (n as f64 * rate) as usize > ((n - 1) as f64 * rate) as usize
}

// ANCHOR: service
/// The service: `cfg.jobs` jobs one after the other on one chapter-1
/// service, as a long-lived process runs them; `sample` is called before
/// the first job and after every `cfg.every` jobs (and after the last).
pub fn run(cfg: &Config, mut sample: impl FnMut(Sample)) -> Result<(), String> {
    let ints = cfg.record_kib * 1024 / 8; // i64 records
    let mut leaky = LeakyService::default();
    let mut fixed = Service::default();
    let mut failed = 0;
    let idle = Idle::now(); // the threads and consumers before any job
    sample(idle.measure(0, 0));
    for n in 1..=cfg.jobs {
        let bad = fails(n, cfg.failure_rate).then_some(7);
        let name = format!("job {n}");
        let result = match cfg.mode {
            Mode::Leaky => leaky.run(&name, source(ints, bad)),
            Mode::Fixed => fixed.run(&name, source(ints, bad)),
        };
        if result.is_err() != bad.is_some() {
            let corrupt = bad.is_some();
            return Err(format!("job {n}: want an error: {corrupt}, got {result:?}"));
        }
        if result.is_err() {
            failed += 1; // kept for a retry by the service
        }
        if n % cfg.every == 0 || n == cfg.jobs {
            sample(idle.measure(n, failed));
        }
    }
    Ok(())
}
// ANCHOR_END: service

/// Chapter 1's `new_source`, except that every value of every record is
/// written, as Go's `leak.NewSource` does. (`vec![0; n]`, record 0 there,
/// asks the allocator for zeroed memory, which the kernel does not make
/// resident until it is written: the RSS would miss a record per job.)
pub fn source(ints: usize, bad: Option<usize>) -> Source {
    Arc::new(move |id| {
        if Some(id) == bad {
            return Err(ReadError { record: id });
        }
        Ok((0..ints).map(|_| id as i64).collect())
    })
}

// ANCHOR: scoped_service
/// Chapter 2's structured job, every thread spawned in a `thread::scope`,
/// in a service that makes `LeakyService`'s mistake: it keeps a failed
/// job's `Sender` for the retry.
#[derive(Default)]
pub struct ScopedService {
    failed: Vec<Sender<Record>>,
}

impl ScopedService {
    pub fn run(&mut self, read: &Source) -> Result<i64, ReadError> {
        let (tx, rx) = bounded::<Record>(10);
        thread::scope(|s| {
            let consumer = s.spawn(move || total(&rx.iter().collect::<Vec<_>>()));
            let producers: Vec<_> = (0..3)
                .map(|p| {
                    let tx = tx.clone();
                    s.spawn(move || {
                        for id in 3 * p..3 * p + 3 {
                            tx.send(read(id)?).expect("the consumer hung up");
                        }
                        Ok(())
                    })
                })
                .collect();
            let produced: Result<Vec<()>, ReadError> = producers
                .into_iter()
                .map(|p| p.join().expect("a producer panicked"))
                .collect();
            if produced.is_err() {
                self.failed.push(tx); // for the retry: the channel stays open
            } else {
                drop(tx);
            }
            // The consumer cannot be detached: it is joined here, or by the
            // scope before it returns. With a Sender kept, that is forever.
            let total = consumer.join().expect("the consumer panicked");
            produced.map(|_| total)
        })
    }
}
// ANCHOR_END: scoped_service

/// The process before the first job, to settle the thread count against.
struct Idle {
    threads: usize,
    consumers: usize,
}

impl Idle {
    fn now() -> Idle {
        Idle {
            consumers: consumers_running(),
            threads: threads(),
        }
    }

    /// One sample. A thread that `join` has returned for may still be on
    /// its way out of the kernel for a moment, so first wait (at most 10 s,
    /// for a loaded machine; a moment when nothing else is leaking)
    /// until the process has no thread but the ones it had before the first
    /// job and the chapter-1 consumers still running, blocked. Go's
    /// `goroutines.Settle` does the same for goroutines.
    fn measure(&self, jobs: usize, failed: usize) -> Sample {
        let at_rest = || self.threads + consumers_running().saturating_sub(self.consumers);
        let deadline = Instant::now() + Duration::from_secs(10);
        while threads() != at_rest() && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        Sample {
            jobs,
            failed,
            threads: threads(),
            rss_kib: status_kib("VmRSS:"),
        }
    }
}

/// The threads of this process, `Threads:` in `/proc/self/status`
/// (proc(5)); 0 where there is no `/proc`.
pub fn threads() -> usize {
    status_kib("Threads:") as usize
}

/// The number after `field` in `/proc/self/status` (`VmRSS:` is in kB).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Go's `repro.Columns`, the header of `src/repro/incident.csv`. "live" is
/// threads here; the Go-only columns stay empty.
pub const COLUMNS: &str = "series,jobs,failed,live,rss_kib,heap_inuse_kib,stack_inuse_kib";

/// One CSV row under [`COLUMNS`].
pub fn write_row(out: &mut dyn Write, series: &str, s: &Sample) -> io::Result<()> {
    writeln!(
        out,
        "{series},{},{},{},{},,",
        s.jobs, s.failed, s.threads, s.rss_kib
    )
}

/// `cargo run -p listings --example repro_service -- [flags]`: the comment
/// line that says how, then one row per sample.
pub fn service(out: &mut dyn Write, cfg: &Config) -> io::Result<()> {
    let mode = match cfg.mode {
        Mode::Leaky => "leaky",
        Mode::Fixed => "fixed",
    };
    writeln!(
        out,
        "# cargo run -p listings --example repro_service -- --mode {mode} --jobs {} --failure-rate {} --record-kib {} --every {}",
        cfg.jobs, cfg.failure_rate, cfg.record_kib, cfg.every
    )?;
    let mut written = Ok(());
    let ran = run(cfg, |s| {
        if written.is_ok() {
            written = write_row(out, cfg.series(), &s);
        }
    });
    written?;
    ran.map_err(io::Error::other)
}

#[cfg(test)]
mod tests {
    //! The parts that do not count threads (the test binary runs other
    //! tests' threads next to these). The thread counts are tested in
    //! `tests/repro_threads.rs`, a process of their own.
    use super::*;

    #[test]
    fn repro_failures_are_spread_evenly_like_go() {
        for (rate, want) in [
            (0.0, "............"),
            (0.25, "...x...x...x"),
            (0.5, ".x.x.x.x.x.x"),
            (1.0 / 3.0, "..x..x..x..x"),
            (1.0, "xxxxxxxxxxxx"),
        ] {
            let got: String = (1..=12)
                .map(|n| if fails(n, rate) { 'x' } else { '.' })
                .collect();
            assert_eq!(got, want, "failure rate {rate}");
        }
    }

    #[test]
    fn repro_flags_are_read_and_checked() {
        let args = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        assert_eq!(
            Config::from_args(args("--mode fixed --jobs 20 --every 5 --record-kib 1")),
            Ok(Config {
                mode: Mode::Fixed,
                jobs: 20,
                failure_rate: 0.5,
                record_kib: 1,
                every: 5
            })
        );
        for wrong in [
            "--mode sometimes",
            "--every 0",
            "--failure-rate 2",
            "--jobs",
            "--size 3",
        ] {
            assert!(Config::from_args(args(wrong)).is_err(), "{wrong} accepted");
        }
    }

    #[test]
    fn repro_rows_match_the_columns() {
        let mut out = Vec::new();
        let s = Sample {
            jobs: 50,
            failed: 25,
            threads: 27,
            rss_kib: 5,
        };
        write_row(&mut out, "rust leaky", &s).unwrap();
        let row = String::from_utf8(out).unwrap();
        assert_eq!(row, "rust leaky,50,25,27,5,,\n");
        assert_eq!(row.matches(',').count(), COLUMNS.matches(',').count());
    }

    #[test]
    fn repro_source_reads_like_chapter_1s() {
        let read = source(2, Some(7));
        assert_eq!(read(3), Ok(vec![3, 3]));
        assert_eq!(read(0), Ok(vec![0, 0]));
        assert_eq!(read(7), Err(ReadError { record: 7 }));
    }

    #[test]
    fn repro_a_scoped_service_that_keeps_a_sender_hangs_at_the_first_failed_job() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::mpsc;
        let mut clean = ScopedService::default();
        assert_eq!(clean.run(&source(1, None)), Ok(36), "0 + 1 + ... + 8");

        let reads = Arc::new(AtomicUsize::new(0));
        let counted: Source = {
            let (reads, inner) = (Arc::clone(&reads), source(1, Some(7)));
            Arc::new(move |id| {
                let r = inner(id);
                reads.fetch_add(1, Ordering::SeqCst);
                r
            })
        };
        let (done_tx, done) = mpsc::channel();
        thread::spawn(move || {
            let mut service = ScopedService::default();
            let _ = done_tx.send(service.run(&counted));
        });
        // Every read has happened: 0-5, 6 and the failing 7 (the buffer of
        // 10 takes every send)...
        let deadline = Instant::now() + Duration::from_secs(10);
        while reads.load(Ordering::SeqCst) < 8 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(
            reads.load(Ordering::SeqCst),
            8,
            "the job should get this far"
        );
        // ...and still no result a good while later: the consumer waits for
        // the kept Sender, and the scope waits for the consumer.
        let result = done.recv_timeout(Duration::from_millis(300));
        assert!(result.is_err(), "expected no result, got {result:?}");
    }

    #[test]
    fn repro_the_process_has_threads_and_memory() {
        // Not the count (other tests run threads too): that /proc is read.
        assert!(threads() >= 1, "no Threads: line in /proc/self/status");
        assert!(
            status_kib("VmRSS:") > 0,
            "no VmRSS: line in /proc/self/status"
        );
    }
}
