//! Nothing a run starts outlives it.
//!
//! A run is a process group of its own, and every process of it carries
//! `RUNNER_RUN=<marker>` (random per run) in its environment. When the run
//! ends or reaches its limit, the group is killed, then every process whose
//! `/proc/PID/environ` carries the marker: that catches a descendant that
//! left the group with `setsid` (it would otherwise keep the output pipe
//! open, and the request waiting). A process that also cleared its
//! environment escapes this; the request still does not wait for it (see
//! `exec`), and it is reaped when it ends, because the runner is a child
//! subreaper: orphans of a run are re-parented to the runner, not to init.
//!
//! Reaping must not steal an exit status from a `Child` that `exec` waits
//! for: direct children are registered under [`CHILDREN`] while they run, and
//! the reaper waits only for zombies that are our children and not
//! registered. The lock is held across spawn and registration.
//!
//! Runs are in process groups of their own, so a Ctrl-C in the terminal
//! (or `serve` stopping the runner) does not reach them: the runner binary
//! calls [`end_runs_on_signal`], which ends every registered run before the
//! runner exits.

use std::collections::HashMap;
use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The environment variable that marks every process of a run.
pub const MARKER_VAR: &str = "RUNNER_RUN";

/// Direct children that run now: pid, and their run's marker.
static CHILDREN: Mutex<Option<HashMap<u32, String>>> = Mutex::new(None);

fn children() -> MutexGuard<'static, Option<HashMap<u32, String>>> {
    CHILDREN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Spawns `command` (which carries `marker` in its environment) and
/// registers it as a direct child until [`forget`].
pub fn spawn(command: &mut Command, marker: &str) -> std::io::Result<Child> {
    let mut registered = children();
    let child = command.spawn()?;
    registered
        .get_or_insert_with(HashMap::new)
        .insert(child.id(), marker.to_owned());
    Ok(child)
}

/// After the child was waited for: its pid is no longer ours to protect.
pub fn forget(child: &Child) {
    if let Some(set) = children().as_mut() {
        set.remove(&child.id());
    }
}

/// Ends every run that is registered now (the runner is stopping).
pub fn end_all_runs() {
    let runs: Vec<(u32, String)> = children()
        .as_ref()
        .map(|set| {
            set.iter()
                .map(|(pid, marker)| (*pid, marker.clone()))
                .collect()
        })
        .unwrap_or_default();
    for (pid, marker) in runs {
        end_run(pid, &marker);
    }
}

/// For the runner binary, before it starts any thread: SIGINT, SIGTERM and
/// SIGHUP are blocked (every later thread inherits that; a spawned program
/// starts with none blocked) and taken by a thread of their own, which ends
/// every run and then exits as the signal would have.
#[cfg(unix)]
pub fn end_runs_on_signal() -> Result<(), String> {
    use nix::sys::signal::{SigSet, Signal};
    let mut set = SigSet::empty();
    for signal in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        set.add(signal);
    }
    set.thread_block()
        .map_err(|e| format!("cannot block the stop signals: {e}"))?;
    std::thread::Builder::new()
        .name("runner-signals".to_owned())
        .spawn(move || {
            let signal = set.wait().unwrap_or(Signal::SIGTERM);
            end_all_runs();
            std::process::exit(128 + signal as i32);
        })
        .map(drop)
        .map_err(|e| format!("cannot start the signal thread: {e}"))
}

#[cfg(not(unix))]
pub fn end_runs_on_signal() -> Result<(), String> {
    Ok(())
}

#[cfg(target_os = "linux")]
mod linux {
    use super::*;
    use nix::sys::signal::{Signal, kill, killpg};
    use nix::sys::wait::{WaitPidFlag, waitpid};
    use nix::unistd::Pid;
    use std::time::{Duration, Instant};

    /// Makes this process the reaper of its descendants' orphans, and starts
    /// the thread that reaps them. Once per process, however often called.
    pub fn become_subreaper() -> Result<(), String> {
        static STARTED: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
        STARTED
            .get_or_init(|| {
                nix::sys::prctl::set_child_subreaper(true)
                    .map_err(|e| format!("cannot become a child subreaper: {e}"))?;
                std::thread::Builder::new()
                    .name("runner-reaper".to_owned())
                    .spawn(|| {
                        loop {
                            reap_orphans();
                            std::thread::sleep(Duration::from_secs(2));
                        }
                    })
                    .map(drop)
                    .map_err(|e| format!("cannot start the reaper: {e}"))
            })
            .clone()
    }

    /// Kills the run's group and every process carrying its marker, until
    /// none is left (a process may fork while the sweep runs), for at most a
    /// second; then reaps the orphans this leaves.
    pub fn end_run(group: u32, marker: &str) {
        if let Ok(pgid) = i32::try_from(group) {
            // ESRCH (the group is already gone) is fine.
            let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        }
        let needle = format!("{MARKER_VAR}={marker}");
        let deadline = Instant::now() + Duration::from_secs(1);
        loop {
            let found = marked(&needle);
            for pid in &found {
                let _ = kill(Pid::from_raw(*pid), Signal::SIGKILL);
            }
            if found.is_empty() || Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        reap_orphans();
    }

    /// Pids of the live processes whose environment has `needle`
    /// (`RUNNER_RUN=<marker>`). Zombies have no environment to read.
    pub fn marked(needle: &str) -> Vec<i32> {
        let me = std::process::id();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| pid != me)
            .filter(|pid| {
                std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|env| {
                    env.split(|&b| b == 0)
                        .any(|entry| entry == needle.as_bytes())
                })
            })
            .filter_map(|pid| i32::try_from(pid).ok())
            .collect()
    }

    /// Waits for every zombie that is our child and not a registered direct
    /// child (an orphan of a run, re-parented to us).
    pub fn reap_orphans() {
        let me = std::process::id();
        let registered = children();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return;
        };
        for pid in entries.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok()) {
            if registered
                .as_ref()
                .is_some_and(|set| set.contains_key(&pid))
            {
                continue;
            }
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            // `pid (comm) S ppid ...`: comm may hold spaces and parentheses,
            // so the fields are read after the last `)`.
            let Some((_, rest)) = stat.rsplit_once(") ") else {
                continue;
            };
            let mut fields = rest.split(' ');
            let (state, ppid) = (fields.next(), fields.next());
            if state == Some("Z") && ppid == Some(me.to_string().as_str()) {
                if let Ok(pid) = i32::try_from(pid) {
                    let _ = waitpid(Pid::from_raw(pid), Some(WaitPidFlag::WNOHANG));
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
pub use linux::{become_subreaper, end_run, marked, reap_orphans};

/// Elsewhere on Unix: the group is killed, without the `/proc` sweep.
#[cfg(all(unix, not(target_os = "linux")))]
pub fn end_run(group: u32, _marker: &str) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    if let Ok(pgid) = i32::try_from(group) {
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
    }
}

#[cfg(not(target_os = "linux"))]
pub fn become_subreaper() -> Result<(), String> {
    Ok(())
}

/// Without process groups, `exec` kills the program itself.
#[cfg(not(unix))]
pub fn end_run(_group: u32, _marker: &str) {}
