// Checks for `close_errgroup`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/close_errgroup.rs`).
//
// Every group runs inside a `thread::scope` under the grader's watchdog. The
// tasks are the checks' own closures: one that fails at once, one that waits
// for the group's cancel token, one that cleans up for a while after seeing
// it. Waiting on the token (not on a clock) is what makes these checks
// deterministic: a task that needs the cancel to finish proves it happened.
// The race between the first error and an error its cancel causes is forced
// with `grader::race`, through the hook the given `Cancel` runs in `cancel()`.

use crossbeam_channel::{bounded, select};
use exercise::{Cancel, Group};
use grader::hold::{Holds, Release};
use grader::race::{self, CancelRace, Schedule};
use grader::{ensure, fail, run};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

const ID: &str = "close_errgroup";

const NOBODY_CANCELLED: &str = "One task waits for the group's token (`cancel.done().recv()`) and \
     another one failed: errgroup.WithContext cancels the context the first time a task returns an \
     error. Who calls `cancel()` in your `Group`?";

#[test]
fn every_task_runs_before_wait_returns() {
    let (result, finished) = run(
        ID,
        "`wait()` on a group of 8 tasks that succeed",
        "Nothing here waits for the token: does `wait` join every task?",
        || {
            let finished = AtomicUsize::new(0);
            thread::scope(|s| {
                let mut g: Group<&str> = Group::new(s);
                for _ in 0..8 {
                    // Borrows `finished` from the caller: fine on a scope.
                    g.spawn(|_: &Cancel| {
                        thread::sleep(Duration::from_millis(2));
                        finished.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    });
                }
                let result = g.wait();
                (result, finished.load(Ordering::SeqCst))
            })
        },
    );
    ensure(
        result == Ok(()),
        ID,
        format!("`wait()` returned {result:?}, but every task returned `Ok(())`"),
    );
    ensure(
        finished == 8,
        ID,
        format!(
            "`wait()` returned when only {finished} of 8 tasks had finished: like errgroup's \
             Wait, it must return only after every task has returned"
        ),
    );
}

