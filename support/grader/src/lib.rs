//! Test support for the workbook's checks.
//!
//! The checks in `checks/<id>.rs` run learner code, which may panic, loop or
//! deadlock. Nothing here may hang `cargo test`: learner code runs on its own
//! thread under [`run`], which gives up after [`limit`] and fails the check with
//! a message in the learner's terms. A thread that is stuck forever is left
//! behind; the test binary exits anyway when the harness is done.
//!
//! Prefer the deterministic probes ([`Token`]/[`Probe`], [`Live`]) to waiting:
//! they answer "is this value still owned by a thread that should be gone?"
//! the moment the learner's function returns.

use std::any::Any;
use std::collections::BTreeSet;
use std::fmt::Display;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, Once, mpsc};
use std::thread;
use std::time::{Duration, Instant};

pub mod budget;
mod busy;
pub mod hold;
pub mod predict;
pub mod race;
pub mod test_of_tests;
pub mod timers;

/// Compiles `checks/<id>.rs` as the module `<id>` of the calling crate, with the
/// code under test visible as `exercise` (that is, `crate::<id>`). Both the
/// `exercises` and the `solutions` crate use it, so the checks are written once.
#[macro_export]
#[allow(
    clippy::crate_in_macro_def,
    reason = "`crate` must name the calling crate: its module `$id` is the code under test"
)]
macro_rules! checks {
    ($id:ident) => {
        pub mod $id {
            #[allow(unused_imports)]
            use crate::$id as exercise;
            include!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../checks/",
                stringify!($id),
                ".rs"
            ));
        }
    };
}

/// Runs `f` (an expression: a closure) on a fresh rayon pool of 2 threads,
/// whatever the machine's cores: the rayon chapter's checks see two workers
/// interleave on every machine. A macro, so that the grader stays std only:
/// `rayon` is the calling crate's dependency (as it is of every crate that
/// compiles the checks).
#[macro_export]
macro_rules! in_pool {
    ($f:expr) => {
        ::rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a rayon pool for the check")
            .install($f)
    };
}

/// How long learner code may run before a check calls it stuck. A correct
/// solution finishes in milliseconds; the default leaves a wide margin on a
/// 2-core machine and still fails a starter in about a second. The watchdog
/// stretches it when the machine is busy (at most 5 times; see `busy`).
/// Override with `GRADER_TIMEOUT_MS`.
pub fn limit() -> Duration {
    let ms = std::env::var("GRADER_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    Duration::from_millis(ms)
}

/// Fails the current check with a message for the learner.
///
/// The verdict is printed (libtest shows it under the check's name) and the
/// check unwinds without calling the panic hook: no `panicked at` line and no
/// backtrace, whatever `RUST_BACKTRACE` says. It is a verdict, not a crash.
pub fn fail(id: &str, what_is_wrong: impl Display) -> ! {
    let verdict = verdict_text(id, &what_is_wrong.to_string());
    println!("{verdict}");
    panic::resume_unwind(Box::new(verdict))
}

/// The text of a verdict: `[id] what is wrong` and where to find a hint.
/// `cargo xtask check` finds verdicts in the test output by this shape.
fn verdict_text(id: &str, what_is_wrong: &str) -> String {
    naming::verdict::text(id, what_is_wrong)
}

/// Panics on purpose, as a check's stand-in for a component that crashes
/// (a consumer that runs out of memory, a sink that panics). The payload is
/// the plain `what` text, so learner code that reads panic messages sees it;
/// but no `panicked at` line or backtrace is printed (it is not the learner's
/// panic), and a verdict that quotes it says that the check injected it.
pub fn inject_panic(what: &str) -> ! {
    lock(&INJECTED).insert(what.to_owned());
    panic::resume_unwind(Box::new(what.to_owned()))
}

/// Texts passed to [`inject_panic`] in this test binary.
static INJECTED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Panics in this test binary whose message shows a failed `send`
/// (`.unwrap()` or `.expect()` on a `SendError`), counted by the panic hook.
static SEND_PANICS: AtomicUsize = AtomicUsize::new(0);

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The grader's panic hook: one line per panic, never a backtrace. A panic in
/// the thread that [`run`] starts is not printed at all: the check reports
/// it, with its location, in the verdict. Installed once per test binary.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        panic::set_hook(Box::new(|info| {
            let message = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic with a non-text payload".to_owned());
            if message.contains("SendError") {
                SEND_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let thread = thread::current();
            let name = thread.name().unwrap_or("<unnamed>");
            if name == LEARNER_THREAD {
                LAST_PANIC_AT.with(|last| *last.borrow_mut() = Some(at));
            } else {
                println!("thread '{name}' panicked at {at}: {message}");
            }
        }));
    });
}

