//! Chapter 7: finding leaks. The cheapest gauge a Rust service has is its own
//! thread count, the twin of Go's `runtime.NumGoroutine()`: here it is read
//! around chapter 7's runners (`suspects::runner`), leaky and fixed.

use std::io::{self, Write};
use std::thread;
use std::time::{Duration, Instant};
use suspects::consumer::{Batch, ReadError};
use suspects::runner::{Fixed, KeepsJobContext, Runner};

/// The threads of this process, as Linux counts them (the `Threads:` line of
/// `/proc/self/status`). `None` elsewhere.
pub fn threads() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
}

/// The thread count once it has stopped changing for 50 ms (at most 2 s): a
/// thread that was just joined, or is returning, may still be counted for a
/// moment. That wait is the gauge's first pitfall; the second is that it
/// counts every thread of the process, not only the job's.
pub fn settled_threads() -> Option<usize> {
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut last = threads()?;
    let mut stable_since = Instant::now();
    while Instant::now() < deadline {
        thread::sleep(Duration::from_millis(5));
        let now = threads()?;
        if now != last {
            (last, stable_since) = (now, Instant::now());
        } else if stable_since.elapsed() >= Duration::from_millis(50) {
            break;
        }
    }
    Some(last)
}

/// A batch whose reader sends two records, then fails.
fn failing_batch(job: usize) -> Vec<Batch> {
    vec![vec![
        Ok(1),
        Ok(2),
        Err(ReadError(format!("job {job}: record 3: corrupt"))),
    ]]
}

/// Thread counts (relative to the start) after `jobs` failed jobs on a fresh
/// `R`, and after the runner itself is dropped.
pub fn gauge<R: Runner>(jobs: usize) -> Option<(isize, isize)> {
    let start = settled_threads()? as isize;
    let mut runner = R::default();
    for job in 0..jobs {
        let _ = runner.run(&format!("job {job}"), failing_batch(job), Box::new(|_| {}));
    }
    let after_jobs = settled_threads()? as isize - start;
    drop(runner);
    let after_drop = settled_threads()? as isize - start;
    Some((after_jobs, after_drop))
}

// ANCHOR: gauge
/// `cargo run -p listings --example find_threads`
pub fn thread_gauge(out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "threads of this process, relative to before the jobs:")?;
    writeln!(
        out,
        "{:<16} {:>16} {:>22}",
        "runner", "after 5 failures", "after dropping it"
    )?;
    let rows = [
        ("KeepsJobContext", gauge::<KeepsJobContext>(5)),
        ("Fixed", gauge::<Fixed>(5)),
    ];
    for (name, counts) in rows {
        match counts {
            Some((jobs, dropped)) => writeln!(out, "{name:<16} {jobs:>+16} {dropped:>+22}")?,
            None => writeln!(out, "{name:<16} no /proc/self/status on this system")?,
        }
    }
    Ok(())
}
// ANCHOR_END: gauge

#[cfg(test)]
mod tests {
    use crossbeam_channel::{TryRecvError, bounded};

    /// The page's claim about the probe: `try_recv` says `Disconnected` only
    /// once every `Sender` is gone *and* the buffer is empty; a value sent
    /// before the last drop is still handed out first.
    #[test]
    fn try_recv_says_disconnected_once_every_sender_is_dropped_and_the_buffer_is_empty() {
        let (tx, rx) = bounded::<u32>(2);
        let tx2 = tx.clone();
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        tx.send(7).unwrap();
        drop(tx);
        drop(tx2);
        assert_eq!(rx.try_recv(), Ok(7), "the buffered value comes first");
        assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    }
}
