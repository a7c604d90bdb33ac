// Checks for `leak_coordinator`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/leak_coordinator.rs`).

use grader::run;

const ID: &str = "leak_coordinator";

const WHO_OWNS_A_SENDER: &str = "The consumer's `for x in rx` ends only when every `Sender` is gone. \
     While `sum_job` waits in `join()`, which `Sender` is still alive, and who owns it?";

#[test]
fn sums_every_batch() {
    let total = run(
        ID,
        "`sum_job(vec![vec![1, 2, 3], vec![4, 5], vec![6]])`",
        WHO_OWNS_A_SENDER,
        || exercise::sum_job(vec![vec![1, 2, 3], vec![4, 5], vec![6]]),
    );
    grader::ensure(
        total == 21,
        ID,
        format!("`sum_job` returned {total}, but 1+2+3+4+5+6 is 21: some numbers were lost"),
    );
}

#[test]
fn a_job_without_producers_returns_zero() {
    let total = run(ID, "`sum_job(vec![])`", WHO_OWNS_A_SENDER, || {
        exercise::sum_job(vec![])
    });
    grader::ensure(
        total == 0,
        ID,
        format!("`sum_job(vec![])` returned {total}, expected 0"),
    );
}

#[test]
fn batches_larger_than_the_buffer_arrive_whole() {
    // 8 producers x 250 numbers through a 4-slot channel: producers block on a
    // full buffer many times, so a fix that only works for tiny inputs fails.
    let batches: Vec<Vec<u64>> = (0..8).map(|p| (1..=250).map(|x| x * p).collect()).collect();
    let expected: u64 = batches.iter().flatten().sum();
    let total = run(
        ID,
        "`sum_job` with 8 batches of 250 numbers",
        WHO_OWNS_A_SENDER,
        move || exercise::sum_job(batches),
    );
    grader::ensure(
        total == expected,
        ID,
        format!("`sum_job` returned {total}, expected {expected}: some numbers were lost"),
    );
}

/// Producers with nothing to send, started before the ones that have numbers.
const EMPTY_BATCHES: usize = 200;

#[test]
fn numbers_after_a_quiet_start_arrive_whole() {
    // 200 empty batches, then 2 with numbers. Starting 200 threads takes a
    // while (from about 4 ms on a fast idle machine to a few hundred on a busy
    // one), and during it the consumer receives nothing: a quiet moment, not
    // the end. Only a closed channel means "no more numbers".
    let mut batches: Vec<Vec<u64>> = vec![Vec::new(); EMPTY_BATCHES];
    batches.push((1..=100).collect());
    batches.push((101..=200).collect());
    let total = run(
        ID,
        &format!("`sum_job` with {EMPTY_BATCHES} empty batches, then 2 batches of 100 numbers"),
        WHO_OWNS_A_SENDER,
        move || exercise::sum_job(batches),
    );
    grader::ensure(
        total == 20_100,
        ID,
        format!(
            "`sum_job` with {EMPTY_BATCHES} empty batches first, then the numbers 1 to 200, \
             returned {total}, expected 20100: the numbers that came after a quiet start were \
             lost. Does the consumer stop when nothing arrives for a moment (`recv_timeout`, \
             `try_recv`)? A pause is not the end: only a closed channel is, once every \
             `Sender` is gone."
        ),
    );
}
