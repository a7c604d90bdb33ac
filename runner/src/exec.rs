//! Runs one program with limits: in a process group of its own, marked
//! for the `/proc` sweep (see `hygiene`), ended with everything it started
//! when it exits or its time is up, its output captured in arrival order up
//! to a cap, its lines shown to the caller as they come (to follow a build's
//! phases, or to stop when the client is gone).
//!
//! The request never waits on a pipe for more than a second past the end of
//! the program: a descendant that escaped every kill and holds the pipe only
//! keeps its reader thread, which is abandoned, with the output read so far.

use crate::hygiene;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How often a running program is looked at; its time limit is kept to
/// within this.
const POLL: Duration = Duration::from_millis(20);

/// How long output is still collected once the program has ended (its
/// descendants were killed, so the pipes close at once unless one escaped).
const DRAIN: Duration = Duration::from_secs(1);

/// A line longer than this is cut before the caller sees it (it is kept
/// whole in the output).
const LINE_MAX: usize = 4096;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub time: Duration,
    /// Bytes of stdout and stderr together; the rest is dropped with a note.
    pub output: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

impl Stream {
    pub fn name(self) -> &'static str {
        match self {
            Stream::Stdout => "stdout",
            Stream::Stderr => "stderr",
        }
    }
}

/// What the caller answers to each line of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Go,
    /// The time limit starts again now, with this length (a build ended and
    /// what runs next has a limit of its own).
    Restart(Duration),
    /// End the program now (whoever wanted its result is gone).
    Stop,
}

/// One program to run.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    pub dir: &'a Path,
    pub program: &'a str,
    pub args: &'a [String],
    pub env: &'a [(&'a str, &'a str)],
    pub limits: Limits,
}

#[derive(Debug)]
pub struct Finished {
    /// The exit code; None when a signal ended the program.
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    /// The caller asked to stop it.
    pub stopped: bool,
    pub truncated: bool,
    pub elapsed: Duration,
    /// Output in the order it arrived, neighbouring chunks of one stream
    /// joined.
    pub chunks: Vec<(Stream, String)>,
}

impl Finished {
    pub fn stdout(&self) -> String {
        self.text_of(Stream::Stdout)
    }

    pub fn stderr(&self) -> String {
        self.text_of(Stream::Stderr)
    }

    fn text_of(&self, stream: Stream) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == stream)
            .map(|(_, t)| t.as_str())
            .collect()
    }

    /// Whether it ran to its end and exited 0.
    pub fn succeeded(&self) -> bool {
        self.code == Some(0) && !self.timed_out && !self.stopped
    }

    /// The last `max` characters of all output, for an error report.
    pub fn tail(&self, max: usize) -> String {
        let all: String = self.chunks.iter().map(|(_, t)| t.as_str()).collect();
        let skip = all.chars().count().saturating_sub(max);
        all.chars().skip(skip).collect()
    }
}

/// Runs `job` without watching its lines.
pub fn run(job: Job) -> Result<Finished, String> {
    run_watched(job, &mut |_, _| Control::Go)
}

enum Piece {
    Bytes(Stream, Vec<u8>),
    End,
}

