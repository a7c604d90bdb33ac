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
use std::fmt::Display;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

pub mod test_of_tests;

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

/// How long learner code may run before a check calls it stuck. A correct
/// solution finishes in milliseconds; the default leaves a wide margin on a
/// busy 2-core machine and still fails a starter in about a second.
/// Override with `GRADER_TIMEOUT_MS`.
pub fn limit() -> Duration {
    let ms = std::env::var("GRADER_TIMEOUT_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    Duration::from_millis(ms)
}

/// Fails the current check with a message for the learner.
#[track_caller]
pub fn fail(id: &str, what_is_wrong: impl Display) -> ! {
    panic!("\n[{id}] {what_is_wrong}\n  Stuck? Run `cargo xtask hint {id}` for a hint.\n");
}

/// Fails the current check unless `ok` holds.
#[track_caller]
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
#[track_caller]
pub fn run<T, F>(id: &str, call: &str, if_stuck: &str, f: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    match run_within(limit(), f) {
        Outcome::Returned(value) => value,
        Outcome::Panicked(message) => fail(id, panicked_message(call, &message)),
        Outcome::Stuck(waited) => fail(
            id,
            format!(
                "{call} did not return within {} ms: it is probably blocked forever.\n  {if_stuck}",
                waited.as_millis()
            ),
        ),
    }
}

fn panicked_message(call: &str, message: &str) -> String {
    if message.contains("not yet implemented") {
        format!("{call} hit a `todo!()`: replace it with your code.")
    } else {
        format!("{call} panicked: {message}")
    }
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
    let (done_tx, done_rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("learner-code".into())
        .spawn(move || {
            let result = panic::catch_unwind(AssertUnwindSafe(f));
            // The receiver is gone only if the watchdog already gave up.
            let _ = done_tx.send(result);
        });
    if let Err(e) = spawned {
        return Outcome::Panicked(format!("could not start a thread: {e}"));
    }
    match done_rx.recv_timeout(limit) {
        Ok(Ok(value)) => Outcome::Returned(value),
        Ok(Err(payload)) => Outcome::Panicked(payload_text(payload.as_ref())),
        Err(_) => Outcome::Stuck(limit),
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
