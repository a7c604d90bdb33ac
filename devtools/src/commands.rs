//! `cargo dev commands` (a step of `cargo dev test`): every command the
//! book shows, run once, its output compared with the page's output block;
//! then every guided experiment, its edit applied to a scratch copy, judged
//! against the outcome its page claims.
//! The work is done by the `book-commands` program of the `runner` crate,
//! which shares the preprocessor's parsing: xtask stays free of those crates,
//! so the learner's first `cargo xtask hint` builds quickly.

use crate::process;
use anyhow::Result;
use std::path::Path;

pub enum Outcome {
    Ran,
    /// Ran the Rust ones; Go is not installed.
    GoSkipped,
}

pub fn run(root: &Path) -> Result<Outcome> {
    let root_arg = root.display().to_string();
    process::run(
        root,
        "cargo",
        &[
            "run",
            "-q",
            "-p",
            "runner",
            "--bin",
            "book-commands",
            "--",
            &root_arg,
        ],
    )?;
    Ok(match process::version("go") {
        Some(_) => Outcome::Ran,
        None => Outcome::GoSkipped,
    })
}
