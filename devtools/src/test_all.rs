//! `cargo dev test`: everything CI checks, in one command. `.ci/run` calls it.

use crate::process;
use crate::{book, commands, e2e, go, i18n, verify};
use anyhow::{Result, anyhow};
use std::path::Path;
use std::time::Instant;

pub fn run(root: &Path) -> Result<()> {
    // The unit tests run a real `mdbook build`: on a fresh machine the pinned
    // mdBook must be there before them, not only before the book step.
    book::ensure_mdbook(root).map_err(anyhow::Error::msg)?;
    type Step<'a> = (&'a str, Box<dyn Fn() -> Result<String> + 'a>);
    let done = |r: Result<()>| r.map(|()| String::new());
    let steps: Vec<Step> = vec![
        (
            "fmt",
            Box::new(|| done(process::run(root, "cargo", &["fmt", "--all", "--check"]))),
        ),
        (
            "clippy",
            Box::new(|| {
                done(process::run(
                    root,
                    "cargo",
                    &[
                        "clippy",
                        "--workspace",
                        "--all-targets",
                        "--",
                        "-D",
                        "warnings",
                    ],
                ))
            }),
        ),
        (
            "unit tests",
            Box::new(|| done(process::run(root, "cargo", &["test"]))),
        ),
        ("verify", Box::new(|| done(verify::run(root)))),
        ("book", Box::new(|| done(book::build_and_check(root)))),
        // After "book" (whose build empties book/) and before "e2e" (which tests book/zh-CN/).
        ("i18n", Box::new(|| i18n::build_and_check_all(root))),
        (
            "commands",
            Box::new(|| {
                commands::run(root).map(|outcome| match outcome {
                    commands::Outcome::Ran => String::new(),
                    commands::Outcome::GoSkipped => {
                        "skipped: go not found (its commands were not run)".to_owned()
                    }
                })
            }),
        ),
        (
            "e2e",
            Box::new(|| {
                e2e::run_if_chromium(root).map(|outcome| match outcome {
                    e2e::E2eOutcome::Ran => String::new(),
                    e2e::E2eOutcome::Skipped => "skipped: chromium not found".to_owned(),
                })
            }),
        ),
        (
            "go",
            Box::new(|| {
                go::run(root).map(|outcome| match outcome {
                    go::GoOutcome::Ran => String::new(),
                    go::GoOutcome::Skipped => "skipped: go not found".to_owned(),
                })
            }),
        ),
    ];

    let mut summary = Vec::new();
    let (mut passed, mut failed) = (0, 0);
    for (name, step) in &steps {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = step();
        let secs = started.elapsed().as_secs_f64();
        match result {
            Ok(note) => {
                passed += 1;
                let note = if note.is_empty() {
                    String::new()
                } else {
                    format!(" ({note})")
                };
                summary.push(format!("  ok      {name:<12} {secs:>6.1}s{note}"));
            }
            Err(e) => {
                failed += 1;
                println!("{name} FAILED: {e}");
                summary.push(format!("  FAILED  {name:<12} {secs:>6.1}s"));
            }
        }
    }
    println!("\n==> summary");
    for line in &summary {
        println!("{line}");
    }
    println!("dev: {passed} passed, {failed} failed");
    if failed == 0 {
        Ok(())
    } else {
        Err(anyhow!("{failed} step(s) failed"))
    }
}
