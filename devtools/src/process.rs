//! Running other programs: `xtask`'s helpers (shared with the learner's
//! commands, whose errors are sentences), with `anyhow` errors.

use anyhow::{Result, anyhow};
use std::path::Path;
use std::process::Output;

pub use xtask::process::version;

/// Runs a command in `dir`, echoing it first, with its output on the terminal.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    xtask::process::run(dir, program, args).map_err(|e| anyhow!(e))
}

/// Runs a command in `dir` and captures its output, whatever its exit status.
pub fn capture(dir: &Path, program: &str, args: &[&str]) -> Result<Output> {
    xtask::process::capture(dir, program, args).map_err(|e| anyhow!(e))
}
