//! Chapter 7's claim about the thread gauge, in a test binary of its own:
//! the thread count is process-wide, so no other test may run beside it.

use listings::find::gauge;
use suspects::runner::{Fixed, KeepsJobContext};

#[test]
fn the_leaky_runner_leaves_one_thread_per_failed_job_until_it_is_dropped() {
    let Some((after_jobs, after_drop)) = gauge::<KeepsJobContext>(4) else {
        eprintln!("skipped: no /proc/self/status here");
        return;
    };
    assert_eq!(after_jobs, 4, "one blocked consumer per failed job");
    assert_eq!(
        after_drop, 0,
        "dropping the runner drops the Senders it kept"
    );

    let (after_jobs, after_drop) = gauge::<Fixed>(4).expect("read /proc once already");
    assert_eq!(
        (after_jobs, after_drop),
        (0, 0),
        "the fixed runner leaves nothing"
    );
}
