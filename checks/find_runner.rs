// Checks for `find_runner`: they grade the learner's test against the
// long-lived runners in `suspects::runner`.

use grader::test_of_tests::{must_catch, must_pass};
use suspects::consumer::{Batch, ReadError, Sink};
use suspects::runner::{
    FailsQuietly, Fixed, KeepsContextUntilNextRun, KeepsErrors, KeepsJobContext, Runner,
};

/// The check's own mutant: runs each job as `Fixed` does (nothing leaks),
/// but puts each failed job at the front of its list: newest first.
#[derive(Default)]
struct ListsNewestFirst {
    jobs: Fixed,
    failed: Vec<String>,
}

impl Runner for ListsNewestFirst {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let result = self.jobs.run(name, batches, sink);
        if result.is_err() {
            self.failed.insert(0, name.to_owned());
        }
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.clone()
    }
}

/// The check's own mutant: runs each job as `Fixed` does (nothing leaks),
/// but keeps the failed jobs' names in a sorted set ("one entry per job"):
/// `failures()` lists them by name, and a job that fails twice once.
#[derive(Default)]
struct ListsFailuresByName {
    jobs: Fixed,
    failed: std::collections::BTreeSet<String>,
}

impl Runner for ListsFailuresByName {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let result = self.jobs.run(name, batches, sink);
        if result.is_err() {
            self.failed.insert(name.to_owned());
        }
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.iter().cloned().collect()
    }
}

/// The check's own mutant: runs each job as `Fixed` does (nothing leaks),
/// but lists a failure only when it is not the same job as the one listed
/// last ("it is still failing"): a job that fails twice in a row is listed
/// once.
#[derive(Default)]
struct ListsAStreakOnce {
    jobs: Fixed,
    failed: Vec<String>,
}

impl Runner for ListsAStreakOnce {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let result = self.jobs.run(name, batches, sink);
        if result.is_err() && self.failed.last().map(String::as_str) != Some(name) {
            self.failed.push(name.to_owned());
        }
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.clone()
    }
}

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

#[test]
fn catches_a_runner_that_lists_the_newest_failure_first() {
    must_catch(
        ID,
        "a runner that lists the newest failure first",
        "it leaks nothing, but `failures()` lists the failed jobs newest first; the \
         contract says oldest first. Does your test fail two jobs, and compare the list \
         in order (not sorted, not as a set)?",
        exercise::runner_test::<ListsNewestFirst>,
    );
}

#[test]
fn catches_a_runner_that_lists_failures_by_name() {
    must_catch(
        ID,
        "a runner that keeps its failures in a sorted set of names",
        "it leaks nothing, but `failures()` lists the failed jobs sorted by name, and a job \
         that failed twice only once; the contract says every failed job, oldest first. Do \
         your failing jobs' names come in alphabetical order, and does no job fail twice? \
         Then a list sorted by name looks oldest first to your test.",
        exercise::runner_test::<ListsFailuresByName>,
    );
}

#[test]
fn catches_a_runner_that_lists_a_streak_once() {
    must_catch(
        ID,
        "a runner that lists a job failing twice in a row once",
        "it leaks nothing, but a job that fails twice in a row is listed once (\"it is \
         still failing\"); the contract says every failed run. Does one of your jobs fail \
         twice in a row?",
        exercise::runner_test::<ListsAStreakOnce>,
    );
}
