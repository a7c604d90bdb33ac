//! `cargo xtask progress [--json]`: every exercise graded on its own (a file
//! that does not compile stops only its exercise), the current one, and the
//! chapter section to read for it.

use crate::args::Spec;
use crate::grade;
use crate::verdict::{Report, Status};
use crate::{chapter, check, starters};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Progress {
    current: Option<String>,
    exercises: Vec<Row>,
}

/// Where the learner is with one exercise, as `--json` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
enum State {
    /// Every check passes.
    Done,
    /// Changed from the starter, and not every check passes.
    Partial,
    /// The file is still the starter as shipped.
    NotStarted,
}

#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    chapter: String,
    state: State,
    passed: usize,
    total: usize,
}

const ARGS: Spec = Spec {
    command: "progress",
    flags: &["--json"],
    positional: "",
    max_positional: 0,
};

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let json = ARGS.parse(args)?.has("--json");
    let manifest = crate::load_manifest(root)?;
    if !json {
        println!("Grading every exercise, each on its own...\n");
    }
    let all: Vec<_> = manifest.exercises.iter().collect();
    let graded = grade::grade(root, &manifest, &all)?;
    for report in &graded.reports {
        check::remember(root, report);
    }
    let rows: Vec<Row> = manifest
        .exercises
        .iter()
        .zip(&graded.reports)
        .map(|(ex, report)| Row {
            id: ex.id.clone(),
            title: ex.title.clone(),
            chapter: ex.chapter.clone(),
            state: state_of(root, ex, report),
            passed: report.passed,
            total: report.total,
        })
        .collect();
    let current = check::current(root, &manifest);
    if json {
        let progress = Progress {
            current: current.map(|ex| ex.id.clone()),
            exercises: rows,
        };
        println!(
            "{}",
            serde_json::to_string(&progress).map_err(|e| e.to_string())?
        );
        return Ok(());
    }

    println!("{:<12} {:<20} {:<42} chapter", "state", "exercise", "title");
    for (row, report) in rows.iter().zip(&graded.reports) {
        // The words the book's badges use too (theme/runnable-runner.js).
        let state = match (report.status, row.state) {
            (Status::Broken, _) => "broken".to_owned(),
            (_, State::Done) => "done".to_owned(),
            (_, State::NotStarted) => "not started".to_owned(),
            (_, State::Partial) => format!("{}/{} checks", row.passed, row.total),
        };
        println!(
            "{:<12} {:<20} {:<42} src/{}",
            state, row.id, row.title, row.chapter
        );
    }
    let done = rows.iter().filter(|r| r.state == State::Done).count();
    println!("\n{done} of {} exercises done.", rows.len());
    for report in graded.reports.iter().filter(|r| r.status == Status::Broken) {
        println!(
            "{} does not compile (`cargo xtask check {}` shows the compiler's message).",
            manifest.get(&report.id).map_or("", |e| e.file.as_str()),
            report.id
        );
    }
    if let Some(next) = current {
        let place = chapter::place(root, next);
        println!(
            "Next: {} ({}): {}.\n  Edit {}, then `cargo xtask watch` grades it on every save. \
             Stuck? `cargo xtask hint`",
            next.id,
            next.title,
            place.read_line(),
            next.file
        );
    }
    Ok(())
}

fn state_of(root: &Path, ex: &manifest::Exercise, report: &Report) -> State {
    if report.passed() {
        State::Done
    } else if starters::is_untouched(root, ex) {
        State::NotStarted
    } else {
        State::Partial
    }
}
