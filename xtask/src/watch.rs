//! `cargo xtask watch [ID] [--manual-run]`: grade the current exercise on
//! every save of its file, showing only its verdict. Keys: `h` next hint,
//! `n` next exercise, `r` grade again, `q` quit. On a terminal a key acts at
//! once (Unix: `stty -icanon`, undone when watch ends); elsewhere (a pipe,
//! Windows) a key is followed by Enter.
//!
//! File events come from `notify` (inotify, FSEvents, ...). An editor's save
//! is often several events (write, rename, metadata): they are gathered for
//! [`DEBOUNCE`] and graded once. Where file events do not arrive (WSL on
//! `/mnt/c`, network file systems), `--manual-run` grades on `r` only.

use crate::args::Spec;
use crate::check::Shown;
use crate::phases::{Phases, Say};
use crate::{chapter, check, hint};
use manifest::{Exercise, Manifest};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

/// How long a burst of file events is gathered before grading once.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// The keys, as the help line says them.
fn keys_help() -> &'static str {
    if SINGLE_KEYS.load(Ordering::Relaxed) {
        "Keys: h = next hint, n = next exercise, r = grade again, q = quit."
    } else {
        "Keys, then Enter: h = next hint, n = next exercise, r = grade again, q = quit."
    }
}

/// Whether keys act without Enter (the terminal is out of line mode).
static SINGLE_KEYS: AtomicBool = AtomicBool::new(false);

/// The terminal out of line mode (`stty -icanon min 1`: each key is read at
/// once; echo and Ctrl-C stay as they are), and back as it was when dropped.
struct SingleKeys {
    saved: String,
}

impl SingleKeys {
    /// Only where standard input is a terminal and `stty` exists.
    fn enable() -> Option<SingleKeys> {
        if !std::io::stdin().is_terminal() || cfg!(windows) {
            return None;
        }
        let stty = |args: &[&str]| {
            Command::new("stty")
                .args(args)
                .stdin(Stdio::inherit())
                .stderr(Stdio::null())
                .output()
                .ok()
                .filter(|out| out.status.success())
        };
        let saved = String::from_utf8(stty(&["-g"])?.stdout).ok()?;
        stty(&["-icanon", "min", "1"])?;
        SINGLE_KEYS.store(true, Ordering::Relaxed);
        Some(SingleKeys {
            saved: saved.trim().to_owned(),
        })
    }
}

impl Drop for SingleKeys {
    fn drop(&mut self) {
        let _ = Command::new("stty")
            .arg(&self.saved)
            .stdin(Stdio::inherit())
            .status();
        SINGLE_KEYS.store(false, Ordering::Relaxed);
    }
}

/// What a key (or, in line mode, a line) asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// `h`: the next hint.
    Hint,
    /// `n`: the next exercise.
    Next,
    /// `r`, or Enter alone: grade again.
    Again,
    /// `q`: quit.
    Quit,
    /// Anything else: the keys are shown again.
    Unknown,
}

impl Key {
    /// A key as typed, or a line trimmed (`hint`, `quit`, ... work too).
    fn parse(typed: &str) -> Key {
        match typed {
            "h" | "hint" => Key::Hint,
            "n" | "next" => Key::Next,
            "r" | "" => Key::Again,
            "q" | "quit" => Key::Quit,
            _ => Key::Unknown,
        }
    }
}

