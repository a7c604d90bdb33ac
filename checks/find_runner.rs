// Checks for `find_runner`: they grade the learner's test against the
// long-lived runners in `suspects::runner`.

use grader::test_of_tests::{must_catch, must_pass};
use suspects::runner::{
    FailsQuietly, Fixed, KeepsContextUntilNextRun, KeepsErrors, KeepsJobContext,
};

const ID: &str = "find_runner";

#[test]
fn passes_on_the_fixed_runner() {
    must_pass(ID, "`Fixed` (it remembers failed jobs by name)", exercise::runner_test::<Fixed>);
}

#[test]
fn passes_on_a_runner_that_keeps_errors_too() {
    must_pass(
        ID,
        "`KeepsErrors`, which also keeps each error and runs jobs on a scope",
        exercise::runner_test::<KeepsErrors>,
    );
}

#[test]
fn catches_a_runner_that_keeps_the_job_context() {
    must_catch(
        ID,
        "`KeepsJobContext`",
        "its failure list keeps each failed job's context, which owns the job's `Sender`: \
         every failed job's consumer waits forever. Does your test look at a failed job's \
         consumer when `run` returns?",
        exercise::runner_test::<KeepsJobContext>,
    );
}

#[test]
fn catches_a_consumer_held_until_the_next_run() {
    must_catch(
        ID,
        "`KeepsContextUntilNextRun`",
        "a failed job's consumer stays blocked until another job starts. Look right after \
         each failed `run`, before running anything else.",
        exercise::runner_test::<KeepsContextUntilNextRun>,
    );
}

#[test]
fn catches_a_runner_that_forgets_failures() {
    must_catch(
        ID,
        "`FailsQuietly`",
        "it leaks nothing, but `failures()` stays empty: the alert never fires. Does your \
         test check the failure list?",
        exercise::runner_test::<FailsQuietly>,
    );
}