/// Runs `job`, calling `watch` with each complete line of its output.
pub fn run_watched(
    job: Job,
    watch: &mut dyn FnMut(Stream, &str) -> Control,
) -> Result<Finished, String> {
    let started = Instant::now();
    let marker = crate::guard::new_token()?;
    let mut command = Command::new(job.program);
    command
        .args(job.args)
        .envs(job.env.iter().copied())
        .env(hygiene::MARKER_VAR, &marker)
        .current_dir(job.dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    group::own_group(&mut command);
    let child = hygiene::spawn(&mut command, &marker)
        .map_err(|e| format!("cannot start `{}`: {e}", job.program))?;
    let mut run = Running {
        child,
        marker,
        ended: false,
    };
    let child = &mut run.child;
    let (tx, rx) = mpsc::channel();
    let mut open = 0;
    if let Some(out) = child.stdout.take() {
        reader(out, Stream::Stdout, tx.clone());
        open += 1;
    }
    if let Some(err) = child.stderr.take() {
        reader(err, Stream::Stderr, tx.clone());
        open += 1;
    }
    drop(tx);
    let waited = collect(&mut run, job.limits, open, &rx, watch);
    drop(run);
    let (status, capture) = waited.map_err(|e| format!("waiting for `{}`: {e}", job.program))?;
    Ok(Finished {
        code: status.code(),
        signal: group::signal(status),
        timed_out: capture.timed_out,
        stopped: capture.stopped,
        truncated: capture.truncated,
        elapsed: started.elapsed(),
        chunks: merge(capture.chunks),
    })
}

#[derive(Default)]
struct Capture {
    chunks: Vec<(Stream, Vec<u8>)>,
    used: usize,
    truncated: bool,
    timed_out: bool,
    stopped: bool,
    /// Per stream, the start of a line not ended yet.
    partial: [Vec<u8>; 2],
}

/// Waits for the program within its limit and gathers its output; ends the
/// run's processes either way.
/// A started program, ended with everything it started when dropped, even
/// by a panic of the caller's watcher: no run outlives its request.
struct Running {
    child: Child,
    marker: String,
    /// Already ended and waited for.
    ended: bool,
}

impl Running {
    fn end(&mut self) {
        hygiene::end_run(self.child.id(), &self.marker);
        // Already dead where process groups exist; the one kill there is
        // elsewhere.
        let _ = self.child.kill();
        self.ended = true;
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if !self.ended {
            self.end();
            let _ = self.child.wait();
        }
        hygiene::forget(&self.child);
    }
}

fn collect(
    run: &mut Running,
    limits: Limits,
    mut open: usize,
    rx: &Receiver<Piece>,
    watch: &mut dyn FnMut(Stream, &str) -> Control,
) -> std::io::Result<(ExitStatus, Capture)> {
    let mut capture = Capture::default();
    let mut deadline = Instant::now() + limits.time;
    let mut ended: Option<(ExitStatus, Instant)> = None;
    loop {
        match rx.recv_timeout(POLL) {
            Ok(Piece::Bytes(stream, bytes)) => {
                let control = take(&mut capture, limits.output, stream, &bytes, watch);
                match control {
                    Control::Go => {}
                    Control::Restart(limit) => deadline = Instant::now() + limit,
                    Control::Stop => capture.stopped = true,
                }
            }
            Ok(Piece::End) => open -= 1,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => open = 0,
        }
        if ended.is_none() {
            let exited = run.child.try_wait()?;
            let late = Instant::now() >= deadline;
            if exited.is_some() || late || capture.stopped {
                capture.timed_out = exited.is_none() && late && !capture.stopped;
                // Whatever it left running (a `go run` child, a background
                // job, a `setsid` escapee) goes too, so the pipes close.
                run.end();
                let status = match exited {
                    Some(status) => status,
                    None => run.child.wait()?,
                };
                ended = Some((status, Instant::now() + DRAIN));
            }
        }
        if let Some((status, drain_until)) = ended {
            if open == 0 || Instant::now() >= drain_until {
                for stream in [Stream::Stdout, Stream::Stderr] {
                    flush_partial(&mut capture, stream, watch);
                }
                return Ok((status, capture));
            }
        }
    }
}

fn index(stream: Stream) -> usize {
    match stream {
        Stream::Stdout => 0,
        Stream::Stderr => 1,
    }
}

/// Keeps what fits under the cap and shows each completed line to `watch`.
fn take(
    capture: &mut Capture,
    cap: usize,
    stream: Stream,
    bytes: &[u8],
    watch: &mut dyn FnMut(Stream, &str) -> Control,
) -> Control {
    let keep = bytes.len().min(cap - capture.used);
    capture.used += keep;
    if keep < bytes.len() {
        capture.truncated = true;
    }
    if keep > 0 {
        capture.chunks.push((stream, bytes[..keep].to_vec()));
    }
    let mut control = Control::Go;
    let partial = &mut capture.partial[index(stream)];
    for &b in bytes {
        if b == b'\n' {
            let line = String::from_utf8_lossy(partial).into_owned();
            partial.clear();
            control = strongest(control, watch(stream, line.trim_end_matches('\r')));
        } else if partial.len() < LINE_MAX {
            partial.push(b);
        }
    }
    control
}

fn flush_partial(
    capture: &mut Capture,
    stream: Stream,
    watch: &mut dyn FnMut(Stream, &str) -> Control,
) {
    let partial = std::mem::take(&mut capture.partial[index(stream)]);
    if !partial.is_empty() {
        watch(stream, &String::from_utf8_lossy(&partial));
    }
}

/// Stop wins over a restart, which wins over going on; of two restarts,
/// the later.
fn strongest(a: Control, b: Control) -> Control {
    match (a, b) {
        (Control::Stop, _) | (_, Control::Stop) => Control::Stop,
        (_, Control::Restart(d)) | (Control::Restart(d), Control::Go) => Control::Restart(d),
        (Control::Go, Control::Go) => Control::Go,
    }
}

/// Reads one pipe to its end, handing each piece on. Past the cap the pipe
/// is still drained (the caller drops the bytes), so the program is not
/// blocked on a full pipe until its time limit.
fn reader(mut pipe: impl Read + Send + 'static, stream: Stream, tx: Sender<Piece>) {
    let spawned = std::thread::Builder::new()
        .name("runner-pipe".to_owned())
        .spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send(Piece::Bytes(stream, buf[..n].to_vec())).is_err() {
                            return;
                        }
                    }
                }
            }
            let _ = tx.send(Piece::End);
        });
    // Without a reader the pipe is dropped: the program gets EPIPE, and the
    // run ends with what it has (the channel counts this reader as ended
    // when its sender, dropped with the closure, goes).
    drop(spawned);
}