/// Reads keys from standard input and sends them; `Closed` at its end.
fn read_keys(keys: mpsc::Sender<Input>) {
    let stdin = std::io::stdin();
    if SINGLE_KEYS.load(Ordering::Relaxed) {
        for byte in stdin.lock().bytes() {
            match byte {
                // Ctrl-D: no end of file out of line mode, so it is a byte.
                Ok(0x04) | Err(_) => break,
                Ok(b'\n' | b'\r') => continue,
                Ok(b) => {
                    println!(); // the key was echoed on the prompt's line
                    if keys
                        .send(Input::Key(Key::parse(&(b as char).to_string())))
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    } else {
        for line in stdin.lock().lines() {
            let Ok(line) = line else { break };
            if keys.send(Input::Key(Key::parse(line.trim()))).is_err() {
                return;
            }
        }
    }
    let _ = keys.send(Input::Closed);
}

enum Input {
    /// A file of `exercises/src/` changed.
    Saved(PathBuf),
    Key(Key),
    /// Standard input closed (Ctrl-D, or a test that is done): quit.
    Closed,
}

const ARGS: Spec = Spec {
    command: "watch",
    flags: &["--manual-run"],
    positional: "ID",
    max_positional: 1,
};

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let args = ARGS.parse(args)?;
    let manual = args.has("--manual-run");
    let manifest = crate::load_manifest(root)?;
    let mut ex = match args.first() {
        Some(id) => crate::find_exercise(&manifest, id)?,
        None => match check::current(root, &manifest) {
            Some(ex) => ex,
            None => {
                println!("Every exercise is done. `cargo xtask watch ID` watches one again.");
                return Ok(());
            }
        },
    };

    let (tx, rx) = mpsc::channel();
    // Restores the terminal when watch returns, whichever way.
    let _single_keys = SingleKeys::enable();
    let keys = tx.clone();
    std::thread::spawn(move || read_keys(keys));
    // Kept alive for the whole session: dropping it stops the events.
    let _watcher = if manual {
        None
    } else {
        let saves = tx.clone();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event {
                    if matches!(event.kind, EventKind::Create(_) | EventKind::Modify(_)) {
                        for path in event.paths {
                            let _ = saves.send(Input::Saved(path));
                        }
                    }
                }
            })
            .map_err(|e| {
                format!("cannot watch files ({e}); try `cargo xtask watch --manual-run`")
            })?;
        let folder = root.join("exercises/src");
        watcher
            .watch(&folder, RecursiveMode::NonRecursive)
            .map_err(|e| {
                format!(
                    "cannot watch {} ({e}); try `cargo xtask watch --manual-run`",
                    folder.display()
                )
            })?;
        Some(watcher)
    };
    drop(tx);

    let mut pending: VecDeque<Input> = VecDeque::new();
    loop {
        let passed = show(root, &manifest, ex, manual)?;
        let mut passed = passed;
        loop {
            let input = match pending.pop_front() {
                Some(input) => input,
                None => match rx.recv() {
                    Ok(input) => input,
                    Err(_) => return Ok(()),
                },
            };
            match input {
                Input::Saved(path) if is_file_of(&path, ex) => {
                    gather_burst(&rx, ex, &mut pending);
                    passed = show(root, &manifest, ex, manual)?;
                    // Saves during the grading: grade again, once.
                    if drain_saves(&rx, ex, &mut pending) {
                        passed = show(root, &manifest, ex, manual)?;
                    }
                }
                Input::Saved(_) => {}
                Input::Key(key) => match key {
                    Key::Quit => return Ok(()),
                    Key::Hint => print!("\n{}", hint::next_hint(root, ex)?),
                    Key::Again => passed = show(root, &manifest, ex, manual)?,
                    Key::Next => match check::next_after(&manifest, ex) {
                        Some(next) => {
                            ex = next;
                            break;
                        }
                        None => println!("That was the last exercise of the workbook. (q quits)"),
                    },
                    Key::Unknown => println!("{}", keys_help()),
                },
                Input::Closed => return Ok(()),
            }
            if passed {
                if SINGLE_KEYS.load(Ordering::Relaxed) {
                    println!("Press n for the next exercise.");
                } else {
                    println!("Press n (then Enter) for the next exercise.");
                }
            }
            flush();
        }
    }
}

fn is_file_of(path: &Path, ex: &Exercise) -> bool {
    Path::new(&ex.file).file_name().is_some() && path.file_name() == Path::new(&ex.file).file_name()
}

/// Waits until no event came for [`DEBOUNCE`]; keeps keys for later.
fn gather_burst(rx: &Receiver<Input>, ex: &Exercise, pending: &mut VecDeque<Input>) {
    loop {
        match rx.recv_timeout(DEBOUNCE) {
            Ok(Input::Saved(path)) if is_file_of(&path, ex) => {}
            Ok(Input::Saved(_)) => {}
            Ok(other) => pending.push_back(other),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Takes the events that arrived meanwhile; true if one was a save of `ex`.
fn drain_saves(rx: &Receiver<Input>, ex: &Exercise, pending: &mut VecDeque<Input>) -> bool {
    let mut saved = false;
    while let Ok(input) = rx.try_recv() {
        match input {
            Input::Saved(path) => saved |= is_file_of(&path, ex),
            other => pending.push_back(other),
        }
    }
    if saved {
        gather_burst(rx, ex, pending);
    }
    saved
}

/// Grades `ex` and shows its verdict alone; returns whether it passes.
fn show(root: &Path, manifest: &Manifest, ex: &Exercise, manual: bool) -> Result<bool, String> {
    let mut out = std::io::stdout();
    if out.is_terminal() {
        let _ = write!(out, "\x1b[2J\x1b[H"); // a clean screen for each verdict
    }
    println!("Grading {} ({})...", ex.id, ex.file);
    println!("In the book: {}.", chapter::place(root, ex).section_line());
    flush();
    // Says so when another build (serve's prebuild, a `progress`) holds the
    // grading crates' build folder: the verdict waits for it.
    let waits = Phases::start(
        &ex.id,
        &root.join(engine::workspace::GRADE_DIR).join("target"),
        Say::WaitsOnly,
    );
    let report = check::grade_one(root, manifest, ex)?;
    drop(waits);
    println!(
        "{}",
        check::render_for(root, manifest, ex, &report, Shown::InWatch)
    );
    if manual {
        println!("Edit {}, save, then press r. {}", ex.file, keys_help());
    } else {
        println!(
            "Watching {}: save it to grade again. {}",
            ex.file,
            keys_help()
        );
    }
    flush();
    Ok(report.passed())
}

fn flush() {
    let _ = std::io::stdout().flush();
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn keys_and_words_mean_the_same() {
        for (typed, key) in [
            ("h", Key::Hint),
            ("hint", Key::Hint),
            ("n", Key::Next),
            ("next", Key::Next),
            ("r", Key::Again),
            ("", Key::Again),
            ("q", Key::Quit),
            ("quit", Key::Quit),
            (" ", Key::Unknown),
            ("x", Key::Unknown),
            ("H", Key::Unknown),
        ] {
            assert_eq!(Key::parse(typed), key, "{typed:?}");
        }
    }
}
