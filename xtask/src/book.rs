//! The book: the pinned mdBook (`serve` is in `serve.rs`; the checked
//! build is the maintainers' `cargo dev book`, `devtools/src/book.rs`).

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
