//! The time budget of a check: every wait a check uses, as a share of the
//! watchdog's limit ([`crate::limit`], 1000 ms unless `GRADER_TIMEOUT_MS`
//! says otherwise), most with a cap. One table, so that a maintainer can see
//! that the waits of one check end before the watchdog gives up on the call
//! (and the check can still say what it saw), and so that a smaller
//! `GRADER_TIMEOUT_MS` makes every check faster, not only the watchdog.
//!
//! A cap is set where a *right* fix waits the whole entry (a sink that stalls,
//! a reader that is slow to close, a call slowed down on purpose): a larger
//! limit must not make a right fix slower than the value the check was
//! written with. An entry without a cap is only ever waited out by a wrong
//! fix (a right fix ends the wait in microseconds); the fraction keeps it
//! below the limit whatever the limit is.
//!
//! | entry | share of the limit | cap | at 1000 ms | who waits it out |
//! | --- | --- | --- | --- | --- |
//! | [`RACE_PAUSE`] | 1/4 | — | 250 ms | a forced race's held thread, when the other never signals (`race`) |
//! | [`HELPER`] | 1/2 | — | 500 ms | a check's helper thread waiting for the code under test to get somewhere (a read, a wait on a channel, a drop) |
//! | [`GRACE`] | 1/5 | 200 ms | 200 ms | a producer that never waits on `done` as well (`cancel_forward`) |
//! | [`GATE`] | 1/2 | 500 ms | 500 ms | a call held at a check's gate that nothing opens (rayon chapter) |
//! | [`OVERLAP`] | 3/10 | 300 ms | 300 ms | a call waiting for calls beyond the bound to join it (`rayon_bounded_io`) |
//! | [`SLOWED`] | 1/5 | 200 ms | 200 ms | a call slowed down after a failure, so that work started late shows (rayon chapter) |
//! | [`STALL`] | 1/3 | 300 ms | 300 ms | a sink that stalls once, only while a producer waits on a timer (`cancel_sink`; a right fix does not wait) |
//! | [`SETTLE`] | 1/10 | 100 ms | 100 ms | "did anything more happen?" after a verdict is in (`cancel_sink`, only where `hold` cannot see the job wait) |
//! | [`LATE_FAILURE`] | 1/4 | — | 250 ms | a read that fails late, waiting for other reads to end first (`close_no_channel`) |
//! | [`OWN_WAIT`] | 1/3 | — | 333 ms | a worker waiting to be seen together with another (`close_no_channel`) |
//! | [`HANDED_OVER`] | 1 | — | 1000 ms | the code under test handing the check what it needs first (a consumer's channel, a running worker) |
//! | [`QUIET_ROUND`] | 1/2 | — | 500 ms | the last quiet-moment round of `leak_coordinator`, only where `/proc` shows no timers (right fixes too, there only) |
//!
//! How they sum within one check, against the watchdog (1, stretched on a
//! busy machine, never shortened):
//!
//! | check | waits, in sequence | sum |
//! | --- | --- | --- |
//! | `cancel_forward` (helper, then grace) | `HELPER` + `GRACE` | 0.7 |
//! | `cancel_sink::a_slow_sink_loses_nothing` | `HELPER` (reads) + 1/4 (the others seen waiting, `hold`) + `STALL` + 1/4 (again) | 0 for a right fix (its producers wait without a timer); a job with a timer: about `STALL` + the time its threads take to act on their timers |
//! | `cancel_sink` (first write, then more reads) | `HELPER` + 1/4 (the others seen waiting, `hold`) or, where that is not seen, + `SETTLE` | 0.75 at worst |
//! | rayon chapter (a gate, then a slowed call) | `GATE` + `SLOWED` | 0.7 |
//! | `rayon_bounded_io` (a gate, then the overlap) | `GATE` + `OVERLAP` | 0.8 |
//! | `close_no_channel` (a late failure, or a read waiting for company) | `LATE_FAILURE` or `OWN_WAIT` | ≤ 0.34 |
//! | `leak_runner`, `leak_pipeline` (a helper, then the held consumer) | `HELPER` + 1/4 (the consumer held until the call waits for it, `hold`) | 0 for a right fix (it joins); 0.75 at worst |
//! | `close_pipeline` (a read that fails late) | `LATE_FAILURE` | 0.25 |
//! | `cancel_fanout` (is the token cancelled within grace?) | `GRACE` | 0.2 |
//! | `leak_coordinator` without `/proc` (the quiet rounds) | `QUIET_ROUND`, under a watchdog of twice the limit | 0.5 |
//! | a forced race (`race`) | `RACE_PAUSE` per held thread, two at most | 0.5 |
//!
//! Checks whose helper reports after the call has returned wait for that
//! report up to [`AFTER_RETURN`] (3 limits: the watchdog may have been
//! stretched); a right fix never waits on it.

use std::time::Duration;