const LEARNER_THREAD: &str = "learner-code";

thread_local! {
    /// Where the learner-code thread last panicked (set by the quiet hook).
    static LAST_PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Fails the current check unless `ok` holds.
pub fn ensure(ok: bool, id: &str, what_is_wrong: impl Display) {
    if !ok {
        fail(id, what_is_wrong);
    }
}

/// Runs learner code `f` (described as `call`, e.g. "`sum_all(vec![])`") on its
/// own thread and returns its result.
///
/// If it does not return within [`limit`], the check fails with `if_stuck`, the
/// likely cause in the learner's terms. If it panics, the check fails with the
/// panic message (and a pointer at a leftover `todo!()`).
pub fn run<T, F>(id: &str, call: &str, if_stuck: &str, f: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    run_explained(id, call, || if_stuck.to_owned(), f)
}

/// [`run`], for a check whose likely cause of a stuck call depends on what
/// its fakes saw by then (was the token cancelled?): `if_stuck` is asked
/// only once the watchdog has given up.
pub fn run_explained<T, F>(id: &str, call: &str, if_stuck: impl FnOnce() -> String, f: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let send_panics = SEND_PANICS.load(Ordering::SeqCst);
    let (outcome, at) = run_watched(limit(), Stretch::WhenBusy, f);
    match outcome {
        Outcome::Returned(value) => value,
        // A verdict that the check gave inside learner code (say, in a rayon
        // task): already printed, pass it on as it is.
        Outcome::Panicked(message) if naming::verdict::is_verdict(id, &message) => {
            panic::resume_unwind(Box::new(message))
        }
        Outcome::Panicked(message) if SEND_PANICS.load(Ordering::SeqCst) > send_panics => {
            fail(id, send_panicked_message(call, &message))
        }
        Outcome::Panicked(message) => fail(id, panicked_message(call, &message, at)),
        Outcome::Stuck(waited) => fail(id, stuck_message(call, waited, &if_stuck())),
    }
}

/// The verdict on a call the watchdog gave up on after `waited`, with the
/// likely cause: the words [`run`] uses, for a check that watches a call
/// itself ([`run_within`]) and must say it the same way.
pub fn stuck_message(call: &str, waited: Duration, likely_cause: &str) -> String {
    format!(
        "{call} did not return within {} ms: it is probably stuck (blocked, or looping, for good).\n  {likely_cause}",
        waited.as_millis()
    )
}

/// `at`: where the learner's thread panicked, as the quiet hook saw it.
fn panicked_message(call: &str, message: &str, at: Option<String>) -> String {
    let at = at.map(|at| format!(" (at {at})")).unwrap_or_default();
    if message.contains("not yet implemented") {
        format!("{call} hit a `todo!()`{at}: replace it with your code.")
    } else if lock(&INJECTED).contains(message) {
        format!(
            "{call} panicked with \"{message}\": that panic is the check's, injected on \
             purpose to stand for a crashing component. Your code passed it on instead of \
             handling it."
        )
    } else {
        format!("{call} panicked{at}: {message}")
    }
}

/// A thread of the learner's code panicked on a refused `send`: the most
/// likely wrong fix of a consumer that quits early (`.expect()` on `send`).
fn send_panicked_message(call: &str, message: &str) -> String {
    format!(
        "{call} panicked (\"{message}\") because a thread it started called `.unwrap()` or \
         `.expect()` on a `send` that failed. A `send` fails only when every `Receiver` is \
         gone: the consumer has quit and nobody will ever take a record again. That is the \
         consumer saying \"stop\", not a bug: end the producer's loop when `send` returns \
         `Err` (`if tx.send(r).is_err() {{ break; }}`) and let the job return the error that \
         made the consumer quit."
    )
}

/// What happened to learner code run under the watchdog.
#[derive(Debug)]
pub enum Outcome<T> {
    Returned(T),
    Panicked(String),
    Stuck(Duration),
}

/// Runs `f` on a fresh thread and waits at most `limit` for it. A stuck thread
/// is detached: it cannot be killed, but it no longer holds up the caller.
pub fn run_within<T, F>(limit: Duration, f: F) -> Outcome<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    run_watched(limit, Stretch::WhenBusy, f).0
}

/// [`run_within`] with a limit that never stretches, for a check whose
/// requirement *is* a time: a learner's test must give its verdict on a hang
/// within the task's time, however busy the machine (its own timer is wall
/// time too).
pub fn run_within_fixed<T, F>(limit: Duration, f: F) -> Outcome<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    run_watched(limit, Stretch::Never, f).0
}

/// Whether the watchdog may stretch its limit on a busy machine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stretch {
    WhenBusy,
    Never,
}

