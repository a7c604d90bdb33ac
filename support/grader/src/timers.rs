//! Does learner code wait on a timer? Seen from the kernel, without waiting.
//!
//! A consumer that stops after a quiet moment (`recv_timeout`, a `try_recv`
//! loop with a `sleep`) and a coordinator that sleeps "long enough" instead
//! of joining both pass every quick job: catching them by timing means
//! making every right fix wait longer than their timer. Here nothing waits.
//! On Linux, `/proc/self/task/TID/syscall` shows what each thread of the
//! process is blocked in, with the arguments: a `futex` wait with a timeout
//! (how std's and crossbeam's `recv_timeout`, `park_timeout` and
//! `wait_timeout` block), `nanosleep`/`clock_nanosleep` (`thread::sleep`),
//! or a `poll`/`select` with a timeout. A blocking `recv`, `join`, `send` on
//! a full channel or `Mutex::lock` waits in a `futex` without a timeout.
//!
//! [`run_observed`] runs learner code like [`crate::run`], on a thread whose
//! kernel name is unique to the call (threads inherit it when they are
//! started, so every thread the learner's code starts carries it too), while
//! a sampler thread reads those threads' `syscall` files until the call
//! returns. A timer that lasts longer than a pass of the sampler (a fraction
//! of a millisecond on an idle machine) is seen; code that never waits on a
//! timer is never reported, however loaded the machine.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// A wait on a timer seen in a thread of the observed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimedWait {
    /// The thread that called the learner's function (the coordinator), or
    /// one it started.
    pub in_caller: bool,
    pub kind: TimerKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimerKind {
    /// `thread::sleep` (`nanosleep`, `clock_nanosleep`).
    Sleep,
    /// A blocking wait with a deadline (`futex` with a timeout: `recv_timeout`,
    /// `park_timeout`, `wait_timeout`; `poll`/`select` with a timeout).
    Deadline,
}

/// What [`run_observed`] could see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timers {
    /// The kernel does not tell (not Linux, or `/proc` not readable).
    NotObservable,
    /// Every kind of timed wait seen (empty: none).
    Seen(BTreeSet<TimedWait>),
}

/// Runs `f` as [`crate::run`] does (same watchdog, same verdicts when it is
/// stuck or panics) and reports the timers its threads waited on.
pub fn run_observed<T, F>(id: &str, call: &str, if_stuck: &str, f: F) -> (T, Timers)
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let Some(watch) = Watch::start() else {
        return (crate::run(id, call, if_stuck, f), Timers::NotObservable);
    };
    let tag = Arc::clone(&watch.0);
    // If the call fails its check (stuck, panicked), `watch` is dropped
    // while unwinding, which ends the observation.
    let value = crate::run(id, call, if_stuck, move || {
        tag.enter();
        f()
    });
    let seen = watch.finish();
    (value, seen)
}

/// One observed call: the kernel's name of its threads, the caller's thread
/// id, and the timed waits seen so far.
struct Observation {
    name: String,
    caller: Mutex<Option<String>>,
    named: AtomicBool,
    seen: Mutex<BTreeSet<TimedWait>>,
}

