//! The thread counts of chapter 8, in a process of their own: `Threads:` in
//! `/proc/self/status` counts every thread of the process, so no other test
//! may run next to this one (an integration test file is its own binary,
//! and this file holds one test).
//!
//! The claims: chapter 1's `LeakyService` (a failed job's `Sender` kept in
//! the failure list) leaves exactly one thread per failed job; `Service`
//! leaves none. Memory depends on the machine: it is measured
//! (`src/repro/incident.csv`), not tested.

use listings::repro::{Config, Mode, Sample, run};

#[test]
fn repro_threads_grow_by_one_per_failed_job_only_when_leaky() {
    // Fixed first: it must leave nothing, so the leaky run starts clean too.
    for (mode, per_failed) in [(Mode::Fixed, 0), (Mode::Leaky, 1)] {
        let cfg = Config {
            mode,
            jobs: 20,
            failure_rate: 0.5,
            record_kib: 1,
            every: 5,
        };
        let mut samples: Vec<Sample> = Vec::new();
        run(&cfg, |s| samples.push(s)).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        let at = |s: &Sample| (s.jobs, s.failed);
        assert_eq!(
            samples.iter().map(at).collect::<Vec<_>>(),
            [(0, 0), (5, 2), (10, 5), (15, 7), (20, 10)],
            "{mode:?}: one sample before the first job and one every 5 jobs; every second job fails"
        );
        let base = samples[0].threads;
        assert!(base >= 1, "no Threads: line in /proc/self/status");
        for s in &samples {
            assert_eq!(
                s.threads,
                base + per_failed * s.failed,
                "{mode:?}: threads after {} jobs ({} failed); want {per_failed} more per failed job: {samples:?}",
                s.jobs,
                s.failed
            );
            assert!(s.rss_kib > 0, "{mode:?}: no VmRSS: {s:?}");
        }
    }
}
