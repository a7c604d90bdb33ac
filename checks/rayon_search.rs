// Checks for `rayon_search`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/rayon_search.rs`).
//
// Each check runs `find_hit` inside a rayon pool of its own (2 threads).
// A value says where it is: `record * 1_000_000 + position`. The `is_hit`
// closures are the checks' own: they count calls, hold a value back until
// another thread has got somewhere, and count the values looked at after
// the hit. Their waits are bounded well below the grader's watchdog.

use exercise::{Hit, find_hit};
use grader::{ensure, fail, run};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

const ID: &str = "rayon_search";

/// Values looked at after the hit that a correct answer never gets near:
/// it stops within a few values.
const LOOKS_AFTER_HIT: usize = 1000;

fn records(n: usize, len: usize) -> Vec<Vec<u64>> {
    (0..n)
        .map(|r| (0..len).map(|i| (r * 1_000_000 + i) as u64).collect())
        .collect()
}

fn at(value: u64) -> (usize, usize) {
    ((value / 1_000_000) as usize, (value % 1_000_000) as usize)
}

/// A one-shot gate with a bounded wait.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    changed: Condvar,
}

impl Gate {
    fn open(&self) {
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.changed.notify_all();
    }
    fn is_open(&self) -> bool {
        *self.open.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Waits until the gate is open or `budget::GATE` has passed; says which.
    fn wait(&self) -> bool {
        let open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let (open, _) = self
            .changed
            .wait_timeout_while(open, grader::budget::GATE.get(), |open| !*open)
            .unwrap_or_else(|e| e.into_inner());
        *open
    }
}

#[test]
fn returns_the_only_hit() {
    // Three records of 1000 values with the hit in the middle; then records
    // of uneven lengths (an empty one among them) with the hit at the very
    // first value, record 0 value 0 (a place like any other, not a "no hit"
    // marker), and at the last value of a short record.
    let cases: [(&'static [usize], (usize, usize)); 3] = [
        (&[1000, 1000, 1000], (2, 500)),
        (&[1000, 0, 3, 1000], (0, 0)),
        (&[1000, 0, 3, 1000], (2, 2)),
    ];
    for (lens, (hit_r, hit_i)) in cases {
        only_hit(lens, hit_r, hit_i);
    }
}

/// Records of `lens` values (a value says where it is), one hit at record
/// `hit_r`, value `hit_i`.
fn only_hit(lens: &'static [usize], hit_r: usize, hit_i: usize) {
    let shape = format!(
        "{} records of {} values",
        lens.len(),
        lens.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
    );
    let (found, twice) = run(
        ID,
        &format!("`find_hit` on {shape}, one hit at record {hit_r}, value {hit_i}"),
        "Nothing here blocks: does `find_hit` wait for something?",
        move || {
            let records: Vec<Vec<u64>> = lens
                .iter()
                .enumerate()
                .map(|(r, &len)| (0..len).map(|i| (r * 1_000_000 + i) as u64).collect())
                .collect();
            // How many times each value was looked at, by (record, position).
            let looks: Vec<Vec<AtomicUsize>> = lens
                .iter()
                .map(|&len| (0..len).map(|_| AtomicUsize::new(0)).collect())
                .collect();
            let found = grader::in_pool!(|| {
                find_hit(&records, |v| {
                    let (r, i) = at(v);
                    looks[r][i].fetch_add(1, Ordering::SeqCst);
                    (r, i) == (hit_r, hit_i)
                })
            });
            let twice = looks.iter().enumerate().find_map(|(r, values)| {
                values.iter().enumerate().find_map(|(i, n)| {
                    let n = n.load(Ordering::SeqCst);
                    (n > 1).then_some(((r, i), n))
                })
            });
            (found, twice)
        },
    );
    ensure(
        found == Some(Hit { record: hit_r, value: hit_i }),
        ID,
        format!(
            "on {shape}, `find_hit` returned {found:?} for the only hit, at Hit {{ record: \
             {hit_r}, value: {hit_i} }}. If it was None: did the thread that found the hit \
             stop too, when it saw the flag it had just set? Is a hit at record 0, value 0 \
             told apart from \"no hit yet\"?"
        ),
    );
    if let Some(((r, i), n)) = twice {
        fail(
            ID,
            format!(
                "`find_hit` called `is_hit` {n} times on the value at record {r}, position {i}: \
                 once per value. Does it look for a hit first and then again for where it is? \
                 Keep the position of the value that matched."
            ),
        );
    }
}

#[test]
fn returns_one_of_several_hits() {
    let hits = [(0, 900), (1, 10), (3, 400)];
    let found = run(
        ID,
        "`find_hit` on 4 records with hits at (0, 900), (1, 10), (3, 400)",
        "Nothing here blocks: does `find_hit` wait for something?",
        move || grader::in_pool!(|| find_hit(&records(4, 1000), |v| hits.contains(&at(v)))),
    );
    match found {
        Some(Hit { record, value }) if hits.contains(&(record, value)) => {}
        Some(other) => fail(ID, format!("`find_hit` returned {other:?}, which is not a hit")),
        None => fail(ID, "`find_hit` returned None although three values are hits"),
    }
}

#[test]
fn none_when_nothing_matches_calling_is_hit_once_each() {
    let (found, calls) = run(
        ID,
        "`find_hit` on 20 records of 500 values, no hit",
        "Nothing here blocks: does `find_hit` wait for something?",
        || {
            let calls = AtomicUsize::new(0);
            let found = grader::in_pool!(|| {
                find_hit(&records(20, 500), |_| {
                    calls.fetch_add(1, Ordering::Relaxed);
                    false
                })
            });
            (found, calls.into_inner())
        },
    );
    ensure(found.is_none(), ID, format!("`find_hit` returned {found:?} although nothing matches"));
    ensure(
        calls == 10_000,
        ID,
        format!("`find_hit` called `is_hit` {calls} times for 10 000 values: once per value"),
    );
    let empty = run(ID, "`find_hit(&[], ..)`", "", || grader::in_pool!(|| find_hit(&[], |_| true)));
    ensure(empty.is_none(), ID, format!("`find_hit(&[], ..)` returned {empty:?}"));
}

#[test]
fn stops_mid_record_after_a_hit() {
    // Two records of 200 000 values. Record 0's first value waits until the
    // hit is found; the hit (record 1, value 10) waits until record 0 is
    // being scanned. After the hit every look counts and takes 0.1 ms
    // (for `budget::SLOWED` at most), until the verdict is clear.
    let (found, after) = run(
        ID,
        "`find_hit` on 2 records of 200 000 values, the hit at record 1, value 10",
        "Does `find_hit` wait for something after the hit?",
        || {
            let r0_started = Gate::default();
            let hit_found = Gate::default();
            let after = AtomicUsize::new(0);
            let hit_at = std::sync::OnceLock::new();
            let found = grader::in_pool!(|| {
                find_hit(&records(2, 200_000), |v| {
                    if hit_found.is_open() {
                        if after.fetch_add(1, Ordering::SeqCst) < LOOKS_AFTER_HIT
                            && hit_at.get().is_some_and(|t: &Instant| t.elapsed() < grader::budget::SLOWED.get())
                        {
                            thread::sleep(Duration::from_micros(100));
                        }
                        return false;
                    }
                    match at(v) {
                        (0, 0) => {
                            r0_started.open();
                            hit_found.wait();
                            false
                        }
                        (1, 10) => {
                            r0_started.wait();
                            hit_at.get_or_init(Instant::now);
                            hit_found.open();
                            true
                        }
                        _ => false,
                    }
                })
            });
            (found, after.into_inner())
        },
    );
    ensure(
        after < LOOKS_AFTER_HIT,
        ID,
        format!(
            "after the hit in record 1, `find_hit` still called `is_hit` on {after} values of \
             record 0, which was being scanned when the hit was found. `find_map_any` only \
             stops handing out records; a shared flag stops a record mid-scan only if the \
             thread that finds a hit sets it and every scan checks it before each value."
        ),
    );
    ensure(
        found == Some(Hit { record: 1, value: 10 }),
        ID,
        format!("`find_hit` returned {found:?}, expected Some(Hit {{ record: 1, value: 10 }})"),
    );
}

#[test]
fn searches_records_in_parallel() {
    // The first values of records 0 and 1 each wait until the other one
    // has been looked at.
    let (found, together) = run(
        ID,
        "`find_hit` on 2 records whose first values wait for each other",
        "Do values wait for each other in `find_hit`?",
        || {
            let r0 = Gate::default();
            let r1 = Gate::default();
            let together = AtomicBool::new(true);
            let found = grader::in_pool!(|| {
                find_hit(&records(2, 100), |v| {
                    match at(v) {
                        (0, 0) | (1, 0) => {
                            let (mine, other) = if at(v).0 == 0 { (&r0, &r1) } else { (&r1, &r0) };
                            mine.open();
                            if !other.wait() {
                                together.store(false, Ordering::SeqCst);
                            }
                        }
                        _ => {}
                    }
                    at(v) == (1, 50)
                })
            });
            (found, together.into_inner())
        },
    );
    ensure(
        together,
        ID,
        "records 0 and 1 were never searched at the same time: `find_hit` scans one record \
         after the other. Use `records.par_iter()`.",
    );
    ensure(
        found == Some(Hit { record: 1, value: 50 }),
        ID,
        format!("`find_hit` returned {found:?}, expected Some(Hit {{ record: 1, value: 50 }})"),
    );
}