impl Observation {
    /// Called first thing on the thread that runs the learner's code.
    fn enter(&self) {
        let named = std::fs::write("/proc/thread-self/comm", &self.name).is_ok();
        if let Ok(link) = std::fs::read_link("/proc/thread-self") {
            let tid = link.file_name().map(|t| t.to_string_lossy().into_owned());
            *lock(&self.caller) = tid;
        }
        self.named.store(named, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The calls being observed, and the number of passes the scanner finished.
/// One scanner thread serves every observation at once: checks that run in
/// parallel must not each read every thread's files.
struct Scanner {
    observed: Vec<Arc<Observation>>,
    passes: u64,
    running: bool,
}

static SCANNER: Mutex<Scanner> = Mutex::new(Scanner {
    observed: Vec::new(),
    passes: 0,
    running: false,
});
static PASSED: Condvar = Condvar::new();

/// How long the scanner rests between two passes.
const REST: Duration = Duration::from_millis(1);

/// An observation in progress; dropping it ends it.
struct Watch(Arc<Observation>);

impl Watch {
    /// Starts observing, or `None` where the kernel does not tell.
    fn start() -> Option<Watch> {
        syscalls()?;
        // Our own `syscall` file reads as "running": proof that it is there.
        std::fs::read_to_string("/proc/thread-self/syscall").ok()?;
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        // At most 15 bytes: the kernel's limit for a thread name.
        let name = format!(
            "timerwatch{}",
            CALLS.fetch_add(1, Ordering::SeqCst) % 100_000
        );
        let observation = Arc::new(Observation {
            name,
            caller: Mutex::new(None),
            named: AtomicBool::new(false),
            seen: Mutex::new(BTreeSet::new()),
        });
        let mut scanner = lock(&SCANNER);
        scanner.observed.push(Arc::clone(&observation));
        if !scanner.running {
            thread::Builder::new()
                .name("timer-scanner".into())
                .spawn(scan)
                .ok()?;
            scanner.running = true;
        }
        Some(Watch(observation))
    }

    /// Ends the observation once a whole pass has looked at the threads
    /// after the call returned (a timer the call ended in is not missed),
    /// and says what was seen.
    fn finish(self) -> Timers {
        let mut scanner = lock(&SCANNER);
        let wanted = scanner.passes + 2;
        while scanner.passes < wanted && scanner.running {
            scanner = PASSED
                .wait_timeout(scanner, Duration::from_secs(1))
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        drop(scanner);
        if !self.0.named.load(Ordering::SeqCst) {
            return Timers::NotObservable;
        }
        Timers::Seen(lock(&self.0.seen).clone())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        lock(&SCANNER).observed.retain(|o| !Arc::ptr_eq(o, &self.0));
    }
}

/// The scanner thread: passes over the process's threads while any call is
/// observed. Threads whose name is neither an observed call's nor that of a
/// thread about to take one (`learner-code`) are remembered and not read
/// again: a pass reads only the files of new threads and of observed ones.
/// (A thread started by an observed call carries its name from its start;
/// the caller renames itself, so it is read whatever it was called before.)
fn scan() {
    let mut others: BTreeSet<String> = BTreeSet::new();
    loop {
        let observed = {
            let mut scanner = lock(&SCANNER);
            if scanner.observed.is_empty() {
                scanner.running = false;
                PASSED.notify_all();
                return;
            }
            scanner.observed.clone()
        };
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            lock(&SCANNER).running = false;
            PASSED.notify_all();
            return;
        };
        // A caller may have been seen, and remembered, under the name it had
        // before it took its call's: callers are always read.
        let callers: BTreeSet<String> = observed
            .iter()
            .filter_map(|o| lock(&o.caller).clone())
            .collect();
        let mut alive = BTreeSet::new();
        for task in tasks.flatten() {
            let tid = task.file_name().to_string_lossy().into_owned();
            alive.insert(tid.clone());
            if others.contains(&tid) && !callers.contains(&tid) {
                continue;
            }
            let dir = task.path();
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            let comm = comm.trim_end();
            let Some(obs) = observed.iter().find(|o| o.name == comm) else {
                if comm != crate::LEARNER_THREAD {
                    others.insert(tid);
                }
                continue;
            };
            let Some(kind) = std::fs::read_to_string(dir.join("syscall"))
                .ok()
                .and_then(|line| timed_wait(&line))
            else {
                continue;
            };
            let in_caller = lock(&obs.caller).as_deref() == Some(tid.as_str());
            lock(&obs.seen).insert(TimedWait { in_caller, kind });
        }
        // Forget threads that are gone: their ids may be given out again.
        others.retain(|tid| alive.contains(tid));
        lock(&SCANNER).passes += 1;
        PASSED.notify_all();
        thread::sleep(REST);
    }
}

/// The system call numbers that matter, on this machine's architecture.
struct Syscalls {
    futex: u64,
    futex_waitv: u64,
    sleeps: &'static [u64],
    /// (number, index of the timeout argument, whether it is a plain
    /// number of milliseconds where -1 means "no timeout", not a pointer)
    polls: &'static [(u64, usize, bool)],
}

fn syscalls() -> Option<Syscalls> {
    if cfg!(all(target_os = "linux", target_arch = "x86_64")) {
        Some(Syscalls {
            futex: 202,
            futex_waitv: 449,
            sleeps: &[35, 230],
            // poll, select, epoll_wait, pselect6, ppoll, epoll_pwait, epoll_pwait2
            polls: &[
                (7, 2, true),
                (23, 4, false),
                (232, 3, true),
                (270, 4, false),
                (271, 2, false),
                (281, 3, true),
                (441, 3, false),
            ],
        })
    } else if cfg!(all(target_os = "linux", target_arch = "aarch64")) {
        Some(Syscalls {
            futex: 98,
            futex_waitv: 449,
            sleeps: &[101, 115],
            // pselect6, ppoll, epoll_pwait, epoll_pwait2
            polls: &[
                (72, 4, false),
                (73, 2, false),
                (22, 3, true),
                (441, 3, false),
            ],
        })
    } else {
        None
    }
}

/// Whether a `syscall` line shows a thread blocked in a `futex` wait: how
/// threads wait for each other. For a check that reads `/proc` itself.
pub use crate::busy::in_a_futex_wait;

/// Reads a `syscall` file's line: `NR arg1 .. arg6 sp pc` while blocked in a
/// system call, `running` or `-1 sp pc` otherwise. The timed wait it shows,
/// if any.
pub fn timed_wait(line: &str) -> Option<TimerKind> {
    let calls = syscalls()?;
    let fields: Vec<&str> = line.split_whitespace().collect();
    let nr: u64 = fields.first()?.parse().ok()?;
    let arg = |i: usize| -> Option<u64> {
        let text = fields.get(i + 1)?;
        u64::from_str_radix(text.trim_start_matches("0x"), 16).ok()
    };
    if calls.sleeps.contains(&nr) {
        return Some(TimerKind::Sleep);
    }
    if nr == calls.futex {
        // FUTEX_WAIT (0), FUTEX_LOCK_PI (6), FUTEX_WAIT_BITSET (9),
        // FUTEX_WAIT_REQUEUE_PI (11): the 4th argument is the timeout
        // (null: none). The private and realtime-clock flags are not the op.
        const WAITS: [u64; 4] = [0, 6, 9, 11];
        let op = arg(1)? & !(128 | 256);
        return (WAITS.contains(&op) && arg(3)? != 0).then_some(TimerKind::Deadline);
    }
    if nr == calls.futex_waitv {
        return (arg(3)? != 0).then_some(TimerKind::Deadline);
    }
    let &(_, at, millis) = calls.polls.iter().find(|(n, _, _)| *n == nr)?;
    let timeout = arg(at)?;
    let timed = if millis {
        // An `int`: -1 (no timeout) reads as 0xffffffff or as 64 bits of 1s.
        timeout as u32 != u32::MAX
    } else {
        timeout != 0
    };
    timed.then_some(TimerKind::Deadline)
}

/// What the kernel has counted for one thread: its CPU time and how often it
/// left its core. A thread that waits by blocking leaves once and stays off;
/// one that waits without blocking (a loop of `yield_now`, a busy wait on
/// `Instant::now()`) burns CPU on an idle machine and, on a busy one, gives
/// its turn away at every `yield_now` (an involuntary switch). For checks
/// that tell such a wait from a real one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effort {
    pub cpu: Duration,
    /// Left its core to wait.
    pub voluntary: u64,
    /// Left its core because its turn was over or given up.
    pub involuntary: u64,
}

impl Effort {
    /// The counters of the thread whose `/proc` folder is `task`
    /// (`/proc/self/task/TID`, `/proc/thread-self`); `None` where the kernel
    /// does not tell.
    pub fn of(task: &std::path::Path) -> Option<Effort> {
        let schedstat = std::fs::read_to_string(task.join("schedstat")).ok()?;
        let status = std::fs::read_to_string(task.join("status")).ok()?;
        Effort::parse(&schedstat, &status)
    }

    /// Since `earlier`, of the same thread.
    pub fn since(self, earlier: Effort) -> Effort {
        Effort {
            cpu: self.cpu.saturating_sub(earlier.cpu),
            voluntary: self.voluntary.saturating_sub(earlier.voluntary),
            involuntary: self.involuntary.saturating_sub(earlier.involuntary),
        }
    }

    /// `schedstat`: nanoseconds on a core first; `status`: the two
    /// `*_ctxt_switches:` lines.
    fn parse(schedstat: &str, status: &str) -> Option<Effort> {
        let cpu = Duration::from_nanos(schedstat.split_whitespace().next()?.parse().ok()?);
        let count = |key: &str| -> Option<u64> {
            let line = status.lines().find(|l| l.starts_with(key))?;
            line.split_whitespace().nth(1)?.parse().ok()
        };
        Some(Effort {
            cpu,
            voluntary: count("voluntary_ctxt_switches:")?,
            involuntary: count("nonvoluntary_ctxt_switches:")?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn effort_reads_the_cpu_time_and_both_switch_counts() {
        let status = "Name:\tx\nvoluntary_ctxt_switches:\t7\nnonvoluntary_ctxt_switches:\t3\n";
        let effort = Effort::parse("2500000 100 9\n", status).unwrap();
        assert_eq!(
            effort,
            Effort {
                cpu: Duration::from_micros(2500),
                voluntary: 7,
                involuntary: 3
            }
        );
        let later = Effort {
            cpu: Duration::from_millis(4),
            voluntary: 9,
            involuntary: 3,
        };
        assert_eq!(
            later.since(effort),
            Effort {
                cpu: Duration::from_micros(1500),
                voluntary: 2,
                involuntary: 0
            }
        );
        assert_eq!(Effort::parse("", status), None);
        assert_eq!(Effort::parse("1 2 3", "Name:\tx\n"), None);
    }

    #[test]
    fn effort_is_readable_on_linux() {
        if cfg!(target_os = "linux") {
            // The kernel adds a running thread's time up at its ticks and
            // switches: spin past a few ticks first.
            let started = std::time::Instant::now();
            while started.elapsed() < Duration::from_millis(30) {
                std::hint::spin_loop();
            }
            let mine = Effort::of(std::path::Path::new("/proc/thread-self")).unwrap();
            assert!(mine.cpu > Duration::ZERO, "{mine:?}");
        }
    }

    /// Whether timers can be seen here; on Linux they must be (a grader
    /// that silently sees nothing would pass every timer).
    fn observable() -> bool {
        let seen = Watch::start().is_some_and(|w| {
            w.0.enter();
            w.finish() != Timers::NotObservable
        });
        assert!(
            seen || !cfg!(target_os = "linux"),
            "/proc/self/task/*/syscall cannot be read on this Linux"
        );
        seen
    }

    #[test]
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn reads_syscall_lines() {
        // recv_timeout: FUTEX_WAIT_BITSET|PRIVATE with a timeout.
        let timed = "202 0x7f0 0x89 0x0 0x7ffd 0x0 0xffffffff 0x7ffd 0x7f0";
        assert_eq!(timed_wait(timed), Some(TimerKind::Deadline));
        // recv, join: the same wait without one.
        let untimed = "202 0x7f0 0x89 0x0 0x0 0x0 0xffffffff 0x7ffd 0x7f0";
        assert_eq!(timed_wait(untimed), None);
        // A wake is not a wait.
        assert_eq!(
            timed_wait("202 0x7f0 0x81 0x1 0x7ffd 0x0 0x0 0x0 0x0"),
            None
        );
        assert_eq!(
            timed_wait("230 0x0 0x0 0x7ffc 0x7ffc 0x0 0x0 0x7ffc 0x7ff9"),
            Some(TimerKind::Sleep)
        );
        assert_eq!(
            timed_wait("7 0x55 0x1 0xffffffff 0x0 0x0 0x0 0x0 0x0"),
            None
        );
        assert_eq!(
            timed_wait("7 0x55 0x1 0x64 0x0 0x0 0x0 0x0 0x0"),
            Some(TimerKind::Deadline)
        );
        assert_eq!(timed_wait("running"), None);
        assert_eq!(timed_wait("-1 0x7ffd 0x7f0"), None);
    }

    fn seen(f: impl FnOnce() + Send + 'static) -> Timers {
        run_observed("timers_demo", "`f()`", "stuck?", f).1
    }

    #[test]
    fn sees_a_sleep_in_the_caller_and_a_deadline_in_a_started_thread() {
        if !observable() {
            return; // not Linux: nothing to observe
        }
        let sleeps = seen(|| thread::sleep(Duration::from_millis(200)));
        assert_eq!(
            sleeps,
            Timers::Seen(BTreeSet::from([TimedWait {
                in_caller: true,
                kind: TimerKind::Sleep
            }]))
        );
        let waits = seen(|| {
            let (tx, rx) = mpsc::channel::<()>();
            let waiter = thread::spawn(move || rx.recv_timeout(Duration::from_millis(200)));
            let _ = waiter.join();
            drop(tx);
        });
        assert_eq!(
            waits,
            Timers::Seen(BTreeSet::from([TimedWait {
                in_caller: false,
                kind: TimerKind::Deadline
            }]))
        );
    }

    #[test]
    fn sees_no_timer_in_blocking_waits_without_one() {
        if !observable() {
            return;
        }
        let none = seen(|| {
            let (tx, rx) = mpsc::channel::<u32>();
            let consumer = thread::spawn(move || rx.iter().sum::<u32>());
            let producer = thread::spawn(move || {
                for x in 0..1000 {
                    tx.send(x).unwrap();
                }
            });
            producer.join().unwrap();
            consumer.join().unwrap();
        });
        assert_eq!(none, Timers::Seen(BTreeSet::new()));
    }
}
