// Checks for `leak_coordinator`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/leak_coordinator.rs`).

use grader::run;
use grader::timers::{TimedWait, TimerKind, Timers};

const ID: &str = "leak_coordinator";

const WHO_OWNS_A_SENDER: &str = "The consumer's `for x in rx` ends only when every `Sender` has been \
     dropped. While `sum_job` waits in `join()`, which `Sender` has not been dropped yet, and who owns it?";

#[test]
fn sums_every_batch() {
    // A 0 before other numbers of its batch: a consumer that takes 0 for
    // "end of data" loses the 4 and the 5 whatever the threads' order.
    let total = run(
        ID,
        "`sum_job(vec![vec![1, 2, 3], vec![0, 4, 5], vec![6]])`",
        WHO_OWNS_A_SENDER,
        || exercise::sum_job(vec![vec![1, 2, 3], vec![0, 4, 5], vec![6]]),
    );
    grader::ensure(
        total == 21,
        ID,
        format!("`sum_job` returned {total}, but 1+2+3+0+4+5+6 is 21: some numbers were lost"),
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
    // 8 producers x 60 numbers through a 4-slot channel: producers block on a
    // full buffer many times, so a fix that only works for tiny inputs fails.
    // (Not thousands: every number is a wake-up, and at a load of 20 on 2
    // cores 2000 of them took a right fix past the watchdog.)
    let batches: Vec<Vec<u64>> = (0..8).map(|p| (1..=60).map(|x| x * p).collect()).collect();
    let expected: u64 = batches.iter().flatten().sum();
    let total = run(
        ID,
        "`sum_job` with 8 batches of 60 numbers",
        WHO_OWNS_A_SENDER,
        move || exercise::sum_job(batches),
    );
    grader::ensure(
        total == expected,
        ID,
        format!("`sum_job` returned {total}, expected {expected}: some numbers were lost"),
    );
}

/// How long `sum_job` should take, at least, in the last round of
/// `quiet_moments_sized_to_the_watchdog`: half the watchdog's limit, so
/// each of its two quiet moments lasts about a quarter of it.
fn target() -> std::time::Duration {
    grader::budget::QUIET_ROUND.get()
}

/// `sum_job` with `empty` empty batches, the numbers 1 to 100, `empty` empty
/// batches again, the numbers 101 to 200: its total and how long it took.
/// Under a watchdog of `limit`: twice the usual limit for a round aimed at
/// half of it (the machine may get busier between two rounds), the usual one
/// for the first round, which takes milliseconds (so that a starter that
/// never returns is failed in one watchdog period, not two).
fn sum_after_quiet_moments(empty: usize, limit: std::time::Duration) -> (u64, std::time::Duration) {
    let batches = quiet_batches(empty);
    let started = std::time::Instant::now();
    let call = quiet_call(empty);
    let total = match grader::run_within(limit, move || exercise::sum_job(batches)) {
        grader::Outcome::Returned(total) => total,
        grader::Outcome::Panicked(message) => {
            grader::fail(ID, format!("{call} panicked: {message}"))
        }
        grader::Outcome::Stuck(waited) => grader::fail(
            ID,
            grader::stuck_message(&call, waited, WHO_OWNS_A_SENDER),
        ),
    };
    (total, started.elapsed())
}

/// The job of the quiet-moment checks: 100 empty batches, the numbers 1 to
/// 100, 100 empty batches, the numbers 101 to 200. Starting a thread is not
/// free (from about 20 us on a fast idle machine to a few ms on a busy one),
/// so the consumer receives nothing while the producers of the empty
/// batches start: a quiet moment, not the end.
const QUIET_EMPTY: usize = 100;

fn quiet_batches(empty: usize) -> Vec<Vec<u64>> {
    let mut batches: Vec<Vec<u64>> = Vec::new();
    for numbers in [1..=100, 101..=200] {
        batches.extend(std::iter::repeat_n(Vec::new(), empty));
        batches.push(numbers.collect());
    }
    batches
}

fn quiet_call(empty: usize) -> String {
    format!("`sum_job` with {empty} empty batches, 1..=100, {empty} empty batches, 101..=200")
}

fn ensure_all_numbers(total: u64, empty: usize, quiet: std::time::Duration) {
    grader::ensure(
        total == 20_100,
        ID,
        format!(
            "`sum_job` with {empty} empty batches before the numbers 1 to 100 and before \
             101 to 200 returned {total}, expected 20100: numbers that came after a quiet \
             moment (about {} ms without a number) were lost. Does the consumer stop when \
             nothing arrives for a while (`recv_timeout`, `try_recv`)? A pause is not the \
             end: only a closed channel is, once every `Sender` has been dropped.",
            quiet.as_millis()
        ),
    );
}

#[test]
fn numbers_after_a_quiet_start_arrive_whole() {
    // A consumer that gives up after a pause shorter than the quiet moments
    // loses numbers here. One with a longer timeout, or a coordinator that
    // sleeps, is caught by `never_waits_on_a_timer`, without waiting for it.
    let started = std::time::Instant::now();
    let total = run(ID, &quiet_call(QUIET_EMPTY), WHO_OWNS_A_SENDER, || {
        exercise::sum_job(quiet_batches(QUIET_EMPTY))
    });
    ensure_all_numbers(total, QUIET_EMPTY, started.elapsed() / 2);
}

/// What a timer seen in the job means, in the learner's terms.
fn timer_verdict(wait: TimedWait) -> String {
    let why = "A timer is a guess at how long the other threads take: on a slow day (a \
               slow producer, a busy machine) the guess is wrong and numbers are lost.";
    match (wait.in_caller, wait.kind) {
        (true, TimerKind::Sleep) => format!(
            "`sum_job` called `thread::sleep` to give the other threads time, instead of \
             waiting for them. {why} Wait for the consumer itself: `consumer.join()` returns \
             its total exactly when it is done, however long that takes."
        ),
        (true, TimerKind::Deadline) => format!(
            "`sum_job` waited with a deadline (`recv_timeout`, `park_timeout`, \
             `wait_timeout`) instead of waiting until the work was done. {why} Wait without \
             one: `consumer.join()` returns the total exactly when the consumer is done."
        ),
        (false, kind) => format!(
            "a thread that `sum_job` started {}. A consumer should wait for the channel, \
             not for a clock: a deadline either ends its loop early on a slow day (the \
             numbers still to come are lost; a pause is not the end, only a closed channel \
             is, once every `Sender` has been dropped) or only wakes it up for nothing. \
             Let the consumer wait without one (`for x in rx`, `recv()`), and make sure the \
             channel closes.",
            match kind {
                TimerKind::Sleep => "slept (`thread::sleep`, perhaps between `try_recv`s)",
                TimerKind::Deadline => "waited with a deadline (`recv_timeout`)",
            }
        ),
    }
}

#[test]
fn never_waits_on_a_timer() {
    // On Linux the kernel says what each thread of the job is blocked in
    // (see `grader::timers`): a right fix waits only without a deadline
    // (`recv`, `join`, a full channel's `send`), so this takes as long as
    // the job, milliseconds. Elsewhere, the quiet moments are sized instead
    // (below), which takes about half a second.
    // The kernel is sampled while the job runs: on a machine busy enough that
    // the sampler rarely gets a core, one run can miss a short wait. Three
    // runs, each a few milliseconds for a right fix, make that unlikely.
    for _ in 0..ROUNDS_OBSERVED {
        let (total, timers) = grader::timers::run_observed(
            ID,
            &quiet_call(QUIET_EMPTY),
            WHO_OWNS_A_SENDER,
            || exercise::sum_job(quiet_batches(QUIET_EMPTY)),
        );
        match timers {
            Timers::Seen(waits) => {
                if let Some(wait) = waits.iter().next() {
                    grader::fail(ID, timer_verdict(*wait));
                }
                ensure_all_numbers(total, QUIET_EMPTY, std::time::Duration::ZERO);
            }
            Timers::NotObservable => return quiet_moments_sized_to_the_watchdog(),
        }
    }
}

/// How many times `never_waits_on_a_timer` watches the job.
const ROUNDS_OBSERVED: usize = 3;

/// Where timers cannot be seen: quiet moments as long as a quarter of the
/// watchdog's limit, so a consumer that gives up after a shorter pause
/// loses numbers. It makes a right fix wait about half the limit.
fn quiet_moments_sized_to_the_watchdog() {
    // Start with 100 empty batches and add more, from how long the last
    // round took, until `sum_job` takes half the watchdog's limit: the quiet
    // moments then last about a quarter of it each.
    let mut empty: usize = 100;
    for round in 0..16 {
        let limit = if round == 0 {
            grader::limit()
        } else {
            grader::limit() * 2
        };
        let (total, took) = sum_after_quiet_moments(empty, limit);
        ensure_all_numbers(total, empty, took / 2);
        if took >= target() {
            return;
        }
        // Aim a tenth past the target, growing at most twice a round: a round
        // takes at most about twice the one before, however the machine's
        // speed was misjudged.
        let scale = (target().as_secs_f64() * 1.1 / took.as_secs_f64().max(1e-6)).min(2.0);
        empty = ((empty as f64) * scale).ceil() as usize;
    }
}
