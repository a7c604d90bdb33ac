// Checks for `cancel_forward`, compiled into `exercises`, `solutions` and
// `fixtures`. `exercise` is the module under test (your
// `exercises/src/cancel_forward.rs`).
//
// Two checks cancel a producer *while it waits*: for its next record, or for
// room in `out`. They do not guess when that is by sleeping. The channels it
// waits on have no buffer, and a crossbeam `Select` can tell, without taking
// anything, when another thread is waiting on such a channel. So the check
// (1) waits until the producer is waiting on the source (or on `out`),
// (2) gives it a moment (at most 200 ms, a `select!` takes microseconds) to
//     be waiting on `done` as well,
// (3) cancels, and right away
// (4) offers record 2 (or takes the record it is sending) with `try_send`
//     (`try_recv`), which only succeeds if the producer is *still* waiting
//     there. A producer that waits in a `select!` on `done` too was woken by
//     the cancel in (3), before (4): it is no longer waiting anywhere.
// The channels stay connected until `forward` has returned, so the source
// never "ends" at the cancel and the outcome does not depend on which arm of
// a `select!` the producer happens to try first.
// The helper's waits in (1) and (2) end well before the watchdog's limit
// (half of it, plus `grace()`, at most a fifth), so when `forward` does not
// return, the check knows what the helper saw and says what the code did:
// never waited, went on waiting after the cancel, or woke and kept going.

use crossbeam_channel::{Receiver, Select, Sender, bounded, never};
use exercise::{Forwarded, Stop, forward};
use grader::{Outcome, ensure, fail, run, run_within};
use std::thread;
use std::time::Duration;

const ID: &str = "cancel_forward";

/// At most this long, a check waits for a producer that waits on one channel
/// to wait on `done` as well. A `select!` registers on all its channels in
/// microseconds; only a producer that never waits on `done` pays this, once.
fn grace() -> Duration {
    grader::budget::GRACE.get()
}

/// At most this long, the helper waits for the producer to take record 1
/// and to wait on a channel: half the watchdog's limit, so that with
/// `grace()` it is done before the watchdog gives up on `forward`.
fn patience() -> Duration {
    grader::budget::HELPER.get()
}

/// What the check's helper saw around the cancel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// It took the cancel: nothing was waiting on the channel any more.
    Fine,
    /// After the cancel, the producer was still waiting there.
    StillWaiting,
    /// The producer never took record 1 from its source.
    NeverRead,
    /// The producer never waited on the channel at all.
    NeverWaited,
}

/// Whether a thread is waiting to receive from `tx`'s channel (no buffer):
/// waits at most `limit` for one to be.
fn a_receiver_waits<T>(tx: &Sender<T>, limit: Duration) -> bool {
    let mut sel = Select::new();
    sel.send(tx);
    sel.ready_timeout(limit).is_ok()
}

/// Whether a thread is waiting to send on `rx`'s channel (no buffer): waits
/// at most `limit` for one to be.
fn a_sender_waits<T>(rx: &Receiver<T>, limit: Duration) -> bool {
    let mut sel = Select::new();
    sel.recv(rx);
    sel.ready_timeout(limit).is_ok()
}

/// Runs the helper's part `f` on its own thread. It reports what it saw, then
/// keeps what it owns (the channels) until `returned` says `forward` has
/// returned (or the watchdog gave up on it), so that no channel ends under
/// the producer's feet.
fn helper<K: Send + 'static>(
    f: impl FnOnce() -> (Seen, K) + Send + 'static,
) -> (Receiver<Seen>, Sender<()>, thread::JoinHandle<()>) {
    let (seen_tx, seen_rx) = bounded(1);
    let (returned_tx, returned_rx) = bounded::<()>(0);
    let handle = thread::spawn(move || {
        let (seen, keep) = f();
        let _ = seen_tx.send(seen);
        // Until `report` (or the check's unwinding) drops the other end: the
        // watchdog may wait longer than its limit on a busy machine, and a
        // source that ended on a timer would change what `forward` does.
        let _ = returned_rx.recv();
        drop(keep);
    });
    (seen_rx, returned_tx, handle)
}

/// How long the watchdog waited for `forward` (its limit, stretched on a
/// busy machine).
fn waited_ms<T>(outcome: &Outcome<T>) -> u128 {
    match outcome {
        Outcome::Stuck(waited) => waited.as_millis(),
        _ => grader::limit().as_millis(),
    }
}

