//! The English book's build, checked (a step of `cargo dev test`).

use crate::process;
use anyhow::{Context, Result};
use std::path::Path;
pub use xtask::book::ensure_mdbook;

/// Builds the book and checks the HTML for what `book.toml` promises: a
/// misspelled `[output.html]` key makes mdBook fall back to its defaults with
/// exit status 0, so the exit status alone proves nothing.
pub fn build_and_check(root: &Path) -> Result<()> {
    ensure_mdbook(root).map_err(anyhow::Error::msg)?;
    process::run(root, "mdbook", &["build"])?;
    // Through the preprocessor's binary, not as a library: the learner's
    // commands are this crate too, and must not wait for mdBook's crates.
    process::run(
        root,
        "cargo",
        &[
            "run",
            "-q",
            "-p",
            "mdbook-runnable",
            "--",
            "check-html",
            "book",
        ],
    )
    .context("the built book does not look as book.toml promises")?;
    println!("book: built and checked");
    Ok(())
}
