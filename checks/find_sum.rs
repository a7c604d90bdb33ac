// Checks for `find_sum`: they grade the learner's test against the
// implementations in `suspects::sum`. Two mutants never return: the test must
// fail on them, not hang.

use grader::test_of_tests::{must_catch, must_pass};
use suspects::sum::{ConsumerStartsLate, Fixed, HoldsSender, Scoped, StopsEarly};

const ID: &str = "find_sum";

#[test]
fn passes_on_the_fixed_job() {
    must_pass(ID, "`Fixed` (chapter 1's fix)", exercise::sum_job_test::<Fixed>);
}

#[test]
fn passes_on_a_scoped_job() {
    must_pass(
        ID,
        "`Scoped`, which consumes on the caller's thread inside a `thread::scope`",
        exercise::sum_job_test::<Scoped>,
    );
}

#[test]
fn catches_a_coordinator_that_holds_its_sender() {
    must_catch(
        ID,
        "`HoldsSender`",
        "it never returns (chapter 1's deadlock)",
        exercise::sum_job_test::<HoldsSender>,
    );
}

#[test]
fn catches_a_consumer_that_starts_late() {
    must_catch(
        ID,
        "`ConsumerStartsLate`",
        "it never returns once a batch holds more numbers than the channel's 10 slots. \
         Does your test use a batch that big?",
        exercise::sum_job_test::<ConsumerStartsLate>,
    );
}

#[test]
fn catches_a_consumer_that_stops_early() {
    must_catch(
        ID,
        "`StopsEarly`",
        "it returns quickly with the wrong total when a batch holds more than one number. \
         Does your test check the total?",
        exercise::sum_job_test::<StopsEarly>,
    );
}
