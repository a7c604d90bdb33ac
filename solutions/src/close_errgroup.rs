//! Exercise `close_errgroup`: an errgroup on `std::thread::scope`.
//!
//! Go's `errgroup.WithContext` gives you three things: `g.Go(f)` runs `f` on a
//! new goroutine, `g.Wait()` waits for all of them and returns the first error,
//! and the context is cancelled as soon as one of them fails, so the others
//! can stop early. Reference solution.

use crossbeam_channel::{Receiver, Sender, bounded};
use std::panic;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::{Scope, ScopedJoinHandle};

/// The group's cancellation token, the `ctx` of `errgroup.WithContext`.
/// Cancelling is one-way and idempotent. A task can poll it
/// (`is_cancelled()`, between two reads) or wait for it (`done()`, in a
/// `select!` or with `recv()`).
pub struct Cancel {
    cancelled: AtomicBool,
    /// The only `Sender` of the `done` channel: dropping it is the broadcast.
    closer: Mutex<Option<Sender<()>>>,
    done: Receiver<()>,
    /// The checks' probe (see `on_cancel_for_checks`).
    check_hook: OnceLock<Box<dyn Fn() + Send + Sync>>,
    /// The checks' other probe (see `before_cancel_for_checks`).
    check_hook_before: OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl Cancel {
    pub fn new() -> Cancel {
        let (closer, done) = bounded(0);
        Cancel {
            cancelled: AtomicBool::new(false),
            closer: Mutex::new(Some(closer)),
            done,
            check_hook: OnceLock::new(),
            check_hook_before: OnceLock::new(),
        }
    }

    /// Cancels: every `is_cancelled()` from now on is `true`, and every thread
    /// waiting on `done()` wakes up.
    pub fn cancel(&self) {
        if let Some(hook) = self.check_hook_before.get() {
            hook();
        }
        self.cancelled.store(true, Ordering::SeqCst);
        // Dropping the only Sender closes the channel: Go's close(done).
        drop(
            self.closer
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        if let Some(hook) = self.check_hook.get() {
            hook();
        }
    }

    /// Leave this as it is: the checks use it. `hook` runs inside every
    /// `cancel()` from now on, on the thread that calls it, after the
    /// broadcast. A check pauses threads there to make two failures happen in
    /// the order it wants, instead of hoping a race comes out that way.
    pub fn on_cancel_for_checks(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.check_hook.set(Box::new(hook));
    }

    /// Leave this as it is: the checks use it. Like `on_cancel_for_checks`,
    /// but `hook` runs at the start of every `cancel()`, before the token is
    /// set: a check holds a thread there to let another task fail while the
    /// group still looks uncancelled.
    pub fn before_cancel_for_checks(&self, hook: impl Fn() + Send + Sync + 'static) {
        let _ = self.check_hook_before.set(Box::new(hook));
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// Go's `ctx.Done()`: never receives a message; `recv()` returns `Err`
    /// once the token is cancelled, and a `select!` arm on it fires then.
    pub fn done(&self) -> &Receiver<()> {
        &self.done
    }
}

impl Default for Cancel {
    fn default() -> Cancel {
        Cancel::new()
    }
}

/// What the group's threads share.
struct Shared<E> {
    cancel: Cancel,
    first_error: Mutex<Option<E>>,
}

/// A group of tasks on the threads of one `thread::scope`: errgroup's
/// `Group`. Make one inside the scope with `Group::new(s)`.
pub struct Group<'scope, 'env, E> {
    scope: &'scope Scope<'scope, 'env>,
    shared: Arc<Shared<E>>,
    tasks: Vec<ScopedJoinHandle<'scope, ()>>,
}

impl<'scope, 'env, E: Send + 'scope> Group<'scope, 'env, E> {
    pub fn new(scope: &'scope Scope<'scope, 'env>) -> Group<'scope, 'env, E> {
        Group {
            scope,
            shared: Arc::new(Shared {
                cancel: Cancel::new(),
                first_error: Mutex::new(None),
            }),
            tasks: Vec::new(),
        }
    }

    /// errgroup's `g.Go(f)`: runs `task` on a new thread of the scope. The task
    /// gets the group's token; the first task to return `Err` cancels it.
    pub fn spawn<F>(&mut self, task: F)
    where
        F: FnOnce(&Cancel) -> Result<(), E> + Send + 'scope,
    {
        let shared = Arc::clone(&self.shared);
        let handle = self.scope.spawn(move || {
            if let Err(e) = task(&shared.cancel) {
                let mut first = shared
                    .first_error
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner);
                if first.is_none() {
                    *first = Some(e);
                }
                drop(first);
                // Record first, then cancel: a task woken by the cancel can
                // only fail after the first error is already in place.
                shared.cancel.cancel();
            }
        });
        self.tasks.push(handle);
    }

    /// errgroup's `g.Wait()`: returns once every task has returned, with the
    /// first error to happen, if any.
    pub fn wait(self) -> Result<(), E> {
        for task in self.tasks {
            if let Err(payload) = task.join() {
                // A task panicked: pass the panic on, as the scope would.
                panic::resume_unwind(payload);
            }
        }
        // Like errgroup.WithContext, Wait cancels the context in any case.
        self.shared.cancel.cancel();
        let first = self
            .shared
            .first_error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match first {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
