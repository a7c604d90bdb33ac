//! Exercise `find_sum`: write a test that fails instead of hanging.
//!
//! `sum_job` (chapter 1's first exercise) adds up every number of every batch.
//! Its worst bug does not return a wrong answer: the call never returns. A
//! test that calls it directly hangs with it, and a hanging test is the one
//! that gets `#[ignore]`d. `sum_job_test::<J>()` tests any implementation of
//! `suspects::sum::SumJob` (read `support/suspects/src/sum.rs`): it passes
//! when `J` keeps the contract and panics when it does not, within 500 ms
//! per call, even when `J::sum_job` never returns.

use suspects::sum::SumJob;

/// Your test of `J::sum_job`.
pub fn sum_job_test<J: SumJob>() {
    assert_eq!(J::sum_job(vec![vec![1, 2], vec![3]]), 6);
}
