//! What `cargo xtask check ID --json` says on stderr while it grades, for the
//! runner to show as phases: `building ID...`, Cargo's `Blocking waiting for
//! file lock ...` when another build holds the grading crates' build folder
//! (the background prebuild of `serve`, a `progress` in another terminal),
//! and `grading ID...` when the checks run. Stdout stays one JSON object.
//!
//! The grading engine keeps Cargo's messages to itself, so they are read
//! from the outside instead: on Linux, `/proc` says which of our children
//! runs (Cargo or a test program) and `/proc/locks` who holds Cargo's lock
//! (which this process takes itself when a save is compiled by rustc alone).
//! Elsewhere only the first line is printed.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the processes are looked at.
const POLL: Duration = Duration::from_millis(250);

/// What to say.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Say {
    /// Every phase: for the runner (`check ID --json`).
    Phases,
    /// Only a wait for another build: for `watch`, which says the rest.
    WaitsOnly,
}

/// Prints the phases of one grading until dropped.
pub struct Phases {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Phases {
    /// `build_dir`: the folder whose `.cargo-lock` the grading's Cargo takes.
    pub fn start(id: &str, build_dir: &Path, say: Say) -> Phases {
        if say == Say::Phases {
            eprintln!("building {id}...");
        }
        let stop = Arc::new(AtomicBool::new(false));
        let thread = cfg!(target_os = "linux").then(|| {
            let (id, build_dir, stop) = (id.to_owned(), build_dir.to_owned(), Arc::clone(&stop));
            std::thread::spawn(move || watch(&id, &build_dir, say, &stop))
        });
        Phases { stop, thread }
    }
}

impl Drop for Phases {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Building,
    Waiting,
    Grading,
}

fn watch(id: &str, build_dir: &Path, say: Say, stop: &AtomicBool) {
    let lock = build_dir.join("debug").join(".cargo-lock");
    let me = std::process::id();
    let mut phase = Phase::Building;
    // A wait is reported when seen twice in a row: not for a lock that
    // changes hands in passing.
    let mut waits_seen = 0;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(POLL);
        let children = children_of(me);
        // A test program of the grading crates: the checks run.
        if phase != Phase::Grading && children.iter().any(|c| c.program.starts_with(build_dir)) {
            phase = Phase::Grading;
            if say == Say::Phases {
                eprintln!("grading {id}...");
            }
            continue;
        }
        // Who takes the lock on our side: Cargo, or this process itself (a
        // save compiled by rustc alone takes Cargo's lock: engine::rustc_alone).
        let ours: Vec<u32> = children
            .iter()
            .filter(|c| c.is_cargo())
            .map(|c| c.pid)
            .chain([me])
            .collect();
        let foreign = lock_holders(&lock)
            .into_iter()
            .find(|holder| !ours.contains(holder));
        match (phase, foreign) {
            (Phase::Building, Some(holder)) => {
                waits_seen += 1;
                if waits_seen >= 2 {
                    phase = Phase::Waiting;
                    eprintln!(
                        "Blocking waiting for file lock on the grading build directory ({}): \
                         process {holder} holds it ({})",
                        shown(build_dir),
                        command_line(holder)
                    );
                }
            }
            (Phase::Waiting, None) => {
                phase = Phase::Building;
                waits_seen = 0;
                if say == Say::Phases {
                    eprintln!("building {id}...");
                }
            }
            (Phase::Building, None) => waits_seen = 0,
            _ => {}
        }
    }
}

/// A path as the learner would type it: from the current folder.
fn shown(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

struct ChildProcess {
    pid: u32,
    program: PathBuf,
}

impl ChildProcess {
    fn is_cargo(&self) -> bool {
        self.program.file_stem().is_some_and(|name| name == "cargo")
    }
}

/// The processes whose parent is `parent`, with their program.
fn children_of(parent: u32) -> Vec<ChildProcess> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            (parent_in_stat(&stat)? == parent).then(|| ChildProcess {
                pid,
                program: PathBuf::from(command_line(pid).split(' ').next().unwrap_or("")),
            })
        })
        .collect()
}

/// The parent pid in a `/proc/PID/stat` line: `pid (comm) state ppid ...`,
/// where comm may hold spaces and parentheses.
fn parent_in_stat(stat: &str) -> Option<u32> {
    let after_comm = &stat[stat.rfind(')')? + 1..];
    after_comm.split_whitespace().nth(1)?.parse().ok()
}

fn command_line(pid: u32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| {
            String::from_utf8_lossy(&bytes)
                .split('\0')
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

/// The pids holding a write `flock` on `file` (Cargo's build lock).
#[cfg(not(unix))]
fn lock_holders(_file: &Path) -> Vec<u32> {
    Vec::new()
}

#[cfg(unix)]
fn lock_holders(file: &Path) -> Vec<u32> {
    use std::os::unix::fs::MetadataExt;
    let Ok(inode) = std::fs::metadata(file).map(|m| m.ino()) else {
        return Vec::new();
    };
    let locks = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    write_flock_holders(&locks, inode)
}

/// From `/proc/locks` lines such as
/// `2: FLOCK  ADVISORY  WRITE 17141 fe:00:10625152 0 EOF`.
fn write_flock_holders(locks: &str, inode: u64) -> Vec<u32> {
    locks
        .lines()
        .filter_map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            // `->` marks a process blocked on the lock, not holding it.
            if words.get(1) != Some(&"FLOCK") || words.get(3) != Some(&"WRITE") {
                return None;
            }
            let file_inode: u64 = words.get(5)?.rsplit(':').next()?.parse().ok()?;
            (file_inode == inode).then(|| words.get(4)?.parse().ok())?
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_locks_and_stat() {
        let locks = "1: FLOCK  ADVISORY  READ 15869 fe:00:10135599 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 17141 fe:00:10625152 0 EOF\n\
                     2: -> FLOCK  ADVISORY  WRITE 17200 fe:00:10625152 0 EOF\n\
                     3: POSIX  ADVISORY  WRITE 999 fe:00:10625152 0 EOF\n";
        assert_eq!(write_flock_holders(locks, 10_625_152), [17141]);
        assert!(write_flock_holders(locks, 1).is_empty());
        assert_eq!(parent_in_stat("42 (a (b) c) S 7 42 42 0"), Some(7));
        assert_eq!(parent_in_stat("garbage"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn finds_its_own_children() {
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        // Right after the fork the child is still a copy of this program:
        // look again until it has become `sleep` (on a loaded machine the
        // exec can take a while), for at most the child's own 5 s.
        let started = std::time::Instant::now();
        let sleep = loop {
            let found = children_of(std::process::id());
            let child_now = found.into_iter().find(|c| c.pid == child.id());
            match child_now {
                Some(c) if c.program.ends_with("sleep") => break Some(c),
                _ if started.elapsed() > std::time::Duration::from_secs(4) => break None,
                _ => std::thread::sleep(std::time::Duration::from_millis(10)),
            }
        };
        let _ = child.kill();
        let _ = child.wait();
        let sleep = sleep.expect("the child, running `sleep`");
        assert!(!sleep.is_cargo());
    }
}
