//! How slow the machine is right now, so that the watchdog gives learner code
//! the time it would need on an idle machine; and whether learner code that
//! reached the limit can still move at all.
//!
//! The watchdog's limit (a second by default) is generous on an idle machine,
//! but a correct solution that pushes thousands of records through a small
//! channel was seen to miss it at load 20-29 on 2 cores (a parallel build,
//! rust-analyzer, a browser). A deadlock waits forever anyway; slow code
//! under load only needs more time. So when the limit is reached, the
//! watchdog first asks whether anything in this test program can still move
//! ([`stuck_for_good`]): when every thread but the grader's own is asleep in
//! a wait without a deadline, and stays so, no amount of CPU time will help,
//! and the call is reported stuck at the limit whatever the load. Otherwise
//! it spins for [`PROBE`] and asks the kernel how long that spin was
//! runnable but waiting for a core (`/proc/thread-self/schedstat`). If a
//! runnable thread here gets only half the CPU time, the limit is doubled;
//! at most [`MAX_STRETCH`] times. On an idle machine the spin runs
//! undisturbed and a stuck call is reported after the limit and 10 ms. Where
//! this cannot be read (not Linux), the limit is not stretched.
//!
//! Why the first question: the starters of every exercise run at once, and
//! their deadlocked calls reach the limit together. Spinning probes in 21
//! test programs at that moment measured each other, not the machine, and
//! stretched the limit of deadlocks that need no time at all (the
//! starter-state `cargo test -p exercises` took 1.15 to 1.6 s on an idle
//! machine instead of one second; see `xtask/BENCH.md`).

use std::collections::{BTreeMap, BTreeSet};
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

/// The threads waiting on learner code right now (the watchdogs), by kernel
/// thread id. A watchdog only waits: what it does says nothing about whether
/// a stuck call can move. Once its wait is over it is a test's thread like
/// any other (it may feed learner code the next moment), and counts again.
static WATCHDOGS: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Marks the calling thread as a watchdog while the guard lives.
pub struct Watchdog(Option<String>);