/// [`run_within`], plus where the learner's code panicked, if it did.
fn run_watched<T, F>(limit: Duration, stretch: Stretch, f: F) -> (Outcome<T>, Option<String>)
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    install_quiet_hook();
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name(LEARNER_THREAD.into())
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
                let at = LAST_PANIC_AT.with(|last| last.borrow_mut().take());
                (payload_text(payload.as_ref()), at)
            });
            // The receiver is gone only if the watchdog already gave up.
            let _ = done_tx.send(result);
        });
    if let Err(e) = spawned {
        return (
            Outcome::Panicked(format!("could not start a thread: {e}")),
            None,
        );
    }
    // Wait `limit`; when it is reached, stretch it by how slow a runnable
    // thread is here right now (see `busy`): slow code on a busy machine
    // gets the time it needs; a deadlock, which no time would end, does not.
    let started = Instant::now();
    let mut allowed = limit;
    let _watching = busy::Watchdog::enter();
    loop {
        let left = allowed.saturating_sub(started.elapsed());
        match done_rx.recv_timeout(left) {
            Ok(Ok(value)) => return (Outcome::Returned(value), None),
            Ok(Err((text, at))) => return (Outcome::Panicked(text), at),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if stretch == Stretch::Never {
                    return (Outcome::Stuck(allowed), None);
                }
                // Nothing can move (a deadlock): more time would not help,
                // however busy the machine. But the call may have returned
                // while the watchdog looked (or waited for its turn to look):
                // its result is then already sent, and nothing else will be.
                if busy::stuck_for_good() {
                    return match done_rx.try_recv() {
                        Ok(Ok(value)) => (Outcome::Returned(value), None),
                        Ok(Err((text, at))) => (Outcome::Panicked(text), at),
                        Err(_) => (Outcome::Stuck(allowed), None),
                    };
                }
                let stretched = limit.mul_f64(busy::slowdown());
                if stretched <= started.elapsed() || stretched <= allowed {
                    return (Outcome::Stuck(allowed), None);
                }
                allowed = stretched;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return (
                    Outcome::Panicked("the thread running the code ended without a result".into()),
                    None,
                );
            }
        }
    }
}

/// The text of a panic payload (`panic!("...")` gives `&str` or `String`).
pub fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic with a non-text payload".to_owned()
    }
}

#[derive(Default)]
struct DropState {
    dropped: Mutex<bool>,
    signal: Condvar,
}

/// A value to hand to learner code; its [`Probe`] tells whether it was dropped.
/// Give it to the thread you expect to finish (a consumer, a producer): if that
/// thread is still alive, blocked, the token is still alive too.
pub struct Token {
    state: Arc<DropState>,
}

/// Observes whether its [`Token`] has been dropped.
#[derive(Clone)]
pub struct Probe {
    state: Arc<DropState>,
}

/// A token and the probe that watches it.
pub fn token() -> (Token, Probe) {
    let state = Arc::new(DropState::default());
    (
        Token {
            state: Arc::clone(&state),
        },
        Probe { state },
    )
}

impl Drop for Token {
    fn drop(&mut self) {
        let mut dropped = self.state.dropped.lock().unwrap_or_else(|e| e.into_inner());
        *dropped = true;
        self.state.signal.notify_all();
    }
}

impl Probe {
    /// Whether the token has been dropped, right now.
    pub fn is_dropped(&self) -> bool {
        *self.state.dropped.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits at most `limit` for the token to be dropped. Use it only where the
    /// drop may legitimately happen just after the learner's function returns
    /// (for example a thread that finishes after sending its last message).
    pub fn dropped_within(&self, limit: Duration) -> bool {
        let deadline = Instant::now() + limit;
        let mut dropped = self.state.dropped.lock().unwrap_or_else(|e| e.into_inner());
        while !*dropped {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            dropped = match self.state.signal.wait_timeout(dropped, deadline - now) {
                Ok((guard, _)) => guard,
                Err(e) => e.into_inner().0,
            };
        }
        true
    }
}

/// Counts live guards: hand one [`LiveGuard`] to every thread the learner's code
/// starts (for example inside the consumer closure) and ask how many are alive.
#[derive(Clone, Default)]
pub struct Live {
    count: Arc<AtomicUsize>,
}

/// Decrements its [`Live`] counter when dropped.
pub struct LiveGuard {
    count: Arc<AtomicUsize>,
}

impl Live {
    pub fn new() -> Live {
        Live::default()
    }

    pub fn guard(&self) -> LiveGuard {
        self.count.fetch_add(1, Ordering::SeqCst);
        LiveGuard {
            count: Arc::clone(&self.count),
        }
    }

    pub fn alive(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
}

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.count.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_value_of_code_that_finishes() {
        assert!(matches!(
            run_within(Duration::from_secs(5), || 42),
            Outcome::Returned(42)
        ));
    }

