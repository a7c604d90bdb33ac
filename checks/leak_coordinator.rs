// Checks for `leak_coordinator`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/leak_coordinator.rs`).

use grader::run;

const ID: &str = "leak_coordinator";

const WHO_OWNS_A_SENDER: &str = "The consumer's `for x in rx` ends only when every `Sender` is gone. \
     While `sum_job` waits in `join()`, which `Sender` is still alive, and who owns it? \
     (`mem::forget` skips `Drop`: a forgotten `Sender` is never dropped, so it never closes the channel.)";

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

/// Producers with nothing to send, started before each batch that has numbers.
const EMPTY_BEFORE: [usize; 2] = [100, 200];

#[test]
fn numbers_after_a_quiet_start_arrive_whole() {
    // 100 empty batches, the numbers 1 to 100, 200 more empty batches, the
    // numbers 101 to 200. Starting a thread is not free (from about 20 us on
    // a fast idle machine to a few ms on a busy one), so the consumer receives
    // nothing for a while before each batch of numbers: a quiet moment, not
    // the end. Only a closed channel means "no more numbers".
    let mut batches: Vec<Vec<u64>> = Vec::new();
    for (empty, numbers) in EMPTY_BEFORE.into_iter().zip([1..=100, 101..=200]) {
        batches.extend(std::iter::repeat_n(Vec::new(), empty));
        batches.push(numbers.collect());
    }
    let total = run(
        ID,
        "`sum_job` with 100 empty batches, 1..=100, 200 empty batches, 101..=200",
        WHO_OWNS_A_SENDER,
        move || exercise::sum_job(batches),
    );
    grader::ensure(
        total == 20_100,
        ID,
        format!(
            "`sum_job` with empty batches before the numbers 1 to 100 and before 101 to 200 \
             returned {total}, expected 20100: numbers that came after a quiet moment were \
             lost. Does the consumer stop when nothing arrives for a while (`recv_timeout`, \
             `try_recv`)? A pause is not the end: only a closed channel is, once every \
             `Sender` is gone."
        ),
    );
}
