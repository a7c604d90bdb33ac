//! Exercise `find_sum`: write a test that fails instead of hanging.
//! Reference test: every call runs on a thread of its own, and the test waits
//! for its answer at most 500 ms (`recv_timeout`). A call that has not
//! answered by then fails the test; its thread is left behind, blocked, but
//! the test run goes on and says why.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;
use suspects::sum::SumJob;

/// The longest a correct `sum_job` may take here: milliseconds in practice.
const LIMIT: Duration = Duration::from_millis(500);

/// Runs `J::sum_job(batches)` and returns its total, or panics if it has not
/// returned within `LIMIT`.
fn sum_within_limit<J: SumJob>(batches: Vec<Vec<u64>>) -> u64 {
    let what = format!("sum_job of {} batches", batches.len());
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        // The test may have given up: then nobody listens, and that is fine.
        let _ = tx.send(J::sum_job(batches));
    });
    match rx.recv_timeout(LIMIT) {
        Ok(total) => total,
        Err(_) => panic!("{what} did not return within {LIMIT:?}: it is probably blocked"),
    }
}

/// Your test of `J::sum_job`.
pub fn sum_job_test<J: SumJob>() {
    assert_eq!(sum_within_limit::<J>(vec![]), 0, "no batch at all");
    assert_eq!(sum_within_limit::<J>(vec![vec![1, 2], vec![3]]), 6);
    // Batches larger than the channel's buffer, so a consumer that is not
    // reading while the producers send shows up.
    let big: Vec<Vec<u64>> = (0..3)
        .map(|b| (0..100).map(|n| b * 100 + n).collect())
        .collect();
    assert_eq!(sum_within_limit::<J>(big), (0..300).sum::<u64>());
}