/// A share of the watchdog's limit, at most `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// Numerator and denominator of the share of [`crate::limit`].
    pub of_limit: (u32, u32),
    /// The most it may be, whatever the limit (see the module doc).
    pub cap: Option<Duration>,
}

impl Share {
    /// The wait, for the current limit.
    pub fn get(self) -> Duration {
        self.of(crate::limit())
    }

    /// The wait for a given limit.
    pub fn of(self, limit: Duration) -> Duration {
        let (num, den) = self.of_limit;
        let share = limit * num / den;
        self.cap.map_or(share, |cap| share.min(cap))
    }

    /// The wait in milliseconds, for a verdict that quotes it.
    pub fn ms(self) -> u128 {
        self.get().as_millis()
    }
}

const fn share(num: u32, den: u32, cap_ms: Option<u64>) -> Share {
    Share {
        of_limit: (num, den),
        cap: match cap_ms {
            Some(ms) => Some(Duration::from_millis(ms)),
            None => None,
        },
    }
}

/// How long a thread held in a forced race waits for the other one.
pub const RACE_PAUSE: Share = share(1, 4, None);
/// How long a check's helper waits for the code under test to get somewhere.
pub const HELPER: Share = share(1, 2, None);
/// How long a check waits for a producer that waits on one channel to wait
/// on `done` as well: a `select!` registers on all its channels in
/// microseconds; only a producer that never waits on `done` pays this.
pub const GRACE: Share = share(1, 5, Some(200));
/// How long a call waits at a check's gate: far beyond what a right answer
/// needs (microseconds), below the watchdog so the check can say what happened.
pub const GATE: Share = share(1, 2, Some(500));
/// How long a call waits for calls beyond a bound to join it.
pub const OVERLAP: Share = share(3, 10, Some(300));
/// How long a call after a failure is slowed down, so work started late shows.
pub const SLOWED: Share = share(1, 5, Some(200));
/// How long a sink stalls, once: longer than any timeout a producer could
/// plausibly give a `send`, well under the limit.
pub const STALL: Share = share(1, 3, Some(300));
/// How long a check looks for more of something once its verdict is in.
pub const SETTLE: Share = share(1, 10, Some(100));
/// How long a read that fails late waits for other reads to end first.
pub const LATE_FAILURE: Share = share(1, 4, None);
/// How long a worker waits to be seen together with another one.
pub const OWN_WAIT: Share = share(1, 3, None);
/// How long a check waits for the code under test to hand it what it needs
/// first (a consumer's channel, a worker that has started): the limit, as the
/// watchdog gives the call; a right fix hands it over at once.
pub const HANDED_OVER: Share = share(1, 1, None);
/// How long the last round of `leak_coordinator`'s quiet-moment check should
/// take, where `/proc` cannot show a timer: half the limit, so each of its
/// two quiet moments lasts about a quarter of it (right fixes too, there only).
pub const QUIET_ROUND: Share = share(1, 2, None);
/// How long a check waits for its helper's report once the call has
/// returned or the watchdog gave up (which may be later than the limit).
pub const AFTER_RETURN: Share = share(3, 1, None);

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Share; 13] = [
        QUIET_ROUND,
        RACE_PAUSE,
        HELPER,
        GRACE,
        GATE,
        OVERLAP,
        SLOWED,
        STALL,
        SETTLE,
        LATE_FAILURE,
        OWN_WAIT,
        HANDED_OVER,
        AFTER_RETURN,
    ];

    #[test]
    fn a_share_scales_with_the_limit_up_to_its_cap() {
        let second = Duration::from_secs(1);
        assert_eq!(GATE.of(second), Duration::from_millis(500));
        assert_eq!(GATE.of(second / 5), Duration::from_millis(100));
        assert_eq!(GATE.of(second * 4), Duration::from_millis(500));
        assert_eq!(HELPER.of(second * 4), second * 2);
        assert_eq!(OVERLAP.of(second), Duration::from_millis(300));
    }

    #[test]
    fn the_waits_of_one_check_end_before_the_watchdog() {
        let limit = Duration::from_secs(1);
        for (first, then) in [
            (HELPER, GRACE),
            (HELPER, STALL),
            (HELPER, SETTLE),
            (GATE, SLOWED),
            (GATE, OVERLAP),
            (RACE_PAUSE, RACE_PAUSE),
        ] {
            for l in [limit / 5, limit, limit * 10] {
                assert!(
                    first.of(l) + then.of(l) < l,
                    "{first:?} + {then:?} at {l:?}"
                );
            }
        }
    }

    #[test]
    fn only_the_waits_for_a_hand_over_or_a_report_reach_the_limit() {
        for share in ALL
            .iter()
            .filter(|s| ![HANDED_OVER, AFTER_RETURN].contains(s))
        {
            let (num, den) = share.of_limit;
            assert!(num < den, "{share:?}");
        }
    }
}
