// Checks for `rayon_bounded_io`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/rayon_bounded_io.rs`).
//
// Each check runs `fetch_all` inside a rayon pool of its own (2 threads), as
// if it were called from rayon code. The `fetch` closures are the checks'
// own "network": they count how many calls run at once, hold calls back
// until others have started, and fail on purpose. Their waits are bounded
// well below the grader's watchdog; a wait that runs out is reported after
// `fetch_all` has returned, in terms of what your code did.

use exercise::{FetchError, fetch_all};
use grader::hold::{Holds, Release};
use grader::{ensure, fail, run};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

const ID: &str = "rayon_bounded_io";

/// Calls in all, of 60, that a correct answer never gets near once the first
/// call has failed: it makes 3, plus at most one per other worker; calls
/// after the failure take 1 ms each, so a worker reaches its next check long
/// before it could make 25.
const CALLS_AFTER_FAILURE: usize = 30;

fn urls(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

fn page(url: &str) -> String {
    url.to_uppercase()
}

/// The checks' network: what runs now, and what has happened.
#[derive(Default)]
struct Net {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    now: usize,
    max: usize,
    started: Vec<String>,
    failed: bool,
    gave_up: bool,
}

impl Net {
    /// A call of `fetch` begins: counted under the lock.
    fn enter(&self, url: &str) -> std::sync::MutexGuard<'_, State> {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.now += 1;
        s.max = s.max.max(s.now);
        s.started.push(url.to_owned());
        self.changed.notify_all();
        s
    }

    /// Waits (at most `budget::GATE`) until `done` holds; says whether it did.
    fn wait_until<'a>(
        &self,
        s: std::sync::MutexGuard<'a, State>,
        done: impl Fn(&State) -> bool,
    ) -> (std::sync::MutexGuard<'a, State>, bool) {
        self.wait_within(s, grader::budget::GATE.get(), done)
    }

    /// Waits (at most `limit`) until `done` holds; says whether it did.
    fn wait_within<'a>(
        &self,
        s: std::sync::MutexGuard<'a, State>,
        limit: Duration,
        done: impl Fn(&State) -> bool,
    ) -> (std::sync::MutexGuard<'a, State>, bool) {
        if s.gave_up {
            let ok = done(&s);
            return (s, ok);
        }
        let (mut s, timeout) = self
            .changed
            .wait_timeout_while(s, limit, |s| !done(s))
            .unwrap_or_else(|e| e.into_inner());
        if timeout.timed_out() {
            s.gave_up = true;
        }
        let ok = done(&s);
        (s, ok)
    }

    /// A call of `fetch` ends.
    fn leave(&self, mut s: std::sync::MutexGuard<'_, State>) {
        s.now -= 1;
        self.changed.notify_all();
    }

    fn snapshot<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        f(&self.state.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

#[test]
fn returns_the_pages_in_url_order() {
    // u0 is held back until u2 has returned; then 50 plain URLs.
    let (held, plain, empty) = run(
        ID,
        "`fetch_all` on 3 URLs (limit 3) where u0 returns last, then on 20 URLs",
        "u0 waits for u2 to return: does `fetch_all` wait for u0 before it starts u2?",
        || {
            let net = Net::default();
            let urls3 = urls(3);
            let refs: Vec<&str> = urls3.iter().map(String::as_str).collect();
            let held = grader::in_pool!(|| {
                fetch_all(&refs, 3, |url| {
                    let s = net.enter(url);
                    let s = if url == "u0" {
                        net.wait_until(s, |s| s.started.iter().any(|u| u == "u2") && s.now == 1).0
                    } else {
                        s
                    };
                    net.leave(s);
                    Ok(page(url))
                })
            });
            let urls20 = urls(20);
            let refs: Vec<&str> = urls20.iter().map(String::as_str).collect();
            let plain = grader::in_pool!(|| fetch_all(&refs, 4, |url| Ok(page(url))));
            let empty = grader::in_pool!(|| fetch_all(&[], 4, |url| Ok(page(url))));
            (held, plain, empty)
        },
    );
    let want3: Vec<String> = urls(3).iter().map(|u| page(u)).collect();
    ensure(
        held.as_ref() == Ok(&want3),
        ID,
        format!(
            "u0 returned after u1 and u2, and `fetch_all` returned {held:?}, expected \
             {want3:?}: pages in URL order, not in the order the calls returned"
        ),
    );
    let want20: Vec<String> = urls(20).iter().map(|u| page(u)).collect();
    match &plain {
        Ok(pages) if *pages == want20 => {}
        Ok(pages) => fail(
            ID,
            format!(
                "`fetch_all` on u0..u19 returned {} pages, not one page per URL in URL order \
                 (first: {:?})",
                pages.len(),
                pages.first()
            ),
        ),
        Err(e) => fail(ID, format!("`fetch_all` returned Err({e:?}) although no call failed")),
    }
    ensure(
        empty == Ok(vec![]),
        ID,
        format!("`fetch_all(&[], 4, ..)` returned {empty:?}, expected Ok([])"),
    );
}

#[test]
fn never_more_than_limit_calls_at_once() {
    // Each call waits until more than 3 run, or every call has started:
    // an answer without a bound lets all 6 run together.
    let (result, max) = run(
        ID,
        "`fetch_all` on 6 URLs with limit 3",
        "Do the calls wait for each other in `fetch_all`?",
        || {
            let net = Net::default();
            let urls6 = urls(6);
            let refs: Vec<&str> = urls6.iter().map(String::as_str).collect();
            let result = grader::in_pool!(|| {
                fetch_all(&refs, 3, |url| {
                    let s = net.enter(url);
                    // A correct answer waits here in vain, once: 300 ms.
                    let (s, _) = net.wait_within(s, grader::budget::OVERLAP.get(), |s| s.now > 3 || s.started.len() == 6);
                    net.leave(s);
                    Ok(page(url))
                })
            });
            (result, net.snapshot(|s| s.max))
        },
    );
    ensure(
        max <= 3,
        ID,
        format!(
            "{max} calls of `fetch` ran at the same time with limit 3: something lets more \
             than `limit` run. Start `limit` workers that take URLs one after the other \
             (not one thread per URL), and let only them call `fetch`, not the calling thread \
             as well."
        ),
    );
    ensure(result.is_ok(), ID, format!("`fetch_all` returned {result:?} although no call failed"));
}

#[test]
fn runs_limit_calls_at_once() {
    // Each call waits until 4 run, or every call has started.
    let (result, max) = run(
        ID,
        "`fetch_all` on 8 URLs with limit 4",
        "Do the calls wait for each other in `fetch_all`?",
        || {
            let net = Net::default();
            let urls8 = urls(8);
            let refs: Vec<&str> = urls8.iter().map(String::as_str).collect();
            let result = grader::in_pool!(|| {
                fetch_all(&refs, 4, |url| {
                    let s = net.enter(url);
                    let (s, _) = net.wait_until(s, |s| s.now >= 4 || s.started.len() == 8);
                    net.leave(s);
                    Ok(page(url))
                })
            });
            (result, net.snapshot(|s| s.max))
        },
    );
    ensure(
        max >= 4,
        ID,
        format!(
            "with limit 4 and 8 URLs, at most {max} calls of `fetch` ever ran at once. If they \
             ran on rayon's pool, that is its width (2 threads here, one per core by default), \
             whatever `limit` says: blocking calls need threads of their own."
        ),
    );
    ensure(result.is_ok(), ID, format!("`fetch_all` returned {result:?} although no call failed"));
    // A limit above most machines' core count, and above a "sane" cap (64,
    // 100, 128): the limit is the caller's, not a number of cores. (Its own
    // gate, not `Net`: each call waits once, until BIG run or every URL has
    // started, and only the call that makes it so wakes the others, so that
    // 150 waiting calls do not wake each other at every start.)
    const BIG: usize = 150;
    // A few URLs more than the limit: enough for a capped pool to leave
    // some waiting, few enough that a thread per URL stays cheap.
    const MANY: usize = BIG + 10;
    let (result, max) = run(
        ID,
        "`fetch_all` on 160 URLs with limit 150",
        "Do the calls wait for each other in `fetch_all`?",
        || {
            // (running now, most at once, started, a wait ran out: then no
            // call waits any more, as with `Net`; when the last call started)
            let crowd = Mutex::new((0, 0, 0, false, std::time::Instant::now()));
            let together = Condvar::new();
            let many = urls(MANY);
            let refs: Vec<&str> = many.iter().map(String::as_str).collect();
            let result = grader::in_pool!(|| {
                fetch_all(&refs, BIG, |url| {
                    let mut c = crowd.lock().unwrap_or_else(|e| e.into_inner());
                    c.0 += 1;
                    c.1 = c.1.max(c.0);
                    c.2 += 1;
                    c.4 = std::time::Instant::now();
                    let here = |c: &(usize, usize, usize, bool, std::time::Instant)| {
                        c.1 >= BIG || c.2 == MANY || c.3
                    };
                    if here(&c) {
                        together.notify_all();
                    }
                    // A wait runs out only after `budget::GATE` without a
                    // new call: on a busy machine 150 threads take a while
                    // to start, but a capped pool starts none after its cap.
                    while !here(&c) {
                        let quiet = c.4.elapsed();
                        if quiet >= grader::budget::GATE.get() {
                            c.3 = true;
                            together.notify_all();
                            break;
                        }
                        c = together
                            .wait_timeout(c, grader::budget::GATE.get() - quiet)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                    c.0 -= 1;
                    Ok(page(url))
                })
            });
            let max = crowd.into_inner().unwrap_or_else(|e| e.into_inner()).1;
            (result, max)
        },
    );
    ensure(
        max >= BIG,
        ID,
        format!(
            "with limit {BIG} and {} URLs, at most {max} calls of `fetch` ever ran at once. Is \
             the number of workers capped, by the number of cores or by a constant? For calls \
             that wait on the network, `limit` is the caller's to choose: start `limit` \
             workers (or as many as there are URLs).",
            MANY
        ),
    );
    ensure(result.is_ok(), ID, format!("`fetch_all` returned {result:?} although no call failed"));
}

#[test]
fn a_slow_call_does_not_hold_up_the_others() {
    // Limit 2: u0 is slow, it returns only once every other URL, u1 to u5,
    // has started: the other slot must go on through all of them, whichever
    // worker they would have been dealt to.
    let (result, went_on, missing) = run(
        ID,
        "`fetch_all` on 6 URLs with limit 2, u0 slow",
        "u0 waits for u1..u5 to start: does `fetch_all` wait for u0 before starting more?",
        || {
            let net = Net::default();
            let urls6 = urls(6);
            let refs: Vec<&str> = urls6.iter().map(String::as_str).collect();
            let went_on = AtomicBool::new(true);
            let missing = Mutex::new(Vec::new());
            let result = grader::in_pool!(|| {
                fetch_all(&refs, 2, |url| {
                    let s = net.enter(url);
                    let s = if url == "u0" {
                        let (s, ok) = net.wait_until(s, |s| s.started.len() == 6);
                        went_on.store(ok, Ordering::SeqCst);
                        // What had not started when u0 stopped waiting.
                        *missing.lock().unwrap_or_else(|e| e.into_inner()) = urls(6)
                            .into_iter()
                            .filter(|u| !s.started.contains(u))
                            .collect();
                        s
                    } else {
                        s
                    };
                    net.leave(s);
                    Ok(page(url))
                })
            });
            let missing = missing.into_inner().unwrap_or_else(|e| e.into_inner());
            (result, went_on.into_inner(), missing)
        },
    );
    ensure(
        went_on,
        ID,
        format!(
            "with limit 2, while u0 was slow ({} ms), the other slot did not go on through \
             u1, u2, ... u5: {missing:?} never started, waiting behind the slow call while a \
             slot was free. Are \
             the URLs fetched in batches of `limit` that wait for each other, or dealt out to \
             the workers in advance (every n-th, or a chunk each)? Let each worker take the \
             next URL left as soon as its call returns.",
            grader::budget::GATE.ms()
        ),
    );
    ensure(result.is_ok(), ID, format!("`fetch_all` returned {result:?} although no call failed"));
}

/// Called by the check's `fetch` on a thread of a call run by
/// `Holds::run` (which gives the call's threads a kernel name of their own):
/// stays here until every other thread of the call is blocked in a `futex`
/// wait (with or without a deadline) and stays so, in the same wait and
/// without a single wake-up in between, for three looks in a row; or until a
/// thread of the call is seen in `thread::sleep`, or seen waking up again and
/// again (`POLLING_WAKEUPS` voluntary switches since the first look: on a
/// loaded machine a polling thread is more often waiting for a core than
/// asleep), or seen running on and on: a loop of `yield_now` or of bare
/// re-checks is never asleep and never blocked. On an idle machine it burns
/// a core (`SPINNING_CPU` of CPU time, the call's threads together, since
/// each was first seen); on a busy one
/// every `yield_now` gives its turn to another program, and the kernel
/// counts that as an involuntary switch (so switches of both kinds count
/// towards `POLLING_WAKEUPS`). It returns `true` then; or, at the latest, after
/// `budget::GATE` (and three looks). Unlike `Holds::hold_here`, a wait with a deadline does not
/// count against the call by itself: a `Condvar::wait_timeout` that the freed
/// slot wakes is a right answer's guard against a lost wake-up, and the call
/// gets its thread back as fast as with a plain `wait`; one that nobody wakes
/// wakes itself again and again. A sleep is never woken by a freed slot. (A
/// helper of this file: `grader::hold` tells a sleep from a deadline nowhere.)
/// Where `/proc` does not tell, it returns `false` at once.
/// Wake-ups of one thread, while the first call is slow, that only a polling
/// loop makes: a right answer's threads are blocked, and a guard of 50 ms on
/// a wait makes at most 10 in `budget::GATE`'s 500 ms.
const POLLING_WAKEUPS: u64 = 15;

/// CPU time the call's other threads may use, together, while the first
/// call is slow: a right answer's threads block within a fraction of a
/// millisecond each (rayon's idle workers spin for about 64 `yield_now`s
/// before they sleep), and five threads that spin get this much within
/// `budget::GATE` even on a machine busy with other programs.
const SPINNING_CPU: Duration = Duration::from_millis(10);

fn until_the_others_block() -> bool {
    let Ok(name) = std::fs::read_to_string("/proc/thread-self/comm") else {
        return false;
    };
    let Some(me) = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|l| l.file_name().map(|t| t.to_string_lossy().into_owned()))
    else {
        return false;
    };
    let started = std::time::Instant::now();
    let mut before: Option<Vec<(String, String, Option<u64>)>> = None;
    let mut same = 0;
    let mut first_seen: std::collections::HashMap<String, grader::timers::Effort> =
        std::collections::HashMap::new();
    // At least three looks, however long they take: on a machine busy
    // enough that this thread gets no core for the whole gate, one look
    // would see no thread move, spinning ones included.
    let mut looks = 0;
    while looks < 3 || started.elapsed() < grader::budget::GATE.get() {
        looks += 1;
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return false;
        };
        let mut now = Vec::new();
        let mut spun = Duration::ZERO;
        let mut all_blocked = true;
        for task in tasks.flatten() {
            let tid = task.file_name().to_string_lossy().into_owned();
            if tid == me {
                continue;
            }
            let dir = task.path();
            if std::fs::read_to_string(dir.join("comm")).ok().as_deref() != Some(name.as_str()) {
                continue;
            }
            let Ok(line) = std::fs::read_to_string(dir.join("syscall")) else {
                continue;
            };
            let line = line.trim_end().to_owned();
            if grader::timers::timed_wait(&line) == Some(grader::timers::TimerKind::Sleep) {
                return true;
            }
            // Switches of both kinds: a thread blocked in a wait leaves its
            // core once and stays off.
            let effort = grader::timers::Effort::of(&dir);
            if let Some(now) = effort {
                let first = *first_seen.entry(tid.clone()).or_insert(now);
                let since = now.since(first);
                spun += since.cpu;
                if spun >= SPINNING_CPU || since.voluntary + since.involuntary >= POLLING_WAKEUPS {
                    return true;
                }
            }
            let switches = effort.map(|e| e.voluntary + e.involuntary);
            if !grader::timers::in_a_futex_wait(&line) {
                all_blocked = false;
            }
            // The same line is not enough: a thread that woke up and went
            // back to the same wait has switched in between.
            now.push((tid, line, switches));
        }
        now.sort();
        if all_blocked && before.as_ref() == Some(&now) {
            same += 1;
            if same >= 2 {
                return false;
            }
        } else {
            same = 0;
        }
        before = all_blocked.then_some(now);
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

#[test]
fn a_url_waiting_for_its_slot_does_not_sleep() {
    // Limit 1, 6 URLs: the first call to start stays in the check's code
    // until every other thread of the call is blocked (`until_the_others_block`):
    // a right answer's other threads (if any) wait in a `join`, a lock or a
    // `recv`, and the call goes on within milliseconds. URLs that wait for
    // their slot by sleeping and looking again (a polling loop) are seen
    // asleep, however fast the machine: they would take the slot when their
    // sleep ends, not when it is freed.
    let holds = Holds::new(Release::OldestFirst);
    let (result, slept) = holds.run(
        ID,
        "`fetch_all` on 6 URLs with limit 1, the first call slow",
        || {
            "The first call waits until the other threads wait for it: does `fetch_all` wait \
             for a call that cannot start?"
                .to_owned()
        },
        move || {
            let urls6 = urls(6);
            let refs: Vec<&str> = urls6.iter().map(String::as_str).collect();
            let first = AtomicBool::new(true);
            let slept = AtomicBool::new(false);
            let result = fetch_all(&refs, 1, |url| {
                if first.swap(false, Ordering::SeqCst) && until_the_others_block() {
                    slept.store(true, Ordering::SeqCst);
                }
                Ok(page(url))
            });
            (result, slept.into_inner())
        },
    );
    ensure(
        !slept,
        ID,
        "with limit 1, while a call was slow, a thread of `fetch_all` slept, woke up again \
         and again, or kept running (a loop of `yield_now` or of bare re-checks): a URL that \
         waits for a free slot by sleeping and looking again takes the slot only when its \
         sleep ends, not when the slot is freed, and the slot stays empty meanwhile; one that \
         spins burns a core for nothing while it waits. Let a finished \
         call hand its slot on: workers that take the next URL as soon as their call returns, \
         or a wait that the freed slot wakes (`Condvar::wait`, a channel's `recv`).",
    );
    let want: Vec<String> = urls(6).iter().map(|u| page(u)).collect();
    ensure(
        result.as_ref() == Ok(&want),
        ID,
        format!("`fetch_all` on u0..u5 with limit 1 returned {result:?}, expected {want:?}"),
    );
}

#[test]
fn a_failing_call_is_the_error() {
    let result = run(
        ID,
        "`fetch_all` on 20 URLs with limit 2, u7 failing",
        "Nothing here blocks: does `fetch_all` wait for something?",
        || {
            let urls20 = urls(20);
            let refs: Vec<&str> = urls20.iter().map(String::as_str).collect();
            grader::in_pool!(|| {
                fetch_all(&refs, 2, |url| {
                    if url == "u7" {
                        Err(FetchError { url: url.to_owned() })
                    } else {
                        Ok(page(url))
                    }
                })
            })
        },
    );
    match result {
        Err(FetchError { url }) if url == "u7" => {}
        Ok(pages) => fail(
            ID,
            format!("`fetch_all` returned Ok with {} pages although u7 failed", pages.len()),
        ),
        Err(other) => fail(ID, format!("`fetch_all` returned Err({other:?}), but only u7 failed")),
    }
}

#[test]
fn starts_no_new_call_after_a_failure() {
    // Limit 3, 60 URLs. The first call to start fails once 3 run; calls
    // that started before wait for that failure; calls that start after it
    // take 1 ms each. A correct answer makes 3 calls, and each other worker
    // at most one more if it took a URL just before the failure: far below
    // `CALLS_AFTER_FAILURE`. Without a bound or without a stop, all 60 run.
    let (result, calls) = run(
        ID,
        "`fetch_all` on 60 URLs with limit 3, the first call failing",
        "Calls wait for the first one to fail: is it waiting for a call that cannot start?",
        || {
            let net = Net::default();
            let urls60 = urls(60);
            let refs: Vec<&str> = urls60.iter().map(String::as_str).collect();
            let result = grader::in_pool!(|| {
                fetch_all(&refs, 3, |url| {
                    let s = net.enter(url);
                    if s.failed {
                        net.leave(s);
                        std::thread::sleep(Duration::from_millis(1));
                        return Ok(page(url));
                    }
                    if s.started.len() == 1 {
                        let (mut s, _) = net.wait_until(s, |s| s.now >= 3);
                        s.failed = true;
                        net.leave(s);
                        return Err(FetchError { url: url.to_owned() });
                    }
                    let (s, _) = net.wait_until(s, |s| s.failed);
                    net.leave(s);
                    Ok(page(url))
                })
            });
            (result, net.snapshot(|s| s.started.len()))
        },
    );
    ensure(
        calls < CALLS_AFTER_FAILURE,
        ID,
        format!(
            "`fetch` was called {calls} times for 60 URLs with limit 3 although the first call \
             failed, and calls went on starting after it had: a failure must stop the workers \
             from taking more URLs. Set a flag when a call fails and check it before each new \
             call."
        ),
    );
    ensure(
        matches!(&result, Err(FetchError { url }) if url.starts_with('u')),
        ID,
        format!("`fetch_all` returned {result:?}, expected the failing call's error"),
    );
}