#[test]
fn the_token_stays_unset_while_every_task_succeeds() {
    // Only a task's `Err` cancels the group: while every task succeeds, the
    // token stays uncancelled (a producer that sees it cancelled would stop).
    // One task succeeds at once; three more watch the token for a quarter of
    // the watchdog's limit, while the first one has ended and `wait` has been
    // called. A group that cancels when a task ends, or when `wait` starts,
    // does it inside that time; a right one never does, and the three end
    // when their watch is over. (Bounded: a right fix is slowed, never failed.)
    let saw_cancelled = run(
        ID,
        "`wait()` on a group of 4 tasks that succeed and watch the token",
        "Nothing here waits for the token: does `wait` join every task?",
        || {
            let saw = AtomicUsize::new(0);
            thread::scope(|s| {
                let mut g: Group<&str> = Group::new(s);
                g.spawn(|_: &Cancel| Ok(()));
                for _ in 0..3 {
                    g.spawn(|cancel: &Cancel| {
                        let woken = cancel.done().recv_timeout(grader::race::pause());
                        if cancel.is_cancelled() || woken.is_err_and(|e| e.is_disconnected()) {
                            saw.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok(())
                    });
                }
                let _ = g.wait();
            });
            saw.into_inner()
        },
    );
    ensure(
        saw_cancelled == 0,
        ID,
        format!(
            "{saw_cancelled} of 3 running tasks saw the group's token cancelled although no \
             task had failed: errgroup cancels the context when a task returns an error (and \
             when Wait is done, once every task has returned), not when a task succeeds or \
             when Wait starts."
        ),
    );
}

#[test]
fn an_empty_group_waits_for_nothing() {
    let result = run(ID, "`wait()` on a group without tasks", "", || {
        thread::scope(|s| Group::<&str>::new(s).wait())
    });
    ensure(
        result == Ok(()),
        ID,
        format!("`wait()` on a group without tasks returned {result:?}, expected `Ok(())`"),
    );
}

#[test]
fn a_failing_task_stops_the_running_ones() {
    let (result, saw_cancel) = run(
        ID,
        "`wait()` after one task failed while another waits for the cancel",
        NOBODY_CANCELLED,
        || {
            let saw_cancel = AtomicUsize::new(0);
            let result = thread::scope(|s| {
                let mut g = Group::new(s);
                g.spawn(|cancel: &Cancel| {
                    // Go: <-ctx.Done(). Returns once the token is cancelled.
                    let _ = cancel.done().recv();
                    if cancel.is_cancelled() {
                        saw_cancel.fetch_add(1, Ordering::SeqCst);
                    }
                    Ok(())
                });
                g.spawn(|_: &Cancel| Err("read record 7: corrupt record"));
                g.wait()
            });
            (result, saw_cancel.into_inner())
        },
    );
    ensure(
        saw_cancel == 1,
        ID,
        "the waiting task woke up, but `is_cancelled()` was false: cancel the token with \
         `cancel()`, do not replace it",
    );
    ensure(
        result == Err("read record 7: corrupt record"),
        ID,
        format!(
            "`wait()` returned {result:?}, expected the failing task's error \
             `Err(\"read record 7: corrupt record\")`"
        ),
    );
}

#[test]
fn wait_returns_the_first_error_to_happen() {
    // Task A is spawned first but can only fail after the cancel, that is
    // after task B's error: B's error is the first, every time.
    let result = run(
        ID,
        "`wait()` after task B failed and then task A failed",
        NOBODY_CANCELLED,
        || {
            thread::scope(|s| {
                let mut g = Group::new(s);
                g.spawn(|cancel: &Cancel| {
                    let _ = cancel.done().recv();
                    Err("A: failed second")
                });
                g.spawn(|_: &Cancel| Err("B: failed first"));
                g.wait()
            })
        },
    );
    match result {
        Err("B: failed first") => {}
        Err("A: failed second") => fail(
            ID,
            "`wait()` returned task A's error, but task B failed first (A only failed once B's \
             error had cancelled it). errgroup's Wait returns the first error to happen: not the \
             error of the first task spawned, not the last error. Keep the first one where every \
             task can see it, and record it before you cancel.",
        ),
        other => fail(
            ID,
            format!("`wait()` returned {other:?}, expected `Err(\"B: failed first\")`"),
        ),
    }
}

#[test]
fn wait_returns_the_first_error_whatever_the_spawn_order() {
    // Three tasks; the one at `first` fails at once, the other two fail only
    // once they have seen the cancel. Whichever position the first failure
    // has, its error is the one `wait` returns: not the error of the first
    // task spawned, nor of the last one, nor of the last one joined.
    for first in 0..3 {
        let result = run(
            ID,
            &format!("`wait()` after task {first} of 3 failed and the other two failed after it"),
            NOBODY_CANCELLED,
            move || {
                thread::scope(|s| {
                    let mut g: Group<String> = Group::new(s);
                    for task in 0..3 {
                        if task == first {
                            g.spawn(move |_: &Cancel| Err(format!("task {task}: failed first")));
                        } else {
                            g.spawn(move |cancel: &Cancel| {
                                let _ = cancel.done().recv();
                                Err(format!("task {task}: failed after the cancel"))
                            });
                        }
                    }
                    g.wait()
                })
            },
        );
        let expected = format!("task {first}: failed first");
        match result {
            Err(e) if e == expected => {}
            Err(e) => fail(
                ID,
                format!(
                    "task {first} (of tasks 0, 1, 2, spawned in that order) failed first and \
                     the other two failed only after its error had cancelled them, but `wait()` \
                     returned Err({e:?}). errgroup's Wait returns the first error to happen, \
                     whichever task it comes from: not the one picked by spawn or join order, \
                     not the last one. Record it where every task can see it, at the moment it \
                     happens."
                ),
            ),
            Ok(()) => fail(
                ID,
                format!("three tasks failed, but `wait()` returned Ok(()): expected Err({expected:?})"),
            ),
        }
    }
}

#[test]
fn a_task_spawned_after_a_failure_still_runs() {
    // errgroup's `Go` runs every function it is given, also once the context
    // is cancelled: the late task gets the cancelled token and decides what
    // to do (return at once, or clean up first). Task A fails at once; task B
    // waits for the token and tells the check; only then does the check
    // spawn task C, and `wait` must wait for it too. (B waits for the cancel
    // at most `budget::HELPER`: a right group cancels microseconds after A.)
    let (cancelled, ran, result) = run(
        ID,
        "`spawn` of a task once another one has failed and the group is cancelled, then `wait()`",
        NOBODY_CANCELLED,
        || {
            let ran = AtomicBool::new(false);
            let (seen_tx, seen_rx) = bounded::<()>(1);
            thread::scope(|s| {
                let mut g: Group<&str> = Group::new(s);
                g.spawn(|_: &Cancel| Err("boom"));
                g.spawn(move |cancel: &Cancel| {
                    select! {
                        recv(cancel.done()) -> _ => {
                            let _ = seen_tx.send(());
                        }
                        default(grader::budget::HELPER.get()) => {}
                    }
                    Ok(())
                });
                // `Err` once B gave up waiting (and dropped `seen_tx`).
                let cancelled = seen_rx.recv().is_ok();
                g.spawn(|_: &Cancel| {
                    ran.store(true, Ordering::SeqCst);
                    Ok(())
                });
                let result = g.wait();
                (cancelled, ran.load(Ordering::SeqCst), result)
            })
        },
    );
    ensure(cancelled, ID, NOBODY_CANCELLED);
    ensure(
        ran,
        ID,
        format!(
            "a task spawned once the group was cancelled never ran, and `wait()` returned \
             {result:?}: errgroup's `Go` runs every function it is given, also after the \
             context is cancelled (the task sees the cancelled token and decides what to do: \
             return at once, or clean up first). `spawn` must start it, and `wait` wait for it."
        ),
    );
    ensure(
        result == Err("boom"),
        ID,
        format!("`wait()` returned {result:?}, expected `Err(\"boom\")`"),
    );
}

#[test]
fn wait_waits_for_every_task_after_an_error() {
    // One task fails at once; another one is still busy (it does not look
    // at the token): it is held in the check's code (`grader::hold`) until
    // the rest of the call waits for it, so it is busy for as long as `wait`
    // does not simply join it. `wait` must not return before it is done,
    // whether the busy task was spawned before or after the failing one,
    // and must not give up on it after a while (a polling loop with a
    // deadline returns while it is held, or is seen on its timer).
    for busy_first in [true, false] {
        let (token, probe) = grader::token();
        let holds = Holds::new(Release::OldestFirst);
        let hold = holds.clone();
        let (result, still_running) = holds.run(
            ID,
            "`wait()` after one task failed while another was still busy",
            || {
                "Nothing here waits for the token: does `wait` block on something that never \
                 comes?"
                    .to_owned()
            },
            move || {
                thread::scope(|s| {
                    let mut g = Group::new(s);
                    let busy = move |_: &Cancel| {
                        let _token = token; // dropped when this task returns
                        hold.hold_here();
                        Ok(())
                    };
                    let failing = |_: &Cancel| Err("boom");
                    if busy_first {
                        g.spawn(busy);
                        g.spawn(failing);
                    } else {
                        g.spawn(failing);
                        g.spawn(busy);
                    }
                    let result = g.wait();
                    (result, !probe.is_dropped())
                })
            },
        );
        let order = if busy_first {
            "spawned before the failing one"
        } else {
            "spawned after the failing one"
        };
        ensure(
            !still_running,
            ID,
            format!(
                "`wait()` returned while a task ({order}) was still running. errgroup's Wait \
                 returns the first error only after every task has returned: the cancel asks the \
                 others to stop, `wait` must still join them all, also after it has an error."
            ),
        );
        ensure(
            !holds.saw_timer(),
            ID,
            format!(
                "while a task ({order}) was still busy, `wait()` waited on a timer (a `sleep`, \
                 a `recv_timeout`, a deadline) instead of simply joining it: a task slower than \
                 that timer would still be running when `wait` returns. errgroup's Wait blocks \
                 until every task has returned, however long that takes."
            ),
        );
        ensure(
            result == Err("boom"),
            ID,
            format!("`wait()` returned {result:?}, expected `Err(\"boom\")`"),
        );
    }
}

#[test]
fn an_error_it_caused_never_replaces_the_first() {
    // Task A fails once task B is running; B fails because of the cancel.
    // `grader::race` holds the threads inside `cancel()` so that B's error
    // arrives while A is still cancelling, every run: a group that records
    // the first error *before* it cancels returns A's error whatever the
    // schedule. Every schedule (the first leaves nothing to race, so that a
    // group that picks the error by order is told so, not told it lost a
    // race), both spawn orders.
    for schedule in Schedule::ALL {
        for b_first in [true, false] {
            let race = CancelRace::new(schedule);
            let b_saw_cancel = Arc::new(AtomicBool::new(false));
            let (race_a, race_b, saw) = (race.clone(), race.clone(), Arc::clone(&b_saw_cancel));
            // B waits for the cancel or the end of the check, nothing else:
            // a group that never cancels is stuck every run, however long the
            // watchdog waits on a busy machine.
            let (over_tx, over_rx) = bounded::<()>(0);
            let result = run(
                ID,
                "`wait()` where task A fails, and task B fails because of the cancel",
                NOBODY_CANCELLED,
                move || {
                    let (b_running_tx, b_running_rx) = bounded::<()>(1);
                    let task_a = move |cancel: &Cancel| {
                        let _ = b_running_rx.recv_timeout(grader::budget::HANDED_OVER.get());
                        cancel.on_cancel_for_checks(race_a.hook());
                        race_a.a_is_here();
                        Err("A: failed first")
                    };
                    let task_b = move |cancel: &Cancel| {
                        race_b.b_is_here();
                        let _ = b_running_tx.send(());
                        select! {
                            recv(cancel.done()) -> _ => saw.store(true, Ordering::SeqCst),
                            recv(over_rx) -> _ => {}
                        }
                        race_b.b_fails_now();
                        Err("B: failed because of the cancel")
                    };
                    thread::scope(|s| {
                        let mut g = Group::new(s);
                        if b_first {
                            g.spawn(task_b);
                            g.spawn(task_a);
                        } else {
                            g.spawn(task_a);
                            g.spawn(task_b);
                        }
                        g.wait()
                    })
                },
            );
            drop(over_tx);
            ensure(
                !b_saw_cancel.load(Ordering::SeqCst) || race.hook_calls() > 0,
                ID,
                race::hook_never_ran(ID),
            );
            match result {
                Err("A: failed first") => {}
                Err("B: failed because of the cancel") => fail(
                    ID,
                    race::b_won(schedule, "`wait()` returned task B's error", "A's error"),
                ),
                other => fail(
                    ID,
                    format!("`wait()` returned {other:?}, expected `Err(\"A: failed first\")`"),
                ),
            }
        }
    }
}

#[test]
fn a_second_failure_while_the_first_one_stops_the_group_never_wins() {
    // Task A fails first; task B fails on its own (not because of the
    // cancel) while A's thread is inside `cancel()`, *before* the token is
    // set: the check holds A there (the given `Cancel` runs a hook at the
    // start of `cancel()`) until B has failed and its thread has finished.
    // B's error is the second to happen, and the group still looks
    // uncancelled to it: a group that asks `is_cancelled()` to decide who is
    // first, and then writes the slot without looking, lets B overwrite A.
    // Both spawn orders.
    for b_first in [true, false] {
        let race = CancelRace::new(Schedule::EffectFinishesFirst);
        let (race_a, race_b) = (race.clone(), race.clone());
        let (a_cancelling_tx, a_cancelling_rx) = bounded::<()>(1);
        // B waits for A's cancel or the end of the check, nothing else.
        let (over_tx, over_rx) = bounded::<()>(0);
        let b_failed = Arc::new(AtomicBool::new(false));
        let b_failed_seen = Arc::clone(&b_failed);
        let result = run(
            ID,
            "`wait()` where task A fails, and task B fails while A is cancelling",
            NOBODY_CANCELLED,
            move || {
                let (b_running_tx, b_running_rx) = bounded::<()>(1);
                let task_a = move |cancel: &Cancel| {
                    let _ = b_running_rx.recv_timeout(grader::budget::HANDED_OVER.get());
                    let hold = race_a.hook();
                    let a = thread::current().id();
                    cancel.before_cancel_for_checks(move || {
                        if thread::current().id() == a {
                            let _ = a_cancelling_tx.try_send(());
                        }
                        hold();
                    });
                    race_a.a_is_here();
                    Err("A: failed first")
                };
                let task_b = move |_: &Cancel| {
                    race_b.b_is_here();
                    let _ = b_running_tx.send(());
                    select! {
                        // Disconnected without a message: the hook was dropped
                        // without ever running (the given `Cancel` was changed).
                        recv(a_cancelling_rx) -> signal => {
                            b_failed_seen.store(signal.is_ok(), Ordering::SeqCst)
                        }
                        recv(over_rx) -> _ => {}
                    }
                    Err("B: failed while A was cancelling")
                };
                thread::scope(|s| {
                    let mut g = Group::new(s);
                    if b_first {
                        g.spawn(task_b);
                        g.spawn(task_a);
                    } else {
                        g.spawn(task_a);
                        g.spawn(task_b);
                    }
                    g.wait()
                })
            },
        );
        drop(over_tx);
        ensure(race.hook_calls() > 0, ID, race::hook_never_ran(ID));
        match result {
            Err("A: failed first") => {}
            Err("B: failed while A was cancelling") if b_failed.load(Ordering::SeqCst) => fail(
                ID,
                "`wait()` returned task B's error, but task A failed first: B failed while A's \
                 thread was inside `cancel()`, before the token was set (the check held A \
                 there, as a busy machine may). To B the group still looked uncancelled, and \
                 B's error took the place of A's. `is_cancelled()` cannot tell who failed \
                 first: look at the slot itself, and fill it only if it is empty, under one \
                 lock (`if first.is_none() { *first = Some(e) }`).",
            ),
            other => fail(
                ID,
                format!("`wait()` returned {other:?}, expected `Err(\"A: failed first\")`"),
            ),
        }
    }
}
