// Checks for `find_runner`: they grade the learner's test against the
// long-lived runners in `suspects::runner`.

use grader::test_of_tests::{must_catch, must_pass};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread;
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

/// The check's own mutant: runs each job as `Fixed` does (nothing leaks),
/// but writes the job's name down before it knows how the job ends ("the
/// jobs of the night"): `failures()` lists every job it ran, the ones that
/// succeeded too. A test whose jobs all fail cannot tell.
#[derive(Default)]
struct ListsEveryJob {
    jobs: Fixed,
    ran: Vec<String>,
}

impl Runner for ListsEveryJob {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        self.ran.push(name.to_owned());
        self.jobs.run(name, batches, sink)
    }
    fn failures(&self) -> Vec<String> {
        self.ran.clone()
    }
}

/// The check's own mutant: runs each job as `Fixed` does (nothing leaks),
/// but empties its list when a job succeeds ("the alert is resolved"): the
/// failures before a success are forgotten. A test that never runs a job that
/// succeeds after one that failed cannot tell.
#[derive(Default)]
struct ForgetsFailuresOnASuccess {
    jobs: Fixed,
    failed: Vec<String>,
}

impl Runner for ForgetsFailuresOnASuccess {
    fn run(&mut self, name: &str, batches: Vec<Batch>, sink: Sink) -> Result<u64, ReadError> {
        let result = self.jobs.run(name, batches, sink);
        match result {
            Ok(_) => self.failed.clear(),
            Err(_) => self.failed.push(name.to_owned()),
        }
        result
    }
    fn failures(&self) -> Vec<String> {
        self.failed.clone()
    }
}

/// The check's own mutant: lists every failure right, and a job's first
/// failure leaks nothing; but when a job that is already on the list fails
/// again, it keeps that run's `Sender` "to report the streak with its
/// records", and that run's consumer waits forever. A test that looks for a
/// leak only after a job's first failure does not see it.
#[derive(Default)]
struct KeepsTheSenderOfARepeatedFailure {
    failed: Vec<String>,
    kept: Vec<SyncSender<u64>>,
}

impl Runner for KeepsTheSenderOfARepeatedFailure {
    fn run(&mut self, name: &str, batches: Vec<Batch>, mut sink: Sink) -> Result<u64, ReadError> {
        let (tx, rx) = sync_channel::<u64>(suspects::consumer::CAPACITY);
        let consumer = thread::spawn(move || {
            let mut total = 0;
            for record in rx {
                sink(record);
                total += record;
            }
            total
        });
        let producers: Vec<_> = batches
            .into_iter()
            .map(|batch| {
                let tx = tx.clone();
                thread::spawn(move || {
                    for record in batch {
                        if tx.send(record?).is_err() {
                            break;
                        }
                    }
                    Ok::<(), ReadError>(())
                })
            })
            .collect();
        let mut first = None;
        for p in producers {
            if let Err(e) = p.join().expect("a producer panicked") {
                first.get_or_insert(e);
            }
        }
        let Some(e) = first else {
            drop(tx);
            return Ok(consumer.join().expect("the consumer panicked"));
        };
        if self.failed.iter().any(|f| f == name) {
            self.kept.push(tx); // its consumer is left blocked, detached
        } else {
            drop(tx);
            consumer.join().expect("the consumer panicked");
        }
        self.failed.push(name.to_owned());
        Err(e)
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

#[test]
fn catches_a_runner_that_lists_every_job() {
    must_catch(
        ID,
        "a runner that lists every job it ran",
        "it leaks nothing, but `failures()` lists the jobs that succeeded too; the contract \
         says the failed jobs. Does one of your jobs succeed, and is it kept off the list?",
        exercise::runner_test::<ListsEveryJob>,
    );
}

#[test]
fn catches_a_runner_that_forgets_failures_on_a_success() {
    must_catch(
        ID,
        "a runner that empties its list when a job succeeds",
        "it leaks nothing, but a job that succeeds empties `failures()`; the contract says \
         every failed run stays listed. Does one of your jobs succeed after one has failed, \
         and do you compare the whole list after it?",
        exercise::runner_test::<ForgetsFailuresOnASuccess>,
    );
}

#[test]
fn catches_a_consumer_left_running_by_a_repeated_failure() {
    must_catch(
        ID,
        "a runner that leaks when a job fails again",
        "a job's first failure leaks nothing, but when a job already on the list fails \
         again, that run's consumer is left waiting forever. Look at the consumer after \
         *every* failed `run`, a job's second failure too.",
        exercise::runner_test::<KeepsTheSenderOfARepeatedFailure>,
    );
}