/// Collects the helper's report once `forward` has returned.
fn report(seen: Receiver<Seen>, returned: Sender<()>, handle: thread::JoinHandle<()>) -> Seen {
    drop(returned);
    let seen = seen
        .recv_timeout(grader::budget::AFTER_RETURN.get())
        .unwrap_or(Seen::NeverWaited);
    let _ = handle.join();
    seen
}

#[test]
fn forwards_every_record_until_the_source_ends() {
    // Records 0 to 99: a 0 is a record like any other, not an end marker.
    let (src_tx, src_rx) = bounded::<u64>(100);
    for r in 0..100 {
        src_tx.send(r).unwrap();
    }
    drop(src_tx); // the source ends after its 100 records
    let (out_tx, out_rx) = bounded::<u64>(100);
    let result = run(
        ID,
        "`forward` with a source of 100 records that then ends, and `done = never()`",
        "The source has ended: `recv` on it returns `Err` once it is drained.",
        move || forward(&src_rx, &out_tx, &never()),
    );
    ensure(
        result
            == Forwarded {
                sent: 100,
                stop: Stop::SourceDone,
            },
        ID,
        format!("`forward` returned {result:?}, expected 100 records sent and `Stop::SourceDone`"),
    );
    let got: Vec<u64> = out_rx.try_iter().collect();
    ensure(
        got == (0..100).collect::<Vec<u64>>(),
        ID,
        "`forward` did not deliver the source's records 0 to 99 to `out`, once each, in order",
    );
}

#[test]
fn stops_when_the_consumer_is_gone() {
    // The source is open and holds 0, 1, 2 (a 0 is a record, not its end).
    let (src_tx, src_rx) = bounded::<u64>(10);
    for r in 0..3 {
        src_tx.send(r).unwrap();
    }
    let (out_tx, out_rx) = bounded::<u64>(10);
    drop(out_rx); // the consumer quit
    let result = run(
        ID,
        "`forward` when every `Receiver` of `out` is gone",
        "A `send` to a channel without a `Receiver` returns `Err` at once: is it checked?",
        move || forward(&src_rx, &out_tx, &never()),
    );
    drop(src_tx);
    ensure(
        result
            == Forwarded {
                sent: 0,
                stop: Stop::ConsumerGone,
            },
        ID,
        format!("`forward` returned {result:?}, expected 0 records sent and `Stop::ConsumerGone`"),
    );
}

#[test]
fn a_job_cancelled_before_it_starts_stops_at_once() {
    let (src_tx, src_rx) = bounded::<u64>(10); // nothing comes
    let (out_tx, _out_rx) = bounded::<u64>(10);
    let (done_tx, done_rx) = bounded::<()>(0);
    drop(done_tx); // cancelled
    let result = run(
        ID,
        "`forward` on a job that is already cancelled",
        "`done` has fired before `forward` even started.",
        move || forward(&src_rx, &out_tx, &done_rx),
    );
    drop(src_tx);
    ensure(
        result
            == Forwarded {
                sent: 0,
                stop: Stop::Cancelled,
            },
        ID,
        format!("`forward` returned {result:?}, expected 0 records sent and `Stop::Cancelled`"),
    );
}

/// Records waiting in the source of `a_cancelled_job_does_not_forward_its_backlog`.
const BACKLOG: u64 = 100;

#[test]
fn a_cancelled_job_does_not_forward_its_backlog() {
    // The job is cancelled before `forward` starts, and the source already
    // holds 100 records (and stays open), with room for all of them in
    // `out`. When a record and the cancel are both ready, either may win a
    // `select!`, so a producer may pass on a record or two; but each record
    // needs the record to win twice (the source, then the send) against a
    // ready cancel, so a producer that stops as soon as it is cancelled
    // forwards half the backlog with a chance of 4^-50: never. One that
    // passes on the backlog first, or prefers the source to `done`, forwards
    // all of it.
    let (src_tx, src_rx) = bounded::<u64>(BACKLOG as usize);
    for r in 1..=BACKLOG {
        src_tx.send(r).unwrap();
    }
    let (out_tx, _out_rx) = bounded::<u64>(BACKLOG as usize);
    let (done_tx, done_rx) = bounded::<()>(0);
    drop(done_tx); // cancelled
    let result = run(
        ID,
        "`forward` on a job that is already cancelled, with 100 records waiting in its source",
        "`done` has fired before `forward` even started.",
        move || forward(&src_rx, &out_tx, &done_rx),
    );
    drop(src_tx);
    ensure(
        result.stop == Stop::Cancelled && result.sent < BACKLOG as usize / 2,
        ID,
        format!(
            "the job was cancelled before `forward` started, with {BACKLOG} records waiting in \
             its source, and `forward` returned {result:?}: a cancelled producer must stop as \
             soon as it is cancelled, not pass on the records that happen to be ready first \
             (a flush before it stops, or a `select_biased!` that puts the source before \
             `done`). When a record and the cancel are both ready, either may win one \
             `select!`, not every one."
        ),
    );
}

