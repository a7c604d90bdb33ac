//! Grading a test the learner wrote (chapter 7): run it against a correct
//! implementation (it must pass) and against a mutant (it must fail, and fail
//! rather than hang). The learner's test is ordinary code that panics on a
//! failed assertion, run under the same watchdog as everything else.

use crate::{Outcome, fail, limit, run_within_fixed};

/// What the learner's test did against one implementation.
enum Verdict {
    Passed,
    Failed(String),
    Hung,
}

fn verdict(test: impl FnOnce() + Send + 'static) -> Verdict {
    // Not stretched on a busy machine: the learner's test keeps wall time
    // too, and a test whose own limit is longer than this one must not pass
    // because the machine was slow.
    match run_within_fixed(limit(), test) {
        Outcome::Returned(()) => Verdict::Passed,
        Outcome::Panicked(message) => Verdict::Failed(message),
        Outcome::Stuck(_) => Verdict::Hung,
    }
}

/// Fails the check unless the learner's `test` passes on `subject`, a correct
/// implementation (described in the learner's terms, e.g. "`Scoped`, which
/// returns the last reader's error").
#[track_caller]
pub fn must_pass(id: &str, subject: &str, test: impl FnOnce() + Send + 'static) {
    match verdict(test) {
        Verdict::Passed => {}
        Verdict::Failed(message) => fail(
            id,
            format!(
                "your test fails on {subject}, which is correct. It said: {}\n  \
                 A test that rejects correct code tests a detail of one implementation, \
                 not the promise of the contract.",
                message.trim()
            ),
        ),
        Verdict::Hung => fail(
            id,
            format!(
                "your test did not finish within {} ms on {subject}, which is correct and fast.",
                limit().as_millis()
            ),
        ),
    }
}

/// Fails the check unless the learner's `test` fails on `subject`, a mutant
/// whose bug is `bug`. A test that hangs on it has not caught it: a hanging
/// test is the one that gets skipped.
#[track_caller]
pub fn must_catch(id: &str, subject: &str, bug: &str, test: impl FnOnce() + Send + 'static) {
    match verdict(test) {
        Verdict::Failed(_) => {}
        Verdict::Passed => fail(
            id,
            format!("your test passes on {subject}, which is wrong: {bug}"),
        ),
        Verdict::Hung => fail(
            id,
            format!(
                "your test hung on {subject} ({bug}) instead of failing: it was still running \
                 after {} ms. Run the call under a time limit of your own, shorter than that, and \
                 fail when it expires: a limit of seconds is still waiting when this check gives up.",
                limit().as_millis()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload_text;
    use std::panic;
    use std::time::Duration;

    fn message_of(f: impl FnOnce() + panic::UnwindSafe) -> String {
        payload_text(panic::catch_unwind(f).unwrap_err().as_ref())
    }

    #[test]
    fn a_test_that_fails_on_correct_code_is_rejected_with_its_message() {
        must_pass("find_x", "`Fixed`", || {});
        let text = message_of(|| must_pass("find_x", "`Fixed`", || panic!("sink alive")));
        assert!(text.contains("your test fails on `Fixed`"), "{text}");
        assert!(text.contains("sink alive"), "{text}");
    }

    #[test]
    fn a_test_that_passes_or_hangs_on_a_mutant_has_not_caught_it() {
        must_catch("find_x", "`Leaky`", "it leaks", || panic!("caught"));
        let passed = message_of(|| must_catch("find_x", "`Leaky`", "it leaks", || {}));
        assert!(
            passed.contains("passes on `Leaky`, which is wrong: it leaks"),
            "{passed}"
        );
        let hung = message_of(|| {
            must_catch("find_x", "`Leaky`", "it leaks", || {
                std::thread::sleep(Duration::from_secs(30))
            })
        });
        assert!(hung.contains("hung on `Leaky`"), "{hung}");
    }
}
