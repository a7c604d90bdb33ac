//! Exercise `find_runner`: write the test that catches a long-lived service
//! leaking one consumer per failed job. Reference test: every job gets a sink
//! whose drop the test can see (an `Arc` in the sink, a `Weak` in the test),
//! and the test looks at each failed job's consumer right after its `run`
//! returned, before anything else runs. Failed jobs out of alphabetical
//! order, one failing twice apart and one twice in a row, and the alert list
//! at the end.

use std::sync::{Arc, Weak};
use suspects::consumer::{Batch, ReadError, Sink};
use suspects::runner::Runner;

fn watched_sink() -> (Sink, Weak<()>) {
    let alive = Arc::new(());
    let handle = Arc::downgrade(&alive);
    let sink: Sink = Box::new(move |_record| {
        let _owned_by_the_consumer = &alive;
    });
    (sink, handle)
}

fn failing_batches(job: &str) -> Vec<Batch> {
    vec![
        vec![
            Ok(1),
            Ok(2),
            Err(ReadError(format!("{job}: record 3: corrupt"))),
        ],
        vec![Ok(4), Ok(5)],
    ]
}

/// Your test of a `Runner`.
pub fn runner_test<R: Runner>() {
    let mut runner = R::default();
    // Failed names out of alphabetical order, one job failing twice and one
    // twice in a row: a list sorted, keyed by name or kept per streak shows.
    let jobs = [
        ("nightly-import", true),
        ("billing", false),
        ("audit", true),
        ("audit", true),
        ("nightly-import", true),
        ("billing", true),
    ];
    for (name, fails) in jobs {
        let (sink, consumer) = watched_sink();
        let batches = if fails {
            failing_batches(name)
        } else {
            vec![vec![Ok(1), Ok(2)], vec![Ok(3)]]
        };
        let result = runner.run(name, batches, sink);
        assert_eq!(result.is_err(), fails, "{name}: wrong result {result:?}");
        assert!(
            consumer.upgrade().is_none(),
            "{name}: its consumer still owned the sink when run returned"
        );
    }
    assert_eq!(
        runner.failures(),
        [
            "nightly-import",
            "audit",
            "audit",
            "nightly-import",
            "billing"
        ]
    );
}
