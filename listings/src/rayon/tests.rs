use super::bench::cores;
use super::*;
use std::panic::{self, AssertUnwindSafe};

#[test]
fn checksum_is_the_same_function_as_go() {
    // go/rayon/batch_test.go checks the same value for fanout.Checksum.
    assert_eq!(checksum(7, 1000), 0xbb3b_d08b_b4e7_0c5a);
}

#[test]
fn collect_keeps_item_order_whatever_finishes_first() {
    let last_done = Gate::default();
    let squares = in_pool(2, || {
        checksum_all(8, |i| {
            if i == 0 {
                assert!(last_done.wait(Duration::from_secs(10)), "item 7 never ran");
            }
            if i == 7 {
                last_done.open();
            }
            Ok(i * i)
        })
    });
    assert_eq!(squares, Ok(vec![0, 1, 4, 9, 16, 25, 36, 49]));
}

#[test]
fn collect_returns_the_failed_items_error_while_a_lower_item_runs() {
    let failed_999 = Gate::default();
    let result = in_pool(2, || {
        checksum_all(1000, |i| match i {
            1 => {
                assert!(failed_999.wait(Duration::from_secs(10)));
                Ok(1)
            }
            999 => {
                failed_999.open();
                Err(BadItem(999))
            }
            _ => Ok(i),
        })
    });
    assert_eq!(
        result,
        Err(BadItem(999)),
        "item 999's error, whatever item 1 does"
    );
}

// ANCHOR: try_for_each
/// Go's `Indexed` shape: a slot per item, filled in parallel; `try_for_each`
/// stops handing out items at the first `Err`.
fn checksum_into(
    slots: &mut [u64],
    work: impl Fn(u64) -> Result<u64, BadItem> + Sync,
) -> Result<(), BadItem> {
    slots.par_iter_mut().enumerate().try_for_each(|(i, slot)| {
        *slot = work(i as u64)?;
        Ok(())
    })
}
// ANCHOR_END: try_for_each

#[test]
fn try_for_each_fills_every_slot_or_stops_early() {
    let mut slots = vec![0; 5];
    assert_eq!(checksum_into(&mut slots, |i| Ok(i + 10)), Ok(()));
    assert_eq!(slots, [10, 11, 12, 13, 14]);

    let calls = AtomicUsize::new(0);
    let mut slots = vec![0; 100_000];
    let result = in_pool(2, || {
        checksum_into(&mut slots, |i| {
            calls.fetch_add(1, Ordering::Relaxed);
            if i == 0 { Err(BadItem(0)) } else { Ok(i) }
        })
    });
    assert_eq!(result, Err(BadItem(0)));
    // Not a timing claim: only "it did not process everything".
    assert!(calls.into_inner() < 100_000);
}

#[test]
fn join_returns_both_and_a_panic_reaches_the_caller_after_the_other_side_finished() {
    assert_eq!(
        ::rayon::join(|| checksum(1, 10), || 2 + 2),
        (checksum(1, 10), 4)
    );
    let other_finished = AtomicBool::new(false);
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        in_pool(2, || {
            ::rayon::join(
                || panic!("item 3 is corrupt"),
                || other_finished.store(true, Ordering::SeqCst),
            )
        })
    }));
    let payload = caught.expect_err("the panic reaches the caller of join");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"item 3 is corrupt"));
    assert!(other_finished.load(Ordering::SeqCst));
}

// ANCHOR: scope
/// `rayon::scope`: tasks may borrow (`totals`), `scope` returns when every
/// task has finished, and a task's panic comes out of `scope` then.
fn totals(batches: &[Vec<u64>]) -> Vec<u64> {
    let totals: Vec<AtomicU64> = batches.iter().map(|_| AtomicU64::new(0)).collect();
    ::rayon::scope(|s| {
        for (batch, total) in batches.iter().zip(&totals) {
            s.spawn(move |_| total.store(batch.iter().sum(), Ordering::Relaxed));
        }
    });
    totals.into_iter().map(AtomicU64::into_inner).collect()
}
// ANCHOR_END: scope

use std::sync::atomic::AtomicU64;

#[test]
fn scope_tasks_borrow_finish_and_a_panic_propagates() {
    assert_eq!(totals(&[vec![1, 2], vec![3], vec![]]), [3, 3, 0]);
    let finished = AtomicUsize::new(0);
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        in_pool(2, || {
            ::rayon::scope(|s| {
                for i in 0..4 {
                    let finished = &finished;
                    s.spawn(move |_| {
                        if i == 2 {
                            panic!("task 2 failed");
                        }
                        finished.fetch_add(1, Ordering::SeqCst);
                    });
                }
            })
        })
    }));
    assert!(caught.is_err(), "scope passes the task's panic on");
    assert_eq!(finished.into_inner(), 3, "after every other task finished");
}

#[test]
fn a_panic_in_a_parallel_iterator_reaches_the_caller_and_the_pool_lives_on() {
    let pool = ::rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        pool.install(|| {
            (0..1000u64).into_par_iter().for_each(|i| {
                if i == 500 {
                    panic!("item 500 is corrupt");
                }
            })
        })
    }));
    assert_eq!(
        caught
            .expect_err("the panic reaches install's caller")
            .downcast_ref::<&str>(),
        Some(&"item 500 is corrupt")
    );
    let sum: u64 = pool.install(|| (0..10u64).into_par_iter().sum());
    assert_eq!(sum, 45, "the pool still works");
}