/// Joins neighbouring chunks of one stream and decodes them (a UTF-8
/// character split across reads is joined before decoding).
fn merge(chunks: Vec<(Stream, Vec<u8>)>) -> Vec<(Stream, String)> {
    let mut joined: Vec<(Stream, Vec<u8>)> = Vec::new();
    for (stream, bytes) in chunks {
        match joined.last_mut() {
            Some((last, acc)) if *last == stream => acc.extend(bytes),
            _ => joined.push((stream, bytes)),
        }
    }
    joined
        .into_iter()
        .map(|(s, b)| (s, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

/// Process groups are a Unix thing; elsewhere the program alone is killed.
#[cfg(unix)]
mod group {
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Command, ExitStatus};

    pub fn own_group(command: &mut Command) {
        command.process_group(0);
    }

    pub fn signal(status: ExitStatus) -> Option<i32> {
        status.signal()
    }
}

#[cfg(not(unix))]
mod group {
    use std::process::{Command, ExitStatus};

    pub fn own_group(_: &mut Command) {}

    pub fn signal(_: ExitStatus) -> Option<i32> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, limits: Limits) -> Finished {
        run(Job {
            dir: Path::new("."),
            program: "sh",
            args: &["-c".to_owned(), script.to_owned()],
            env: &[],
            limits,
        })
        .unwrap()
    }

    const ROOMY: Limits = Limits {
        time: Duration::from_secs(30),
        output: 1 << 20,
    };

    #[cfg(unix)]
    #[test]
    fn captures_both_streams_and_the_exit_code() {
        let done = sh("echo out; echo err >&2; exit 3", ROOMY);
        assert_eq!(done.code, Some(3));
        assert!(!done.timed_out && !done.truncated && !done.succeeded());
        assert_eq!(done.stdout(), "out\n");
        assert_eq!(done.stderr(), "err\n");
    }

    #[cfg(unix)]
    #[test]
    fn output_past_the_cap_is_dropped_and_said() {
        let done = sh(
            "head -c 100000 /dev/zero | tr '\\0' x",
            Limits {
                output: 1000,
                ..ROOMY
            },
        );
        assert_eq!(done.code, Some(0));
        assert!(done.truncated);
        assert_eq!(done.stdout().len(), 1000);
    }

    #[cfg(unix)]
    #[test]
    fn the_watcher_sees_each_line_and_can_restart_the_limit_or_stop() {
        let mut seen = Vec::new();
        // The first limit (2 s) is replaced by a longer one when `built`
        // shows: the 3 s sleep after it does not time out.
        let done = run_watched(
            Job {
                dir: Path::new("."),
                program: "sh",
                args: &[
                    "-c".to_owned(),
                    "echo built >&2; sleep 3; printf 'a\\nb'".to_owned(),
                ],
                env: &[],
                limits: Limits {
                    time: Duration::from_secs(2),
                    output: 1 << 20,
                },
            },
            &mut |stream, line| {
                seen.push((stream, line.to_owned()));
                if line == "built" {
                    Control::Restart(Duration::from_secs(30))
                } else {
                    Control::Go
                }
            },
        )
        .unwrap();
        assert!(done.succeeded(), "{done:?}");
        assert_eq!(
            seen,
            [
                (Stream::Stderr, "built".to_owned()),
                (Stream::Stdout, "a".to_owned()),
                (Stream::Stdout, "b".to_owned())
            ]
        );

        let stopped = run_watched(
            Job {
                dir: Path::new("."),
                program: "sh",
                args: &["-c".to_owned(), "echo go; sleep 30".to_owned()],
                env: &[],
                limits: ROOMY,
            },
            &mut |_, _| Control::Stop,
        )
        .unwrap();
        assert!(stopped.stopped && !stopped.timed_out, "{stopped:?}");
        assert!(stopped.elapsed < Duration::from_secs(20), "{stopped:?}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_watcher_that_panics_leaves_nothing_running() {
        let dir = std::env::temp_dir().join(format!("runner-exec-panic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pids = dir.join("pids");
        let script = format!(
            "sleep 30 & echo $! > {0}.tmp; echo $$ >> {0}.tmp; mv {0}.tmp {0}; echo go; wait",
            pids.display()
        );
        let panicked = std::panic::catch_unwind(|| {
            run_watched(
                Job {
                    dir: Path::new("."),
                    program: "sh",
                    args: &["-c".to_owned(), script],
                    env: &[],
                    limits: ROOMY,
                },
                &mut |_, _| panic!("a watcher's bug"),
            )
        });
        assert!(panicked.is_err());
        let pids = std::fs::read_to_string(&pids).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let dead = |pid: &str| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .map_or(true, |s| s.contains(") Z "))
        };
        // The shell was waited for; its `sleep` (adopted by init or a
        // subreaper) must be dead, or dying: a killed process takes a moment.
        let until = Instant::now() + Duration::from_secs(10);
        while !pids.lines().all(dead) && Instant::now() < until {
            std::thread::sleep(POLL);
        }
        for pid in pids.lines() {
            assert!(dead(pid), "{pid} still runs");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_setsid_escapee_holding_the_pipe_is_killed_with_the_run() {
        // The escapee would print after 20 s and keeps stdout open; the run
        // itself exits at once. Without the marker sweep the request would
        // wait the 20 s on the pipe.
        let done = sh("setsid sh -c 'sleep 20; echo late' & echo started", ROOMY);
        assert!(done.elapsed < Duration::from_secs(10), "{done:?}");
        assert_eq!(done.stdout(), "started\n");
    }
}
