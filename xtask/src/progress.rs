//! `cargo xtask progress [--json]`: every exercise graded on its own (a file
//! that does not compile stops only its exercise), the current one, and the
//! chapter section to read for it.

use crate::grade;
use crate::verdict::Report;
use crate::{chapter, check, starters};
use serde::Serialize;
use std::path::Path;

#[derive(Serialize)]
struct Progress {
    current: Option<String>,
    exercises: Vec<Row>,
}

#[derive(Serialize)]
struct Row {
    id: String,
    title: String,
    chapter: String,
    /// `done`, `partial` (changed from the starter, not all checks pass) or
    /// `not_started` (the file is still the starter as shipped).
    state: &'static str,
    passed: usize,
    total: usize,
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let json = args.iter().any(|a| a == "--json");
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
        let state = match report.status {
            "broken" => "broken".to_owned(),
            _ if row.state == "done" => "done".to_owned(),
            // The words the book's badges use too (theme/runnable-runner.js).
            _ if row.state == "not_started" => "not started".to_owned(),
            _ => format!("{}/{} checks", row.passed, row.total),
        };
        println!(
            "{:<12} {:<20} {:<42} src/{}",
            state, row.id, row.title, row.chapter
        );
    }
    let done = rows.iter().filter(|r| r.state == "done").count();
    println!("\n{done} of {} exercises done.", rows.len());
    for report in graded.reports.iter().filter(|r| r.status == "broken") {
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

fn state_of(root: &Path, ex: &manifest::Exercise, report: &Report) -> &'static str {
    if report.passed() {
        "done"
    } else if starters::is_untouched(root, ex) {
        "not_started"
    } else {
        "partial"
    }
}
