//! What `serve` builds before it starts anything, with Cargo's progress on
//! screen: the runner, and the book's preprocessors that `book.toml` runs
//! with `cargo run -q` (mdBook would otherwise sit silent while the first
//! one compiles).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Set to a runner program to use instead of building `runner/` (tests).
pub const RUNNER_ENV: &str = "XTASK_SERVE_RUNNER";

pub fn runner(root: &Path) -> Result<PathBuf, String> {
    if let Some(program) = std::env::var_os(RUNNER_ENV) {
        return Ok(PathBuf::from(program));
    }
    let program = target_dir(root)
        .join("debug")
        .join(format!("runner{}", std::env::consts::EXE_SUFFIX));
    if program.exists() {
        println!("serve: building the runner if it changed (runner/)...");
    } else {
        println!("serve: building the runner (runner/; first time only, {FIRST_BUILD})...");
    }
    crate::process::run(root, "cargo", &["build", "-p", "runner"])
        .map_err(|e| format!("the runner did not build: {e}"))?;
    Ok(program)
}

/// The book's preprocessors that `book.toml` runs with `cargo run`,
/// built now with their progress on screen: mdBook runs them with `-q`,
/// and would otherwise sit silent for minutes on the first serve.
pub fn preprocessors(root: &Path) -> Result<(), String> {
    for build in preprocessor_builds(root) {
        let package = build
            .iter()
            .skip_while(|w| *w != "-p")
            .nth(1)
            .map_or("the preprocessor", String::as_str);
        let binary = target_dir(root).join("debug").join(package);
        if binary.exists() {
            println!("serve: building the book's preprocessor if it changed ({package})...");
        } else {
            println!(
                "serve: building the book's preprocessor ({package}; first time only, \
                 {FIRST_BUILD}, seconds after the runner: they share their dependencies)..."
            );
        }
        let args: Vec<&str> = build.iter().map(String::as_str).collect();
        crate::process::run(root, "cargo", &args)
            .map_err(|e| format!("the book's preprocessor did not build: {e}"))?;
    }
    Ok(())
}

/// What the first build costs. Measured for the runner with a cold target
/// folder (`CARGO_TARGET_DIR=/tmp/cold nice cargo build -p runner`): 140 s
/// of CPU, so about two minutes of wall time on two idle cores; 7.6 minutes
/// on two cores shared with other builds. The preprocessor then took 1.7 s.
const FIRST_BUILD: &str = "about 2 min on 2 idle cores, more on a busy machine";

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `cargo build` lines for the preprocessors `book.toml` runs with
/// `cargo run` (without `-q`: the point is to show the progress).
fn preprocessor_builds(root: &Path) -> Vec<Vec<String>> {
    let Ok(text) = std::fs::read_to_string(root.join("book.toml")) else {
        return Vec::new();
    };
    let Ok(book) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let Some(preprocessors) = book.get("preprocessor").and_then(|p| p.as_table()) else {
        return Vec::new();
    };
    preprocessors
        .values()
        .filter_map(|p| p.get("command")?.as_str())
        .filter_map(cargo_run_as_build)
        .collect()
}

fn cargo_run_as_build(command: &str) -> Option<Vec<String>> {
    let mut words = command.split_whitespace();
    if words.next()? != "cargo" || words.next()? != "run" {
        return None;
    }
    let flags = words
        .take_while(|w| *w != "--")
        .filter(|w| !matches!(*w, "-q" | "--quiet"))
        .map(str::to_owned);
    Some(std::iter::once("build".to_owned()).chain(flags).collect())
}

/// The runner grades through this very program rather than `cargo xtask`:
/// `cargo run -p xtask` waits for Cargo's lock on `target/debug` while any
/// other build holds it (the prebuild, the learner's own `cargo test`).
/// Only when the runner takes `--check`/`--progress` and the path has no
/// spaces (the runner splits those options on whitespace).
pub fn direct_grader_args(runner: &Path) -> Vec<String> {
    let Ok(xtask) = std::env::current_exe() else {
        return Vec::new();
    };
    let xtask = xtask.display().to_string();
    if xtask.contains(char::is_whitespace) || !xtask.contains("xtask") {
        return Vec::new();
    }
    let help = Command::new(runner)
        .arg("--help")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).into_owned())
        .unwrap_or_default();
    if !(help.contains("--check ") && help.contains("--progress ")) {
        return Vec::new();
    }
    vec![
        "--check".to_owned(),
        format!("{xtask} check {{id}} --json"),
        "--progress".to_owned(),
        format!("{xtask} progress --json"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preprocessor_runs_become_visible_builds() {
        assert_eq!(
            cargo_run_as_build("cargo run -q -p mdbook-runnable --").unwrap(),
            ["build", "-p", "mdbook-runnable"]
        );
        assert_eq!(
            cargo_run_as_build("cargo run --release -p x -- --flag").unwrap(),
            ["build", "--release", "-p", "x"]
        );
        assert_eq!(cargo_run_as_build("mdbook-admonish"), None);
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        assert_eq!(
            preprocessor_builds(&root),
            [["build", "-p", "mdbook-runnable"]],
            "the workbook's own book.toml"
        );
    }
}
