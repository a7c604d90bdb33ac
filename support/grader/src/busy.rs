//! How slow the machine is right now, so that the watchdog gives learner code
//! the time it would need on an idle machine.
//!
//! The watchdog's limit (a second by default) is generous on an idle machine,
//! but a correct solution that pushes thousands of records through a small
//! channel was seen to miss it at load 20-29 on 2 cores (a parallel build,
//! rust-analyzer, a browser). A deadlock waits forever anyway; slow code
//! under load only needs more time. So when the limit is reached, the
//! watchdog spins for [`PROBE`] and asks the kernel how long that spin was
//! runnable but waiting for a core (`/proc/thread-self/schedstat`). If a
//! runnable thread here gets only half the CPU time, the limit is doubled;
//! at most [`MAX_STRETCH`] times. On an idle machine the spin runs
//! undisturbed and a stuck call is reported after the limit and 10 ms. Where
//! this cannot be read (not Linux), the limit is not stretched.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The limit is never stretched beyond this many times.
pub const MAX_STRETCH: f64 = 5.0;

/// How long one measurement spins.
pub const PROBE: Duration = Duration::from_millis(10);

/// How many times slower than on an idle machine a runnable thread runs
/// right now: (time on a core + time waiting for one) / time on a core,
/// measured over a [`PROBE`]-long spin; at least 1, at most [`MAX_STRETCH`].
/// 1 where it cannot be measured.
///
/// One probe at a time in the process, and its result is reused for
/// [`REUSE`]: watchdogs that expire together (a starter's stuck checks) must
/// not spin against each other and measure only themselves.
pub fn slowdown() -> f64 {
    static LAST: Mutex<Option<(Instant, f64)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((at, s)) = *last {
        if at.elapsed() < REUSE {
            return s;
        }
    }
    let s = probe();
    *last = Some((Instant::now(), s));
    s
}

/// How long one probe's result stands for the whole process.
pub const REUSE: Duration = Duration::from_millis(100);

fn probe() -> f64 {
    let Some(before) = schedstat() else {
        return 1.0;
    };
    let started = Instant::now();
    while started.elapsed() < PROBE {
        std::hint::spin_loop();
    }
    let Some(after) = schedstat() else {
        return 1.0;
    };
    factor(
        after.0.saturating_sub(before.0),
        after.1.saturating_sub(before.1),
    )
}

/// `(running + waiting) / running`, within 1 and [`MAX_STRETCH`].
fn factor(running_ns: u64, waiting_ns: u64) -> f64 {
    if running_ns == 0 {
        return if waiting_ns == 0 { 1.0 } else { MAX_STRETCH };
    }
    ((running_ns + waiting_ns) as f64 / running_ns as f64).clamp(1.0, MAX_STRETCH)
}

/// This thread's time on a core and time runnable but waiting for one, in
/// nanoseconds (the first two fields of /proc/thread-self/schedstat).
#[cfg(target_os = "linux")]
fn schedstat() -> Option<(u64, u64)> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<u64>().ok());
    Some((fields.next()??, fields.next()??))
}

#[cfg(not(target_os = "linux"))]
fn schedstat() -> Option<(u64, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_that_never_waits_runs_at_full_speed() {
        assert_eq!(factor(10_000_000, 0), 1.0);
        assert_eq!(factor(0, 0), 1.0);
    }

    #[test]
    fn waiting_for_a_core_half_the_time_is_twice_as_slow() {
        assert_eq!(factor(5_000_000, 5_000_000), 2.0);
    }

    #[test]
    fn the_stretch_has_a_cap() {
        assert_eq!(factor(1_000, 1_000_000_000), MAX_STRETCH);
        assert_eq!(factor(0, 1_000), MAX_STRETCH);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_counters_can_be_read_on_linux() {
        assert!(schedstat().is_some());
        let s = slowdown();
        assert!((1.0..=MAX_STRETCH).contains(&s), "{s}");
    }
}
