//! Forcing the race between a first error and the errors its cancel causes.
//!
//! Task A fails; the code under test records A's error and cancels. Task B
//! waits for that cancel and then fails too. A correct group records A's
//! error *before* it cancels, so B's error, which the cancel caused, can only
//! come second. A group that cancels first (or checks the slot in one lock
//! and fills it in another) returns B's error once in a few hundred runs: on
//! an idle machine A's thread goes on from `cancel()` to its write in
//! nanoseconds, long before B is even awake.
//!
//! A check does not wait for that one run in a few hundred. The exercises'
//! `Cancel` runs a hook inside every `cancel()` (`on_cancel_for_checks`), on
//! the cancelling thread, after the broadcast; [`CancelRace::hook`] is that
//! hook. It holds A's thread (and, in [`Schedule::Interleaved`], B's) inside
//! `cancel()` until the other thread has done what the schedule wants, so the
//! bad order happens every run. Each wait is bounded by [`pause`]: code that
//! never gives the signal (a thread pool, a lock held across the cancel) is
//! only slowed down, never failed by the pause itself.
//!
//! "Finished" means the thread has exited: a guard in its thread-local storage
//! is dropped after everything the code under test runs on that thread
//! (recording the error included).

use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

/// How long a held thread waits for the other one at most.
pub fn pause() -> Duration {
    crate::budget::RACE_PAUSE.get()
}

/// In which order the two threads are made to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// No thread is held in `cancel()`; instead B, once woken by the cancel,
    /// fails only after A's thread has finished. Nothing can be racy here:
    /// code that returns B's error picks it by thread order or keeps the
    /// last error, which is a different fault from the two below.
    CauseFinishesFirst,
    /// A, inside its `cancel()`, waits until B (woken by the cancel) has
    /// failed and its thread has finished. Catches "cancel, then record".
    EffectFinishesFirst,
    /// A, inside its `cancel()`, waits until B is inside a `cancel()` of its
    /// own (or has finished); B waits there until A's thread has finished.
    /// Catches "check the slot, cancel, then fill the slot": both threads
    /// found it empty, and B fills it last.
    Interleaved,
}

impl Schedule {
    /// Every schedule, the one that leaves nothing to race first.
    pub const ALL: [Schedule; 3] = [
        Schedule::CauseFinishesFirst,
        Schedule::EffectFinishesFirst,
        Schedule::Interleaved,
    ];

    /// What the check did to the threads, in a verdict's words (A failed
    /// first, B failed because of the cancel).
    pub fn what_the_check_did(self) -> &'static str {
        match self {
            Schedule::CauseFinishesFirst => {
                "the check let A's thread finish before B, woken by the cancel, failed"
            }
            Schedule::EffectFinishesFirst => {
                "the check held A's thread inside `cancel()`, as a busy machine may, until B, \
                 woken by that cancel, had failed and its thread had finished"
            }
            Schedule::Interleaved => {
                "the check held A's thread inside `cancel()` until B was inside a `cancel()` of \
                 its own, then held B there until A's thread had finished"
            }
        }
    }
}

/// The verdict for code that returned B's error in `schedule`: what the
/// check did, and the fault that shows. `returned` is the call and what it
/// returned ("`wait()` returned task B's error"); `cause` is A's failure in
/// the exercise's words ("A's error").
pub fn b_won(schedule: Schedule, returned: &str, cause: &str) -> String {
    match schedule {
        Schedule::CauseFinishesFirst => format!(
            "{returned}, but A failed first: B failed only because of the cancel that {cause} \
             caused, and only once A's thread had finished ({}). Nothing raced: your code picks \
             the error by the order of the threads, or keeps the last one. Keep the first error \
             to *happen*, where every thread sees it, at the moment it happens: once one is \
             stored, a later one must not replace it.",
            schedule.what_the_check_did()
        ),
        _ => format!(
            "{returned}, but B failed only because of the cancel that {cause} caused: {}. Your \
             code let B's error take the place of A's. Keep the first error *before* you \
             cancel, and check and fill the slot under one lock (`if first.is_none() {{ *first \
             = Some(e) }}` while you hold it): cancel first, or check in one lock and fill in \
             another, and a thread woken by the cancel can fill the slot in between.",
            schedule.what_the_check_did()
        ),
    }
}

/// The verdict for a job that was cancelled without the given `Cancel`'s
/// `cancel()` (its hook never ran): the learner rewrote the given type.
pub fn hook_never_ran(id: &str) -> String {
    format!(
        "the job was cancelled, but not through `Cancel::cancel()` as given: its \
         `on_cancel_for_checks` hook never ran. Put the given `Cancel` back as it was \
         (`cargo xtask reset {id}` restores the file; your version is kept in my-work/backups/)."
    )
}

/// One forced race. Clone it into the check's tasks (it is an `Arc`).
#[derive(Clone)]
pub struct CancelRace {
    inner: Arc<Inner>,
}

struct Inner {
    schedule: Schedule,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    a: Option<ThreadId>,
    b: Option<ThreadId>,
    a_in_cancel: bool,
    b_in_cancel: bool,
    a_finished: bool,
    b_finished: bool,
    hook_calls: usize,
    /// B finished while A was held inside its cancel.
    forced: bool,
}

#[derive(Clone, Copy)]
enum Side {
    A,
    B,
}

/// Dropped with its thread's thread-local storage: the thread has finished.
struct Finished {
    race: Arc<Inner>,
    side: Side,
}