#[test]
fn a_cancel_wakes_a_producer_waiting_for_its_source() {
    // The source delivers record 1, then nothing: the producer forwards it
    // and waits for record 2. The job is cancelled while it waits.
    let (src_tx, src_rx) = bounded::<u64>(0);
    let (out_tx, out_rx) = bounded::<u64>(10);
    let (done_tx, done_rx) = bounded::<()>(0);
    let (src_keep, done_keep) = (src_rx.clone(), done_rx.clone());
    let (seen, returned, handle) = helper(move || {
        let keep = (src_keep, done_keep);
        if src_tx.send_timeout(1, patience()).is_err() {
            return (Seen::NeverRead, (src_tx, keep));
        }
        if !a_receiver_waits(&src_tx, patience()) {
            drop(done_tx);
            return (Seen::NeverWaited, (src_tx, keep));
        }
        let _ = a_receiver_waits(&done_tx, grace());
        drop(done_tx); // cancel
        let seen = match src_tx.try_send(2) {
            Ok(()) => Seen::StillWaiting,
            Err(_) => Seen::Fine,
        };
        (seen, (src_tx, keep))
    });
    let outcome = run_within(grader::limit(), move || forward(&src_rx, &out_tx, &done_rx));
    let seen = report(seen, returned, handle);
    let result = match (seen, outcome) {
        (Seen::NeverRead, _) => fail(
            ID,
            format!(
                "`forward` never received record 1 from its source within {} ms",
                patience().as_millis()
            ),
        ),
        (Seen::StillWaiting, _) => fail(
            ID,
            "the job was cancelled while `forward` waited for its next record, and it went on \
             waiting: it took record 2, which arrived *after* the cancel. `source.recv()` \
             waits for the source only; a check of `done` before it cannot see a cancel that \
             comes later. Wait for both at once: `select!` with a `recv(source)` arm and a \
             `recv(done)` arm, Go's `select { case r := <-source: case <-ctx.Done(): }`.",
        ),
        (Seen::NeverWaited, Outcome::Returned(result)) => fail(
            ID,
            format!(
                "after forwarding record 1, `forward` returned {result:?} without waiting for \
                 record 2: the source had not ended and nobody had cancelled"
            ),
        ),
        (Seen::NeverWaited, outcome) => fail(
            ID,
            format!(
                "after forwarding record 1, `forward` never blocked waiting for record 2 (a \
                 blocking `recv` or a `select!` on the source), and it had not returned {} ms \
                 later, although the check cancelled the job after {} ms. Is it busy in a \
                 loop, or blocked on something else?",
                waited_ms(&outcome),
                patience().as_millis()
            ),
        ),
        (Seen::Fine, Outcome::Returned(result)) => result,
        (Seen::Fine, Outcome::Panicked(message)) => fail(
            ID,
            format!("`forward` panicked after the job was cancelled: {message}"),
        ),
        (Seen::Fine, Outcome::Stuck(waited)) => fail(
            ID,
            format!(
                "the cancel woke `forward` while it waited for record 2 (it stopped waiting \
                 for its source), but it had not returned {} ms later. What does your \
                 `recv(done)` arm do? A closed `done` means the job is cancelled: return \
                 `Stop::Cancelled`.",
                waited.as_millis()
            ),
        ),
    };
    ensure(
        result
            == Forwarded {
                sent: 1,
                stop: Stop::Cancelled,
            },
        ID,
        format!("`forward` returned {result:?}, expected 1 record sent and `Stop::Cancelled`"),
    );
    ensure(
        out_rx.try_iter().eq([1]),
        ID,
        "`out` should hold exactly record 1",
    );
}

