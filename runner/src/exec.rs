//! Runs one program with limits: in a process group of its own (so that a
//! `go run` and the program it starts die together), killed as a group when
//! its time is up, its output captured in arrival order up to a cap.

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

#[derive(Debug)]
pub struct Finished {
    /// The exit code; None when a signal ended the program.
    pub code: Option<i32>,
    pub signal: Option<i32>,
    pub timed_out: bool,
    pub truncated: bool,
    pub elapsed: Duration,
    /// Output in the order it arrived, chunk by chunk.
    pub chunks: Vec<(Stream, String)>,
}

impl Finished {
    pub fn stdout(&self) -> String {
        self.text_of(Stream::Stdout)
    }

    fn text_of(&self, stream: Stream) -> String {
        self.chunks
            .iter()
            .filter(|(s, _)| *s == stream)
            .map(|(_, t)| t.as_str())
            .collect()
    }
}

/// Shared by the two reader threads: what arrived, and how much room is left.
struct Capture {
    chunks: Vec<(Stream, Vec<u8>)>,
    room: usize,
    truncated: bool,
}

pub fn run(
    dir: &Path,
    program: &str,
    args: &[String],
    env: &[(&str, &str)],
    limits: Limits,
) -> Result<Finished, String> {
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot start `{program}`: {e}"))?;
    let group = Pid::from_raw(i32::try_from(child.id()).map_err(|e| e.to_string())?);
    let capture = Arc::new(Mutex::new(Capture {
        chunks: Vec::new(),
        room: limits.output,
        truncated: false,
    }));
    let readers = [
        child
            .stdout
            .take()
            .map(|r| reader(r, Stream::Stdout, &capture)),
        child
            .stderr
            .take()
            .map(|r| reader(r, Stream::Stderr, &capture)),
    ];
    let (done_tx, done_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done_tx.send(child.wait());
    });
    let (status, timed_out) = match done_rx.recv_timeout(limits.time) {
        Ok(status) => (status, false),
        Err(_) => {
            let _ = killpg(group, Signal::SIGKILL);
            (done_rx.recv().map_err(|e| e.to_string())?, true)
        }
    };
    let status = status.map_err(|e| format!("waiting for `{program}`: {e}"))?;
    // Whatever the program left running in its group (a `go run` child, a
    // background job) goes too, so the pipes close and nothing outlives it.
    let _ = killpg(group, Signal::SIGKILL);
    for handle in readers.into_iter().flatten() {
        let _ = handle.join();
    }
    let capture = Arc::try_unwrap(capture)
        .map_err(|_| "a reader thread still holds the output".to_owned())?
        .into_inner()
        .map_err(|e| e.to_string())?;
    Ok(Finished {
        code: status.code(),
        signal: status.signal(),
        timed_out,
        truncated: capture.truncated,
        elapsed: started.elapsed(),
        chunks: merge(capture.chunks),
    })
}

fn reader(
    mut pipe: impl Read + Send + 'static,
    stream: Stream,
    capture: &Arc<Mutex<Capture>>,
) -> std::thread::JoinHandle<()> {
    let capture = Arc::clone(capture);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            let n = match pipe.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            let Ok(mut c) = capture.lock() else { return };
            // Past the cap the pipe is still drained, so the program is not
            // blocked on a full pipe until its time limit.
            let keep = n.min(c.room);
            c.room -= keep;
            if keep < n {
                c.truncated = true;
            }
            if keep > 0 {
                c.chunks.push((stream, buf[..keep].to_vec()));
            }
        }
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str, limits: Limits) -> Finished {
        run(
            Path::new("."),
            "sh",
            &["-c".to_owned(), script.to_owned()],
            &[],
            limits,
        )
        .unwrap()
    }

    const ROOMY: Limits = Limits {
        time: Duration::from_secs(30),
        output: 1 << 20,
    };

    #[test]
    fn captures_both_streams_and_the_exit_code() {
        let done = sh("echo out; echo err >&2; exit 3", ROOMY);
        assert_eq!(done.code, Some(3));
        assert!(!done.timed_out && !done.truncated);
        assert_eq!(done.stdout(), "out\n");
        assert!(
            done.chunks
                .iter()
                .any(|(s, t)| *s == Stream::Stderr && t == "err\n")
        );
    }

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
}