impl Drop for Finished {
    fn drop(&mut self) {
        let mut state = self.race.lock();
        match self.side {
            Side::A => state.a_finished = true,
            Side::B => state.b_finished = true,
        }
        drop(state);
        self.race.changed.notify_all();
    }
}

thread_local! {
    static ON_EXIT: RefCell<Vec<Finished>> = const { RefCell::new(Vec::new()) };
}

impl CancelRace {
    pub fn new(schedule: Schedule) -> CancelRace {
        CancelRace {
            inner: Arc::new(Inner {
                schedule,
                state: Mutex::new(State::default()),
                changed: Condvar::new(),
            }),
        }
    }

    /// Call on task A's thread, just before A fails.
    pub fn a_is_here(&self) {
        self.register(Side::A);
    }

    /// Call on task B's thread, before B waits for the cancel.
    pub fn b_is_here(&self) {
        self.register(Side::B);
    }

    fn register(&self, side: Side) {
        let me = thread::current().id();
        let mut state = self.inner.lock();
        match side {
            Side::A => state.a = Some(me),
            Side::B => state.b = Some(me),
        }
        drop(state);
        ON_EXIT.with(|exits| {
            exits.borrow_mut().push(Finished {
                race: Arc::clone(&self.inner),
                side,
            })
        });
    }

    /// Call on task B's thread after it saw the cancel, just before it
    /// fails: in [`Schedule::CauseFinishesFirst`], waits until A's thread
    /// has finished (at most [`pause`]); otherwise returns at once.
    pub fn b_fails_now(&self) {
        if self.inner.schedule == Schedule::CauseFinishesFirst {
            let state = self.inner.lock();
            drop(self.inner.wait_until(state, |s| s.a_finished));
        }
    }

    /// The hook to give to `Cancel::on_cancel_for_checks`.
    pub fn hook(&self) -> impl Fn() + Send + Sync + 'static {
        let inner = Arc::clone(&self.inner);
        move || inner.on_cancel()
    }

    /// How many times `cancel()` ran the hook.
    pub fn hook_calls(&self) -> usize {
        self.inner.lock().hook_calls
    }

    /// Whether B finished while A was held inside its cancel: the bad order
    /// was offered to the code under test.
    pub fn forced(&self) -> bool {
        self.inner.lock().forced
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn on_cancel(&self) {
        let me = Some(thread::current().id());
        let mut state = self.lock();
        state.hook_calls += 1;
        if me == state.a && !state.a_in_cancel {
            state.a_in_cancel = true;
            self.changed.notify_all();
            let schedule = self.schedule;
            let mut state = self.wait_until(state, |s| match schedule {
                Schedule::CauseFinishesFirst => true,
                Schedule::EffectFinishesFirst => s.b_finished,
                Schedule::Interleaved => s.b_in_cancel || s.b_finished,
            });
            if state.b_finished || state.b_in_cancel {
                state.forced = true;
            }
        } else if me == state.b && !state.b_in_cancel {
            state.b_in_cancel = true;
            self.changed.notify_all();
            if self.schedule == Schedule::Interleaved && state.a_in_cancel {
                drop(self.wait_until(state, |s| s.a_finished));
            }
        }
    }

    /// Waits until `ready` holds, or [`pause`] has passed.
    fn wait_until<'a>(
        &self,
        mut state: MutexGuard<'a, State>,
        ready: impl Fn(&State) -> bool,
    ) -> MutexGuard<'a, State> {
        let deadline = Instant::now() + pause();
        while !ready(&state) {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A token like the exercises' `Cancel`, with the hook.
    struct Token {
        cancelled: AtomicBool,
        hook: Box<dyn Fn() + Send + Sync>,
    }

    impl Token {
        fn cancel(&self) {
            self.cancelled.store(true, Ordering::SeqCst);
            (self.hook)();
        }
    }

    /// A runs "cancel, then record"; B waits for the cancel and records.
    fn cancel_then_record(schedule: Schedule) -> (&'static str, CancelRace) {
        let race = CancelRace::new(schedule);
        let token = Token {
            cancelled: AtomicBool::new(false),
            hook: Box::new(race.hook()),
        };
        let slot: Mutex<Option<&'static str>> = Mutex::new(None);
        let record = |e| {
            let mut first = slot.lock().unwrap();
            if first.is_none() {
                *first = Some(e);
            }
        };
        thread::scope(|s| {
            s.spawn(|| {
                race.b_is_here();
                while !token.cancelled.load(Ordering::SeqCst) {
                    thread::yield_now();
                }
                race.b_fails_now();
                token.cancel();
                record("B");
            });
            s.spawn(|| {
                race.a_is_here();
                token.cancel();
                record("A");
            });
        });
        (slot.into_inner().unwrap().unwrap(), race)
    }

    #[test]
    fn the_effect_finishes_first_while_the_cause_is_held() {
        let (winner, race) = cancel_then_record(Schedule::EffectFinishesFirst);
        assert_eq!(winner, "B");
        assert!(race.forced());
        assert_eq!(race.hook_calls(), 2);
    }

    #[test]
    fn the_cause_finishing_first_leaves_no_race_to_lose() {
        let (winner, race) = cancel_then_record(Schedule::CauseFinishesFirst);
        assert_eq!(winner, "A");
        assert!(!race.forced());
    }

    #[test]
    fn a_hook_call_from_another_thread_is_not_held() {
        let race = CancelRace::new(Schedule::EffectFinishesFirst);
        let started = Instant::now();
        (race.hook())();
        assert!(started.elapsed() < pause());
        assert_eq!(race.hook_calls(), 1);
        assert!(!race.forced());
    }
}