impl Watchdog {
    pub fn enter() -> Watchdog {
        let tid = this_thread_id();
        if let Some(tid) = &tid {
            lock(&WATCHDOGS).insert(tid.clone());
        }
        Watchdog(tid)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        if let Some(tid) = &self.0 {
            lock(&WATCHDOGS).remove(tid);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn this_thread_id() -> Option<String> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    Some(link.file_name()?.to_string_lossy().into_owned())
}

/// [`stuck_for_good`] answers `true` after this many looks in a row found
/// nothing moving, [`SETTLED_REST`] apart: a thread that runs, wakes up or
/// starts in that time is seen. It gives up (answers `false`) after
/// [`MAX_LOOKS`]: something keeps moving.
pub const SETTLED_LOOKS: u32 = 4;
pub const SETTLED_REST: Duration = Duration::from_millis(5);
pub const MAX_LOOKS: u32 = 12;

/// Whether nothing in this test program can move any more: the grader's own
/// threads (the test harness's main thread, the watchdogs waiting on learner
/// code, the timer scanner) are asleep, and every other thread is asleep
/// waiting for another thread without a deadline (a `futex` without a timeout: `recv`, `join`, `lock`,
/// a full channel's `send`), and none of them is scheduled once, and no thread
/// starts, over [`SETTLED_LOOKS`] looks. Then only a thread of this program
/// could wake one of them, and none is running or will wake up on a timer:
/// the call is stuck for good, and waiting longer on a busy machine would
/// only delay the verdict. A thread that ends is no motion in itself (the
/// tests that fail together end their threads together); one it wakes is.
/// A runnable thread (even one waiting for a core), a timed wait (`sleep`,
/// `recv_timeout`) or anything that cannot be read restarts the count;
/// after [`MAX_LOOKS`] the answer is `false`, and the watchdog stretches its
/// limit as before. Always `false` where the kernel does not tell (not
/// Linux).
pub fn stuck_for_good() -> bool {
    let mut before: Option<BTreeMap<String, u64>> = None;
    let mut still = 1;
    for look in 0..MAX_LOOKS {
        if look > 0 {
            std::thread::sleep(SETTLED_REST);
        }
        let now = asleep_without_deadline();
        let unchanged = match (&before, &now) {
            (Some(before), Some(now)) => now.iter().all(|(tid, n)| before.get(tid) == Some(n)),
            _ => false,
        };
        still = if unchanged { still + 1 } else { 1 };
        if unchanged && still >= SETTLED_LOOKS {
            return true;
        }
        before = now;
    }
    false
}

/// Every thread of the process but the grader's, with how many times it has
/// been scheduled so far; `None` if one of them is not asleep waiting for
/// another thread without a deadline, if one of the grader's own is not
/// asleep, or if a thread cannot be read.
fn asleep_without_deadline() -> Option<BTreeMap<String, u64>> {
    let me = this_thread_id()?;
    let main = std::process::id().to_string();
    let mut tasks = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        tasks.push(task.ok()?);
    }
    let watchdogs = lock(&WATCHDOGS).clone();
    let mut threads = BTreeMap::new();
    for task in tasks {
        let tid = task.file_name().to_string_lossy().into_owned();
        if tid == me {
            continue;
        }
        let dir = task.path();
        let stat = std::fs::read_to_string(dir.join("stat")).ok()?;
        let state = thread_state(&stat)?;
        if matches!(state, 'Z' | 'X') {
            continue; // ended
        }
        let comm = std::fs::read_to_string(dir.join("comm")).ok()?;
        // The grader's own threads (the harness's main thread, the other
        // watchdogs, `timers`' scanner) wait on timers of their own and never
        // touch learner code; but a running one may hold a lock of the
        // process that learner threads wait for (the allocator's, the one
        // that guards thread stacks), so it must be asleep too.
        if tid == main || watchdogs.contains(&tid) || comm.trim_end() == "timer-scanner" {
            if state != 'S' {
                return None;
            }
            continue;
        }
        if state != 'S' {
            return None; // running, runnable, in I/O, stopped
        }
        let syscall = std::fs::read_to_string(dir.join("syscall")).ok()?;
        if !in_a_futex_wait(&syscall) || crate::timers::timed_wait(&syscall).is_some() {
            return None;
        }
        let schedstat = std::fs::read_to_string(dir.join("schedstat")).ok()?;
        let scheduled = schedstat.split_whitespace().nth(2)?.parse().ok()?;
        threads.insert(tid, scheduled);
    }
    Some(threads)
}

/// The state letter of a `/proc/.../stat` line (`R` runnable, `S` asleep,
/// `D` in I/O, `Z` ended, ...): the field after the name, which is in
/// parentheses and may itself hold spaces and parentheses.
fn thread_state(stat: &str) -> Option<char> {
    stat[stat.rfind(')')? + 1..].trim_start().chars().next()
}

/// Whether a `syscall` line shows a thread blocked in a `futex` wait (or
/// `futex_waitv`): how threads wait for each other (channels, `join`,
/// `Mutex`, `Condvar`, parking). Any other blocking call (a `read` or
/// `write` on a pipe, a `poll`) may be waiting on the world outside the
/// program, and counts as able to move.
pub fn in_a_futex_wait(syscall: &str) -> bool {
    // (futex, futex_waitv) by architecture; elsewhere nothing is known.
    let calls: &[u64] = if cfg!(target_arch = "x86_64") {
        &[202, 449]
    } else if cfg!(target_arch = "aarch64") {
        &[98, 449]
    } else {
        &[]
    };
    syscall
        .split_whitespace()
        .next()
        .and_then(|nr| nr.parse::<u64>().ok())
        .is_some_and(|nr| calls.contains(&nr))
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

    #[test]
    fn reads_the_state_after_a_name_with_parentheses() {
        assert_eq!(thread_state("42 (a) b (c)) S 1 2 3"), Some('S'));
        assert_eq!(thread_state("42 (learner-code) R 1"), Some('R'));
        assert_eq!(thread_state("no name"), None);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn only_a_futex_wait_counts_as_waiting_on_another_thread() {
        assert!(in_a_futex_wait(
            "202 0x7f0 0x89 0x0 0x0 0x0 0x0 0x7ffd 0x7f0"
        ));
        // `read` on a pipe: maybe waiting on another program.
        assert!(!in_a_futex_wait(
            "0 0x3 0x7ffd 0x2000 0x0 0x0 0x0 0x7ffd 0x7f0"
        ));
        assert!(!in_a_futex_wait("running"));
        assert!(!in_a_futex_wait("-1 0x7ffd 0x7f0"));
    }

    /// Run alone in a child process by the next test: in this test program
    /// other tests run at once, and their threads move.
    #[cfg(target_os = "linux")]
    #[test]
    fn child_sees_a_deadlock_stuck_for_good_and_a_sleep_or_a_spin_not() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::{Arc, mpsc};
        if std::env::var_os("GRADER_SELFTEST_CHILD").is_none() {
            return;
        }
        let _me = Watchdog::enter();
        let (keep, rx) = mpsc::channel::<()>();
        let deadlocked = std::thread::spawn(move || rx.recv());
        let stop = Arc::new(AtomicBool::new(false));
        let spin_stop = Arc::clone(&stop);
        let spinner = std::thread::spawn(move || {
            while !spin_stop.load(Ordering::Relaxed) {
                std::hint::spin_loop();
            }
        });
        assert!(!stuck_for_good(), "a spinning thread can still move");
        stop.store(true, Ordering::Relaxed);
        spinner.join().unwrap();
        let sleeper = std::thread::spawn(|| std::thread::sleep(Duration::from_millis(300)));
        assert!(!stuck_for_good(), "a sleeping thread wakes up on its own");
        sleeper.join().unwrap();
        // Only the thread in `recv` is left: seen stuck once it is asleep.
        let seen = (0..100).any(|_| stuck_for_good());
        assert!(
            seen,
            "a thread blocked in `recv` for good was never seen stuck"
        );
        drop(keep);
        deadlocked.join().unwrap().unwrap_err();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_deadlock_is_stuck_for_good_and_a_sleep_or_a_spin_is_not() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "busy::tests::child_sees_a_deadlock_stuck_for_good_and_a_sleep_or_a_spin_not",
                "--exact",
                "--test-threads=1",
            ])
            .env("GRADER_SELFTEST_CHILD", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        assert!(stdout.contains("1 passed"), "{stdout}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_counters_can_be_read_on_linux() {
        assert!(schedstat().is_some());
        let s = slowdown();
        assert!((1.0..=MAX_STRETCH).contains(&s), "{s}");
    }
}
