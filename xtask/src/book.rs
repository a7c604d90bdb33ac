//! The book: the pinned mdBook, `serve`, and the build that CI checks.

use crate::process;
use std::path::Path;

/// The mdBook release the book is written for (DESIGN §10).
pub const MDBOOK_VERSION: &str = "0.5.4";

/// Installs the pinned mdBook unless `mdbook --version` already reports it.
pub fn ensure_mdbook(root: &Path) -> Result<(), String> {
    let wanted = format!("v{MDBOOK_VERSION}");
    match process::version("mdbook") {
        Some(v) if v.ends_with(&wanted) => return Ok(()),
        Some(v) => println!("found `{v}`, but the book needs mdBook {MDBOOK_VERSION}"),
        None => println!("mdBook is not installed"),
    }
    println!("installing mdBook {MDBOOK_VERSION} (a few minutes, once)...");
    process::run(
        root,
        "cargo",
        &["install", "mdbook", "--locked", "--version", MDBOOK_VERSION],
    )
}

/// `cargo xtask serve`: the learner's way in. Starts the local runner
/// (`runner/`, the Run and Check buttons) on 127.0.0.1, then `mdbook serve`;
/// the runner prints the book's URL with its per-start token. Options of our
/// own: `--runner-port N` (default 3001), `--no-runner`; the other ARGS go to
/// `mdbook serve` (`-p N` moves the book, and the runner follows).
pub fn serve(root: &Path, extra: &[String]) -> Result<(), String> {
    ensure_mdbook(root)?;
    let mut mdbook_args = vec!["serve".to_owned()];
    let mut runner_port = "3001".to_owned();
    let mut with_runner = true;
    let mut book_port = "3000".to_owned();
    let mut args = extra.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--no-runner" => with_runner = false,
            "--runner-port" => {
                runner_port = args
                    .next()
                    .ok_or("--runner-port needs a port number")?
                    .clone();
            }
            "-p" | "--port" => {
                book_port = args.next().ok_or("--port needs a port number")?.clone();
                mdbook_args.extend([arg.clone(), book_port.clone()]);
            }
            _ => mdbook_args.push(arg.clone()),
        }
    }
    if !with_runner {
        println!("The book will be at http://localhost:{book_port} (Ctrl-C stops it).");
        let args: Vec<&str> = mdbook_args.iter().map(String::as_str).collect();
        return process::run(root, "mdbook", &args);
    }
    // Built first, so that the runner answers as soon as the book is up.
    process::run(root, "cargo", &["build", "-q", "-p", "runner"])?;
    // The binary itself, not `cargo run`: stopping it then stops the runner.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| root.join("target"), std::path::PathBuf::from);
    let mut runner = std::process::Command::new(target.join("debug").join("runner"))
        .args(["--port", &runner_port])
        .args(["--book-port", &book_port])
        .current_dir(root)
        .spawn()
        .map_err(|e| format!("cannot start the runner: {e}"))?;
    println!(
        "Serving the book on http://localhost:{book_port}; open it with the URL the runner \
         prints (it carries the runner's token). Ctrl-C stops both."
    );
    let args: Vec<&str> = mdbook_args.iter().map(String::as_str).collect();
    let served = process::run(root, "mdbook", &args);
    let _ = runner.kill();
    let _ = runner.wait();
    served
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
