//! Exercise `find_consumer`: write the test that catches a consumer left
//! running. Reference test: the sink owns an `Arc`, the test keeps a `Weak`
//! of it. The consumer drops the sink when it ends, so the moment `run_job`
//! returns, `Weak::upgrade` says whether the consumer is still running.

use std::sync::{Arc, Weak};
use suspects::consumer::{Batch, Job, ReadError, Sink};

/// A sink that ignores its records, and a handle that tells whether the sink
/// (so the consumer that owns it) is still alive.
fn watched_sink() -> (Sink, Weak<()>) {
    let alive = Arc::new(());
    let handle = Arc::downgrade(&alive);
    let sink: Sink = Box::new(move |_record| {
        let _owned_by_the_consumer = &alive;
    });
    (sink, handle)
}

fn failed_read(what: &str) -> Result<u64, ReadError> {
    Err(ReadError(what.to_owned()))
}

/// Your test of `J::run_job`.
pub fn consumer_test<J: Job>() {
    // A clean job: the total, and nothing left running.
    let (sink, consumer) = watched_sink();
    let clean: Vec<Batch> = vec![vec![Ok(1), Ok(2)], vec![Ok(3)]];
    assert_eq!(
        J::run_job(clean, sink),
        Ok(6),
        "a clean job returns its total"
    );
    assert!(
        consumer.upgrade().is_none(),
        "after a clean job, the consumer still owned the sink when run_job returned"
    );

    // Reads that fail after records were sent, and one that fails at once,
    // among readers that succeed: an error, and nothing left running *the
    // moment* run_job returns (no sleeping first: a consumer that ends a
    // little later is still a consumer that outlived its job).
    let shapes: Vec<Vec<Batch>> = vec![
        vec![
            vec![Ok(1), Ok(2), failed_read("record 3")],
            (0..20).map(Ok).collect(),
        ],
        vec![vec![failed_read("record 1")], vec![Ok(5)]],
    ];
    for batches in shapes {
        let (sink, consumer) = watched_sink();
        let result = J::run_job(batches, sink);
        assert!(result.is_err(), "a failed read must make run_job fail");
        assert!(
            consumer.upgrade().is_none(),
            "after a failed read, the consumer still owned the sink when run_job returned: \
             it was still running"
        );
    }
}
