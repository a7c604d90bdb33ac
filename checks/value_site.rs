// Checks for `value_site`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/value_site.rs`).

use exercise::Site;
use grader::run;
use std::sync::Barrier;
use std::thread;

const ID: &str = "value_site";

const NO_LOOP: &str = "`view` takes one lock and adds one; a thread waiting for a lock that \
                       is never given back is the likely cause (held by another thread, or by \
                       itself: a `Mutex` is not reentrant, and locking it again while a guard \
                       is alive waits for ever).";

#[test]
fn view_counts_each_view_once() {
    let (home, about, never) = run(
        ID,
        "`site.view(\"home\")` x3, `site.view(\"about\")` x1",
        NO_LOOP,
        || {
            let site = Site::default();
            for page in ["home", "about", "home", "home"] {
                site.view(page);
            }
            (site.views("home"), site.views("about"), site.views("never"))
        },
    );
    let other = run(
        ID,
        "`site.view(\"home\")`, then `Site::default().views(\"home\")` on a new site",
        NO_LOOP,
        || {
            let site = Site::default();
            site.view("home");
            Site::default().views("home")
        },
    );
    grader::ensure(
        other == 0,
        ID,
        format!(
            "a new site, `Site::default()`, says \"home\" was viewed {other} times, though \
             nobody viewed it on that site (only on another one): every site starts a table \
             of its own, and only its clones share it. Is the table global?"
        ),
    );
    if (home, about) == (0, 0) {
        grader::fail(
            ID,
            "after 4 calls of `view` on one site, `views` counts 0 for every page: each view \
             went into something that was dropped. What does `view` update: the site's table, \
             or a copy of it?",
        );
    }
    grader::ensure(
        (home, about, never) == (3, 1, 0),
        ID,
        format!(
            "after `view(\"home\")` 3 times and `view(\"about\")` once, `views` says home={home}, \
             about={about}, never={never}; expected 3, 1 and 0"
        ),
    );
}

#[test]
fn handles_cloned_from_a_site_share_one_table() {
    let (seen_by_original, seen_by_worker, seen_by_grandchild) = run(
        ID,
        "`worker = site.clone(); worker.view(\"home\"); site.view(\"home\")`",
        NO_LOOP,
        || {
            let site = Site::default();
            site.view("home"); // counted before any handle exists
            let worker = site.clone();
            worker.view("home");
            site.view("home");
            let grandchild = worker.clone();
            grandchild.view("home");
            (
                site.views("home"),
                worker.views("home"),
                grandchild.views("home"),
            )
        },
    );
    let seen = [seen_by_original, seen_by_worker, seen_by_grandchild];
    if seen == [0, 0, 0] {
        grader::fail(
            ID,
            "4 views of \"home\" through a site and its clones, and no handle counts any: \
             `view` changes something that is dropped (see `view_counts_each_view_once`)",
        );
    }
    if seen[0] == seen[1] && seen[1] == seen[2] {
        grader::ensure(
            seen[0] == 4,
            ID,
            format!(
                "4 views of \"home\" through a site, a clone of it and a clone of the clone: \
                 every handle says {}, so they share one table, but 4 views should count 4. \
                 Does `view` add one to the page's count?",
                seen[0]
            ),
        );
    }
    grader::ensure(
        seen == [4, 4, 4],
        ID,
        format!(
            "4 views of \"home\" through a site, a clone of it and a clone of the clone; \
             `views(\"home\")` says {seen_by_original} on the site, {seen_by_worker} on the \
             clone and {seen_by_grandchild} on the clone's clone; expected 4 on each. Does \
             `clone` give a second handle on the same table, or a table of its own?"
        ),
    );
}

#[test]
fn views_from_many_threads_all_count() {
    const THREADS: u64 = 4;
    const EACH: u64 = 2000;
    // The same, with a page whose name is 16 KiB long: each `view` then
    // hashes and copies the name, so a `view` that reads and stores in two
    // steps (or skips a busy lock) spends long in them, and threads meet
    // there even on a loaded machine, where the short passes of 4 threads
    // can run one after the other within a time slice and never meet.
    const LONG_EACH: u64 = 200;
    const LONG_NAME: usize = 16 * 1024;
    // Threads that read a count and store it plus one in two steps lose a
    // view only when they meet in between: no hook of the check can hold a
    // thread inside the learner's `view`, so the check makes them meet often
    // instead of once: up to ROUNDS rounds on fresh sites, every thread
    // starting each pass at a barrier, until one pass loses a view. A right
    // fix runs every round (a few milliseconds each); on a machine so busy
    // that the rounds take a quarter of the watchdog's limit, no new round
    // starts, so the check still ends long before the watchdog.
    const ROUNDS: usize = 20;
    let (total, each, which) = run(
        ID,
        "4 threads, each with its own `site.clone()`, calling `view(\"home\")` 2000 times \
         (and `view` of a page with a 16 KiB name 200 times)",
        NO_LOOP,
        || {
            let long_page = format!("home{}", "/x".repeat(LONG_NAME / 2));
            let pass = |page: &str, each: u64| {
                let site = Site::default();
                let start = Barrier::new(THREADS as usize);
                thread::scope(|s| {
                    for _ in 0..THREADS {
                        let worker = site.clone();
                        let start = &start;
                        s.spawn(move || {
                            start.wait(); // all threads view at once
                            for _ in 0..each {
                                worker.view(page);
                            }
                        });
                    }
                });
                site.views(page)
            };
            let started = std::time::Instant::now();
            let mut seen = (0, EACH, "\"home\"");
            for _ in 0..ROUNDS {
                seen = (pass("home", EACH), EACH, "\"home\"");
                if seen.0 != THREADS * EACH {
                    break;
                }
                seen = (pass(&long_page, LONG_EACH), LONG_EACH, "a page with a 16 KiB name");
                if seen.0 != THREADS * LONG_EACH || started.elapsed() > grader::limit() / 4 {
                    break;
                }
            }
            seen
        },
    );
    grader::ensure(
        total != 0,
        ID,
        format!(
            "{THREADS} threads viewed {which} {each} times each, through clones of one site, \
             and the site counts none of it: do the clones share the site's table, and does \
             `view` change it (see the other two checks)?"
        ),
    );
    grader::ensure(
        total == THREADS * each,
        ID,
        format!(
            "{THREADS} threads viewed {which} {each} times each, through clones of one site; \
             the site counts {total}, expected {}{}",
            THREADS * each,
            if total <= THREADS {
                ". Does `view` add one to the page's count?"
            } else if total < THREADS * each {
                ": views were lost when threads met in `view`. Is each view counted under one \
                 lock, from reading the count to storing it?"
            } else {
                ": more views than were made. Does this site share its table with other sites?"
            }
        ),
    );
}
