//! The NDJSON stream of Run, Check and progress: one JSON object a line,
//! written as it happens (`phase` events, then one `done` or `error`), and
//! the reading of a build's output that tells the phases apart.

use crate::exec::{Control, Stream};
use crate::http::Client;
use serde_json::{Value, json};
use std::time::Duration;

/// What cargo prints while another build holds its lock.
pub const CARGO_LOCK_WAIT: &str = "Blocking waiting for file lock";

/// The event stream of one request. A write that fails means the client
/// is gone: later writes are skipped and [`Events::gone`] says so, so the
/// program can be stopped.
pub struct Events<'a> {
    client: &'a mut Client,
    gone: bool,
}

impl<'a> Events<'a> {
    /// After the answer's head was sent.
    pub fn new(client: &'a mut Client) -> Events<'a> {
        Events {
            client,
            gone: false,
        }
    }

    pub fn gone(&self) -> bool {
        self.gone
    }

    fn send(&mut self, value: &Value) {
        if self.gone {
            return;
        }
        let mut line = value.to_string();
        line.push('\n');
        if self.client.send(line.as_bytes()).is_err() {
            self.gone = true;
        }
    }

    pub fn phase(&mut self, phase: Phase, text: &str) {
        self.send(&json!({"event": "phase", "phase": phase.name(), "text": text}));
    }

    pub fn done(&mut self, result: &Value) {
        self.send(&json!({"event": "done", "result": result}));
    }

    pub fn error(&mut self, error: &str, output: &str) {
        self.send(&json!({"event": "error", "error": error, "output": output}));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Compiling; the build limit applies.
    Building,
    /// Blocked on Cargo's build lock, or on another grader.
    Waiting,
    /// The program itself; the run limit applies.
    Running,
    /// The checks.
    Grading,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Building => "building",
            Phase::Waiting => "waiting",
            Phase::Running => "running",
            Phase::Grading => "grading",
        }
    }
}

/// Follows a build's (or the grader's) stderr and emits a phase event when
/// the phase changes: cargo's lock message means waiting, the next other
/// line means building again; for the grader, a line starting `grading`
/// (or `running`) means the checks run, and their own limit starts.
pub struct PhaseReader {
    pub phase: Phase,
    /// The grading limit, when the program may switch to grading.
    grading_limit: Option<Duration>,
}

impl PhaseReader {
    pub fn new(phase: Phase, grading_limit: Option<Duration>) -> PhaseReader {
        PhaseReader {
            phase,
            grading_limit,
        }
    }

    /// The phase a line of stderr moves to, if it is another one.
    pub fn next(&self, line: &str) -> Option<Phase> {
        let line = line.trim();
        let next = if line.contains(CARGO_LOCK_WAIT) {
            Phase::Waiting
        } else if self.grading_limit.is_some()
            && (line.starts_with("grading") || line.starts_with("running"))
        {
            Phase::Grading
        } else if line.starts_with("building") || self.phase == Phase::Waiting {
            Phase::Building
        } else {
            return None;
        };
        (next != self.phase).then_some(next)
    }

    /// Reads one line; tells `events` about a new phase, and stops the
    /// program when the client is gone.
    pub fn line(&mut self, events: &mut Events, stream: Stream, line: &str) -> Control {
        let mut control = Control::Go;
        if stream == Stream::Stderr && !line.trim().is_empty() {
            if let Some(next) = self.next(line) {
                self.phase = next;
                // The line itself: the grader's lock line names the process
                // that holds the lock.
                events.phase(next, line.trim());
                if let (Phase::Grading, Some(limit)) = (next, self.grading_limit) {
                    control = Control::Restart(limit);
                }
            }
        }
        if events.gone() {
            Control::Stop
        } else {
            control
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_lock_lines_mean_waiting_and_the_next_line_building_again() {
        let mut r = PhaseReader::new(Phase::Building, None);
        assert_eq!(r.next("   Compiling listings v0.1.0"), None);
        let lock = "    Blocking waiting for file lock on build directory";
        assert_eq!(r.next(lock), Some(Phase::Waiting));
        r.phase = Phase::Waiting;
        assert_eq!(r.next(lock), None);
        assert_eq!(
            r.next("   Compiling listings v0.1.0"),
            Some(Phase::Building)
        );
        r.phase = Phase::Building;
        // Without a grading limit, `running` is the program's own output.
        assert_eq!(r.next("running 3 tests"), None);
    }

    #[test]
    fn the_grader_says_building_then_grading() {
        let mut r = PhaseReader::new(Phase::Building, Some(Duration::from_secs(5)));
        assert_eq!(r.next("building leak_coordinator..."), None);
        r.phase = Phase::Waiting;
        assert_eq!(
            r.next("building leak_coordinator..."),
            Some(Phase::Building)
        );
        r.phase = Phase::Building;
        assert_eq!(r.next("grading leak_coordinator..."), Some(Phase::Grading));
    }
}
