//! The suspects of chapter 7, "Finding leaks".
//!
//! In chapter 7 the learner does not fix code: they write the test that would
//! have caught the incident. A test is only as good as the bugs it catches and
//! the correct code it lets through, so each exercise grades the learner's test
//! against every implementation here:
//!
//! - the correct one, and **right variants** written differently (a scope
//!   instead of spawned threads, errors collected in another order): the test
//!   must pass them all, so a test that pins one implementation's details fails;
//! - **mutants**, each a leak or a hang that a real team shipped in some form:
//!   the test must fail on every one, and fail rather than hang.
//!
//! Every implementation is a unit struct implementing the module's trait, so a
//! test is a generic function: `fn my_test<J: Job>()`.

pub mod consumer;
pub mod runner;
pub mod sum;
