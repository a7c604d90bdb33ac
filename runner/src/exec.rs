//! Runs one program with limits: in a process group of its own (so that a
//! `go run` and the program it starts die together), killed as a group when
//! its time is up, its output captured in arrival order up to a cap.
//! (On a system without process groups, only the program itself is killed.)

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How often a running program is looked at; its time limit is kept to
/// within this.
const POLL: Duration = Duration::from_millis(20);

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
    let mut command = Command::new(program);
    command
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    group::own_group(&mut command);
    let mut child = command
        .spawn()
        .map_err(|e| format!("cannot start `{program}`: {e}"))?;
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
    let (status, timed_out) = wait_within(&mut child, limits.time)
        .map_err(|e| format!("waiting for `{program}`: {e}"))?;
    // Whatever the program left running in its group (a `go run` child, a
    // background job) goes too, so the pipes close and nothing outlives it.
    group::kill(&mut child);
    for handle in readers.into_iter().flatten() {
        let _ = handle.join();
    }
    let capture = Arc::try_unwrap(capture)
        .map_err(|_| "a reader thread still holds the output".to_owned())?
        .into_inner()
        .map_err(|e| e.to_string())?;
    Ok(Finished {
        code: status.code(),
        signal: group::signal(status),
        timed_out,
        truncated: capture.truncated,
        elapsed: started.elapsed(),
        chunks: merge(capture.chunks),
    })
}

/// Waits for the program; past `limit`, kills its group and reaps it.
fn wait_within(child: &mut Child, limit: Duration) -> std::io::Result<(ExitStatus, bool)> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status, false));
        }
        if Instant::now() >= deadline {
            group::kill(child);
            return Ok((child.wait()?, true));
        }
        std::thread::sleep(POLL);
    }
}

/// Process groups are a Unix thing; elsewhere the program alone is killed.
#[cfg(unix)]
mod group {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    use std::process::{Child, Command, ExitStatus};

    pub fn own_group(command: &mut Command) {
        command.process_group(0);
    }

    pub fn kill(child: &mut Child) {
        if let Ok(pid) = i32::try_from(child.id()) {
            // ESRCH (the group is already gone) is fine.
            let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
        }
    }

    pub fn signal(status: ExitStatus) -> Option<i32> {
        status.signal()
    }
}

#[cfg(not(unix))]
mod group {
    use std::process::{Child, Command, ExitStatus};

    pub fn own_group(_: &mut Command) {}

    pub fn kill(child: &mut Child) {
        let _ = child.kill();
    }

    pub fn signal(_: ExitStatus) -> Option<i32> {
        None
    }
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

    #[cfg(unix)]
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
}
