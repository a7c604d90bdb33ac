//! `my-work/serve.json`: where a running `cargo xtask serve` shows the book,
//! so that the links `watch`, `check`, `progress` and `hint` print point at
//! it. It holds no secret (the runner's link is printed, never written).

use crate::state;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServeInfo {
    pub book_port: u16,
    /// None with `--no-runner`.
    pub runner_port: Option<u16>,
    /// The `serve` process: the file counts only while it is alive.
    pub pid: u32,
    pub book_url: String,
}

pub fn path(root: &Path) -> PathBuf {
    state::dir(root).join("serve.json")
}

/// Writes the file; removes it again when the returned guard is dropped.
pub fn publish(root: &Path, info: &ServeInfo) -> Result<Published, String> {
    let path = path(root);
    let text = serde_json::to_string(info).map_err(|e| e.to_string())? + "\n";
    std::fs::create_dir_all(state::dir(root))
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Published {
        path,
        pid: info.pid,
    })
}

pub struct Published {
    path: PathBuf,
    pid: u32,
}

impl Drop for Published {
    fn drop(&mut self) {
        // Another `serve` of the same workbook may have written it since.
        if read(&self.path).is_some_and(|info| info.pid == self.pid) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

pub fn read(path: &Path) -> Option<ServeInfo> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// The book's URL of the `serve` running now, if one is.
pub fn live_book_url(root: &Path) -> Option<String> {
    let info = read(&path(root))?;
    let plausible = info.book_url.starts_with("http://127.0.0.1:");
    (plausible && is_alive(info.pid)).then_some(info.book_url)
}

#[cfg(unix)]
fn is_alive(pid: u32) -> bool {
    use nix::errno::Errno;
    use nix::sys::signal::kill;
    use nix::unistd::Pid;
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    // Signal 0 only asks whether the process exists; EPERM: it does, as
    // another user's.
    pid > 0 && matches!(kill(Pid::from_raw(pid), None), Ok(()) | Err(Errno::EPERM))
}

#[cfg(not(unix))]
fn is_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_only_while_its_process_lives() {
        let root = std::env::temp_dir().join(format!("xtask-serve-info-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(live_book_url(&root), None);
        let mine = ServeInfo {
            book_port: 4321,
            runner_port: Some(4322),
            pid: std::process::id(),
            book_url: "http://127.0.0.1:4321".to_owned(),
        };
        let published = publish(&root, &mine).unwrap();
        let text = std::fs::read_to_string(path(&root)).unwrap();
        assert_eq!(
            text,
            format!(
                "{{\"book_port\":4321,\"runner_port\":4322,\"pid\":{},\"book_url\":\"http://127.0.0.1:4321\"}}\n",
                std::process::id()
            )
        );
        assert_eq!(
            live_book_url(&root).as_deref(),
            Some("http://127.0.0.1:4321")
        );
        drop(published);
        assert!(!path(&root).exists(), "removed when serve stops");

        let mut dead = std::process::Command::new("true").spawn().unwrap();
        let dead_pid = dead.id();
        dead.wait().unwrap();
        let stale = ServeInfo {
            pid: dead_pid,
            ..mine
        };
        let published = publish(&root, &stale).unwrap();
        assert_eq!(
            live_book_url(&root),
            None,
            "a serve that died without cleaning up"
        );
        std::mem::forget(published);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
