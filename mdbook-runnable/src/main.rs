//! The command mdBook runs: `mdbook-runnable supports <renderer>`, then
//! `mdbook-runnable` with `[context, book]` as JSON on stdin. Also
//! `mdbook-runnable check-html [BOOK_DIR]` to check a built book.

use mdbook_preprocessor::{MDBOOK_VERSION, parse_input};
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        // The output is Markdown with plain HTML: every renderer can take it.
        Some("supports") => return ExitCode::SUCCESS,
        Some("check-html") => {
            let dir = std::env::args().nth(2).unwrap_or_else(|| ".".to_owned());
            return check_html(std::path::Path::new(&dir));
        }
        Some(_) => {
            eprintln!(
                "usage: mdbook-runnable [supports RENDERER | check-html [BOOK_DIR]]\n\
                 mdBook runs this through [preprocessor.runnable] in book.toml; see mdbook-runnable/README.md"
            );
            return ExitCode::from(2);
        }
        None => {}
    }
    let (ctx, book) = match parse_input(io::stdin().lock()) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("mdbook-runnable: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let minor = |v: &str| v.split('.').take(2).collect::<Vec<_>>().join(".");
    if minor(&ctx.mdbook_version) != minor(MDBOOK_VERSION) {
        eprintln!(
            "warning: mdbook-runnable was built for mdBook {MDBOOK_VERSION}, but mdBook {} is running it",
            ctx.mdbook_version
        );
    }
    match mdbook_runnable::process(&ctx, book) {
        Ok(processed) => {
            for warning in &processed.warnings {
                eprintln!("warning: mdbook-runnable: {warning}");
            }
            let mut stdout = io::stdout().lock();
            if let Err(e) = serde_json::to_writer(&mut stdout, &processed.book)
                .map_err(io::Error::from)
                .and_then(|()| stdout.flush())
            {
                eprintln!("mdbook-runnable: cannot write the book back to mdBook: {e}");
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                eprintln!("{d}");
            }
            eprintln!(
                "mdbook-runnable: {} broken reference{} in the book (see above)",
                diagnostics.len(),
                if diagnostics.len() == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

/// After `mdbook build`: did the HTML get what book.toml promised?
fn check_html(dir: &std::path::Path) -> ExitCode {
    match mdbook_runnable::check_built_html(dir) {
        Ok(()) => {
            println!(
                "{}: the built book has what book.toml promised",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            ExitCode::FAILURE
        }
    }
}
