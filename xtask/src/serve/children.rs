//! Stopping what `serve` started: politely first (SIGTERM, so the runner can
//! stop its own runs), then for good.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// How long a child gets to stop after SIGTERM before it is killed.
pub const GRACE: Duration = Duration::from_secs(3);

/// Puts the command in a process group of its own, so that stopping it
/// stops the compilers and test programs it starts, too.
pub fn in_own_group(cmd: &mut Command) -> &mut Command {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd
}

/// Stops `child` (and its process group when it leads one), waits for it.
pub fn stop(child: &mut Child, whole_group: bool) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    terminate(child, whole_group);
    let deadline = Instant::now() + GRACE;
    while Instant::now() < deadline {
        if matches!(child.try_wait(), Ok(Some(_))) {
            kill_group(child, whole_group); // what it left behind
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    kill_group(child, whole_group);
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(unix)]
fn terminate(child: &Child, whole_group: bool) {
    use nix::sys::signal::{Signal, kill, killpg};
    use nix::unistd::Pid;
    let pid = Pid::from_raw(child.id() as i32);
    let _ = if whole_group {
        killpg(pid, Signal::SIGTERM)
    } else {
        kill(pid, Signal::SIGTERM)
    };
}

#[cfg(unix)]
fn kill_group(child: &Child, whole_group: bool) {
    use nix::sys::signal::{Signal, killpg};
    use nix::unistd::Pid;
    if whole_group {
        let _ = killpg(Pid::from_raw(child.id() as i32), Signal::SIGKILL);
    }
}

#[cfg(not(unix))]
fn terminate(child: &mut Child, _whole_group: bool) {
    let _ = child.kill();
}

#[cfg(not(unix))]
fn kill_group(_child: &Child, _whole_group: bool) {}