    #[test]
    fn reports_a_deadlock_within_the_limit_instead_of_hanging() {
        let started = Instant::now();
        let outcome = run_within(Duration::from_millis(100), || {
            let (_tx, rx) = mpsc::channel::<()>();
            // Blocks forever: this thread owns the only sender.
            rx.recv().ok()
        });
        assert!(matches!(outcome, Outcome::Stuck(_)));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn reports_a_panic_with_its_message() {
        match run_within(Duration::from_secs(5), || -> u8 { panic!("boom {}", 7) }) {
            Outcome::Panicked(msg) => assert_eq!(msg, "boom 7"),
            _ => panic!("expected a panic outcome"),
        }
    }

    #[test]
    fn run_turns_a_todo_into_a_learner_message() {
        let result = panic::catch_unwind(|| {
            run("leak_demo", "`f()`", "who owns the sender?", || -> u8 {
                todo!()
            })
        });
        let text = payload_text(result.unwrap_err().as_ref());
        assert!(text.contains("[leak_demo] `f()` hit a `todo!()`"), "{text}");
        assert!(text.contains("cargo xtask hint leak_demo"), "{text}");
    }

    #[test]
    fn run_names_the_likely_cause_when_stuck() {
        let result = panic::catch_unwind(|| {
            run("leak_demo", "`f()`", "who still owns a Sender?", || {
                thread::sleep(Duration::from_secs(60))
            })
        });
        let text = payload_text(result.unwrap_err().as_ref());
        assert!(text.contains("did not return within"), "{text}");
        assert!(text.contains("who still owns a Sender?"), "{text}");
    }

    /// Checks that fail on purpose, run only as a child process by
    /// `verdicts_carry_no_backtrace_whatever_rust_backtrace_says`.
    fn only_in_the_child() -> bool {
        std::env::var_os("GRADER_SELFTEST_CHILD").is_some()
    }

    #[test]
    fn child_learner_code_panics() {
        if only_in_the_child() {
            run("leak_demo", "`f()`", "stuck?", || -> u8 {
                panic!("learner bug")
            });
        }
    }

    #[test]
    fn child_learner_code_passes_on_an_injected_panic() {
        if only_in_the_child() {
            run("leak_demo", "`g()`", "stuck?", || -> u8 {
                inject_panic("the consumer ran out of memory")
            });
        }
    }

    #[test]
    fn child_producer_expects_a_send() {
        if only_in_the_child() {
            run("cancel_demo", "`h()`", "stuck?", || {
                let (tx, rx) = mpsc::channel::<u8>();
                drop(rx);
                thread::scope(|s| {
                    s.spawn(|| tx.send(1).expect("the consumer is there"));
                });
            });
        }
    }

    #[test]
    fn verdicts_carry_no_backtrace_whatever_rust_backtrace_says() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["tests::child_", "--test-threads=1"])
            .env("GRADER_SELFTEST_CHILD", "1")
            .env("RUST_BACKTRACE", "full")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "the child checks must fail:\n{text}");
        for expected in [
            "[leak_demo] `f()` panicked (at support/grader/src/lib.rs:",
            "): learner bug",
            "[leak_demo] `g()` panicked with \"the consumer ran out of memory\": that panic is the check's",
            "[cancel_demo] `h()` panicked (\"a scoped thread panicked\") because a thread it started called `.unwrap()` or `.expect()` on a `send`",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
        for unwanted in [
            "stack backtrace",
            "RUST_BACKTRACE",
            "panicked at support/grader/src/lib.rs",
        ] {
            let lines: Vec<&str> = text.lines().filter(|l| l.contains(unwanted)).collect();
            // The producer's own panic is printed once, in one line.
            let allowed = usize::from(unwanted.starts_with("panicked at"));
            assert!(lines.len() <= allowed, "{unwanted:?} appears in:\n{text}");
        }
        assert_eq!(text.matches("learner bug").count(), 1, "{text}");
    }

    #[test]
    fn probe_sees_the_token_dropped_by_another_thread() {
        let (token, probe) = token();
        assert!(!probe.is_dropped());
        thread::spawn(move || drop(token)).join().unwrap();
        assert!(probe.is_dropped());
        assert!(probe.dropped_within(Duration::ZERO));
    }

    #[test]
    fn probe_times_out_while_the_token_is_held() {
        let (token, probe) = token();
        assert!(!probe.dropped_within(Duration::from_millis(20)));
        drop(token);
    }

    #[test]
    fn live_counts_guards() {
        let live = Live::new();
        let a = live.guard();
        let b = live.guard();
        assert_eq!(live.alive(), 2);
        drop(a);
        assert_eq!(live.alive(), 1);
        drop(b);
        assert_eq!(live.alive(), 0);
    }
}
