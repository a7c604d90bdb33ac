//! Exercise `find_consumer`: write the test that catches a consumer left
//! running.
//!
//! This time you do not fix the job: you write the test that would have
//! caught the incident before it shipped. `consumer_test::<J>()` tests any
//! implementation `J` of the job's contract (`suspects::consumer::Job`, read
//! it: `support/suspects/src/consumer.rs`). It passes when `J` keeps the
//! contract and panics (an `assert!` that fails) when it does not.
//!
//! The grader runs your test against correct implementations, which it must
//! pass, and against leaky ones, which it must catch. The test below only
//! checks the return value: it catches a job that loses the error, but not
//! one that leaks. Make it see the consumer.

use suspects::consumer::{Batch, Job, ReadError};

/// Your test of `J::run_job`.
pub fn consumer_test<J: Job>() {
    let batches: Vec<Batch> = vec![
        vec![Ok(1), Ok(2), Err(ReadError("record 3: corrupt".into()))],
        vec![Ok(10), Ok(20)],
    ];
    let result = J::run_job(batches, Box::new(|_record| {}));
    assert!(result.is_err(), "a failed read must make run_job fail");
}