#[test]
fn blocking_calls_occupy_the_whole_pool_and_scoped_workers_do_not_share_it() {
    let mut out = Vec::new();
    starve(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("2-thread rayon pool:  at most 2 of 8"),
        "{text}"
    );
    assert!(
        text.contains("8 scoped workers:     at most 8 of 8"),
        "{text}"
    );
}

#[test]
fn fetch_all_runs_at_most_n_calls_and_keeps_order() {
    let in_flight = InFlight::default();
    let urls: Vec<String> = (0..12).map(|i| format!("u{i}")).collect();
    let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
    let pages: Result<Vec<String>, ()> = fetch_all(&urls, 4, |u| {
        in_flight.call(4, 4, 12, Duration::ZERO);
        Ok(u.to_uppercase())
    });
    assert_eq!(in_flight.max.into_inner(), 4);
    assert_eq!(pages.unwrap()[..3], ["U0", "U1", "U2"]);
}

#[test]
fn fetch_all_starts_no_call_after_a_failure_once_the_workers_see_it() {
    let calls = AtomicUsize::new(0);
    let urls = ["u"; 1000];
    let result: Result<Vec<()>, &str> = fetch_all(&urls, 4, |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Err("503")
        } else {
            // 1 ms a call: the other workers cannot run through the batch
            // in the moment between the failure and the flag.
            std::thread::sleep(Duration::from_millis(1));
            Ok(())
        }
    });
    assert_eq!(result, Err("503"));
    // Each worker checks the flag before its next call; the three others
    // may be in a call, or past their check, when the first one fails.
    // Not a timing claim: far from all 1000.
    assert!(calls.into_inner() < 1000);
}

#[test]
fn find_line_stops_mid_record_after_a_hit() {
    // Two long records; line 10 of record 1 is the hit. Once it is found,
    // every further look takes 10 µs, and none should be needed for long.
    let records = vec![vec![0u32; 200_000], {
        let mut r = vec![0u32; 200_000];
        r[10] = 1;
        r
    }];
    let hit = AtomicBool::new(false);
    let after = AtomicUsize::new(0);
    let found = in_pool(2, || {
        find_line(&records, |&line| {
            if hit.load(Ordering::SeqCst) {
                after.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_micros(10));
            }
            if line == 1 {
                hit.store(true, Ordering::SeqCst);
            }
            line == 1
        })
    });
    assert_eq!(found, Some((1, 10)));
    assert!(
        after.into_inner() < 100_000,
        "record 0 was not scanned to its end"
    );
}

/// Parses a benchmark report: the wall-time rows ("name cores") and the
/// error rows' items-run column.
fn bench_shape(text: &str) -> (usize, u64, Vec<String>, Vec<(String, u64)>) {
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    let words: Vec<&str> = header.split_whitespace().collect();
    assert!(header.starts_with("Rust: "), "{header}");
    let cpus: usize = words[4].parse().expect("CPUs in the header");
    let items: u64 = words[6].parse().expect("items in the header");
    let (mut wall, mut errors) = (Vec::new(), Vec::new());
    for line in lines {
        let name = line.get(..34).unwrap_or("").trim_end();
        let cols: Vec<&str> = line.get(34..).unwrap_or("").split_whitespace().collect();
        let number = |s: &str| s.parse::<f64>().is_ok();
        match cols[..] {
            [c, m, r] if number(m) && number(r) => wall.push(format!("{name} {c}")),
            [m, n] if number(m) => errors.push((name.to_owned(), n.parse().unwrap())),
            _ => {}
        }
    }
    (cpus, items, wall, errors)
}

/// `strict`: the cancelling rows also ran fewer than all items, which holds
/// for the committed measurement; on the tiny job of `bench_report_has_every_row`
/// the rest of the items take microseconds, so a worker preempted between its
/// failure and setting the flag could see them all run.
fn check_bench_shape(text: &str, strict: bool) {
    let (cpus, items, wall, errors) = bench_shape(text);
    let mut want = vec!["sequential loop 1".to_owned()];
    for v in ["thread::scope, N workers", "rayon, N-thread pool"] {
        for p in cores() {
            want.push(format!("{v} {p}"));
        }
    }
    assert_eq!(wall, want, "{text}");
    assert_eq!(cpus, *cores().last().unwrap());
    let names: Vec<&str> = errors.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "thread::scope, no cancel flag",
            "thread::scope, N workers",
            "rayon, N-thread pool"
        ],
        "{text}"
    );
    assert_eq!(errors[0].1, items, "without a flag every item runs");
    for (name, n) in &errors[1..] {
        assert!(
            (items / 2..=items).contains(n) && !(strict && *n == items),
            "{name}: {n} items ran of {items}"
        );
    }
}

#[test]
fn bench_report_has_every_row() {
    let mut out = Vec::new();
    bench::report(
        &mut out,
        bench::Config {
            items: 200,
            rounds: 100,
            runs: 2,
        },
    )
    .unwrap();
    check_bench_shape(&String::from_utf8(out).unwrap(), false);
}

#[test]
fn the_committed_measurement_has_every_row() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/output/rayon_bench.txt");
    check_bench_shape(
        &std::fs::read_to_string(path).expect("output/rayon_bench.txt"),
        true,
    );
}
