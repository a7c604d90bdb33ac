//! `cargo run -p runner --bin book-commands -- [ROOT]`: runs every command the
//! book shows, once, and compares its output with the page's output block
//! (`cargo dev commands` calls it), then every guided experiment against its
//! claim. ROOT is the book's root, `.` by default. `EXPERIMENTS=ID,ID` runs
//! only those experiments (`EXPERIMENTS=only`: every experiment, no command).

use runner::book_commands::{self, Outcome};
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    match book_commands::run(&root) {
        Ok(Outcome::Ran) => ExitCode::SUCCESS,
        Ok(Outcome::GoSkipped(n)) => {
            println!("skipped: go not found ({n} Go commands not run)");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("book-commands: {problem}");
            ExitCode::FAILURE
        }
    }
}
