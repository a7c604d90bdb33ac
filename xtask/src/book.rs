//! The book: the pinned mdBook and the build that CI checks (`serve` is
//! in `serve.rs`).

use crate::process;
use std::path::Path;

/// The mdBook release the book is written for (README.md, "Set-up").
pub const MDBOOK_VERSION: &str = "0.5.4";

/// `cargo install mdbook --locked --version 0.5.4` took 22 minutes of wall
/// time on this project's 2-core machine while other builds shared it (timed
/// from the process's start to the binary's mtime); less on idle cores.
const MDBOOK_INSTALL_TIME: &str = "it took 22 min on a busy 2-core machine";

/// Installs the pinned mdBook unless `mdbook --version` already reports it.
pub fn ensure_mdbook(root: &Path) -> Result<(), String> {
    let wanted = format!("v{MDBOOK_VERSION}");
    match process::version("mdbook") {
        Some(v) if v.ends_with(&wanted) => return Ok(()),
        Some(v) => println!("found `{v}`, but the book needs mdBook {MDBOOK_VERSION}"),
        None => println!("mdBook is not installed"),
    }
    println!(
        "installing mdBook {MDBOOK_VERSION} with `cargo install` (first time only; \
         {MDBOOK_INSTALL_TIME}; Cargo's progress follows)..."
    );
    process::run(
        root,
        "cargo",
        &["install", "mdbook", "--locked", "--version", MDBOOK_VERSION],
    )
}

/// Builds the book and checks the HTML for what `book.toml` promises: a
/// misspelled `[output.html]` key makes mdBook fall back to its defaults with
/// exit status 0, so the exit status alone proves nothing.
pub fn build_and_check(root: &Path) -> Result<(), String> {
    ensure_mdbook(root)?;
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
    .map_err(|e| format!("the built book does not look as book.toml promises: {e}"))?;
    println!("book: built and checked");
    Ok(())
}
