//! Exercise `find_runner`: write the test that catches a long-lived service
//! leaking one consumer per failed job.
//!
//! `runner_test::<R>()` tests any implementation of
//! `suspects::runner::Runner` (read `support/suspects/src/runner.rs`): a
//! service that runs job after job and lists the failed ones for the alert.
//! The test below checks the alert only. Make it also catch a runner whose
//! failed jobs leave their consumer running after `run` has returned.

use suspects::consumer::ReadError;
use suspects::runner::Runner;

/// Your test of a `Runner`.
pub fn runner_test<R: Runner>() {
    let mut runner = R::default();
    let result = runner.run(
        "nightly-import",
        vec![vec![
            Ok(1),
            Ok(2),
            Err(ReadError("record 3: corrupt".into())),
        ]],
        Box::new(|_record| {}),
    );
    assert!(result.is_err(), "a failed read must make the job fail");
    assert_eq!(runner.failures(), ["nightly-import"]);
}