#[test]
fn a_cancel_wakes_a_producer_waiting_to_send() {
    // The source has records; nobody receives from `out` (no buffer): the
    // producer takes record 7 and waits for room. The job is cancelled while
    // it waits.
    let (src_tx, src_rx) = bounded::<u64>(10);
    src_tx.send(7).unwrap();
    src_tx.send(8).unwrap();
    let (out_tx, out_rx) = bounded::<u64>(0);
    let (done_tx, done_rx) = bounded::<()>(0);
    let (out_keep, done_keep) = (out_tx.clone(), done_rx.clone());
    let (seen, returned, handle) = helper(move || {
        let keep = (src_tx, out_keep, done_keep);
        if !a_sender_waits(&out_rx, patience()) {
            drop(done_tx);
            return (Seen::NeverWaited, (out_rx, keep));
        }
        let _ = a_receiver_waits(&done_tx, grace());
        drop(done_tx); // cancel
        let seen = match out_rx.try_recv() {
            Ok(_) => Seen::StillWaiting,
            Err(_) => Seen::Fine,
        };
        (seen, (out_rx, keep))
    });
    let outcome = run_within(grader::limit(), move || forward(&src_rx, &out_tx, &done_rx));
    let seen = report(seen, returned, handle);
    let result = match (seen, outcome) {
        (Seen::StillWaiting, _) => fail(
            ID,
            "the job was cancelled while `forward` waited to send record 7, and it went on \
             waiting: the record was taken *after* the cancel. `out.send(record)` waits for \
             room only. Wait for room or the cancel: `select!` with a `send(out, record)` arm \
             and a `recv(done)` arm, Go's `select { case out <- r: case <-ctx.Done(): }`. \
             (The consumer here is alive and simply slow, so no `SendError` will come.)",
        ),
        (Seen::NeverRead | Seen::NeverWaited, Outcome::Returned(result)) => fail(
            ID,
            format!(
                "`forward` returned {result:?} without waiting to send record 7 to `out`: the \
                 consumer is alive (only slow) and nobody had cancelled"
            ),
        ),
        (Seen::NeverRead | Seen::NeverWaited, outcome) => fail(
            ID,
            format!(
                "`forward` never blocked waiting to send record 7 to `out` (a blocking `send` \
                 or a `select!` with a `send(out, ..)` arm), and it had not returned {} ms \
                 later, although the check cancelled the job after {} ms. Is it busy in a \
                 loop, or blocked on something else?",
                waited_ms(&outcome),
                patience().as_millis()
            ),
        ),
        (Seen::Fine, Outcome::Returned(result)) => result,
        (Seen::Fine, Outcome::Panicked(message)) => fail(
            ID,
            format!("`forward` panicked after the job was cancelled: {message}"),
        ),
        (Seen::Fine, Outcome::Stuck(waited)) => fail(
            ID,
            format!(
                "the cancel woke `forward` while it waited to send record 7 (it stopped \
                 waiting on `out`), but it had not returned {} ms later. What does your \
                 `recv(done)` arm do? A closed `done` means the job is cancelled: return \
                 `Stop::Cancelled`.",
                waited.as_millis()
            ),
        ),
    };
    ensure(
        result
            == Forwarded {
                sent: 0,
                stop: Stop::Cancelled,
            },
        ID,
        format!("`forward` returned {result:?}, expected 0 records sent and `Stop::Cancelled`"),
    );
}

#[test]
fn a_message_on_done_counts_as_a_cancel() {
    // `done` holds one message and stays open; the source stays open and
    // silent. Only the message can stop the producer.
    let (src_tx, src_rx) = bounded::<u64>(1);
    let (out_tx, _out_rx) = bounded::<u64>(10);
    let (done_tx, done_rx) = bounded::<()>(1);
    done_tx.send(()).unwrap();
    let outcome = run_within(grader::limit(), move || forward(&src_rx, &out_tx, &done_rx));
    drop((src_tx, done_tx));
    match outcome {
        Outcome::Returned(Forwarded {
            sent: 0,
            stop: Stop::Cancelled,
        }) => {}
        Outcome::Returned(result) => fail(
            ID,
            format!(
                "`done` carried a message (and was not closed), and `forward` returned \
                 {result:?}, expected 0 records sent and `Stop::Cancelled`"
            ),
        ),
        Outcome::Panicked(message) => fail(
            ID,
            format!("`forward` with a message waiting on `done` panicked: {message}"),
        ),
        Outcome::Stuck(waited) => fail(
            ID,
            format!(
                "`done` carried a message (and was not closed), and `forward` had not \
                 returned {} ms later. The task says a message on `done` counts as a cancel \
                 too: a `recv(done)` arm that gets `Ok(())` must stop the producer just like \
                 one that gets `Err`.",
                waited.as_millis()
            ),
        ),
    }
}
