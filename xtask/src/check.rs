//! `cargo xtask check [ID] [--json]`: grade one exercise once (default: the
//! current one), exit 0 exactly when all its checks pass. `--all`: every
//! exercise, its verdicts grouped by exercise in book order. With `--json`,
//! stdout is always JSON: a report, an array of reports, or `{"error": ..}`.

use crate::args::{Parsed, Spec};
use crate::grade;
use crate::phases::{Phases, Say};
use crate::verdict::{Report, Status};
use crate::{chapter, state};
use manifest::{Exercise, Manifest};
use std::path::Path;

const ARGS: Spec = Spec {
    command: "check",
    flags: &["--json", "--all"],
    positional: "ID",
    max_positional: 1,
};

pub fn run(root: &Path, args: &[String]) -> Result<bool, String> {
    // `--json` is honoured even beside a bad argument: a tool gets JSON.
    let json = args.iter().any(|a| a == "--json");
    let result = ARGS
        .parse(args)
        .and_then(|parsed| grade_and_print(root, &parsed, json));
    if json {
        // A tool reading stdout gets JSON even when nothing could be graded.
        if let Err(e) = &result {
            println!("{}", serde_json::json!({ "error": e }));
        }
    }
    result
}

fn grade_and_print(root: &Path, args: &Parsed, json: bool) -> Result<bool, String> {
    let id = args.first();
    let manifest = crate::load_manifest(root)?;
    if args.has("--all") {
        return all(root, &manifest, json);
    }
    let ex = match id {
        Some(id) => crate::find_exercise(&manifest, id)?,
        None => current(root, &manifest)
            .ok_or("every exercise is done: name one, e.g. `cargo xtask check leak_coordinator`")?,
    };
    // For the runner: what the grading is doing, on stderr.
    let phases = json.then(|| {
        Phases::start(
            &ex.id,
            &root.join(engine::workspace::GRADE_DIR).join("target"),
            Say::Phases,
        )
    });
    let report = grade_one(root, &manifest, ex)?;
    drop(phases);
    if json {
        println!(
            "{}",
            serde_json::to_string(&report).map_err(|e| e.to_string())?
        );
    } else {
        print!("{}", render(root, &manifest, ex, &report));
    }
    Ok(report.passed())
}

/// `check --all`: every exercise, each on its own, verdicts in book order
/// (`--json`: one JSON array of the reports, in the same order).
fn all(root: &Path, manifest: &Manifest, json: bool) -> Result<bool, String> {
    let exercises: Vec<&Exercise> = manifest.exercises.iter().collect();
    let graded = grade::grade(root, manifest, &exercises)?;
    for report in &graded.reports {
        remember(root, report);
    }
    if json {
        println!(
            "{}",
            serde_json::to_string(&graded.reports).map_err(|e| e.to_string())?
        );
        return Ok(graded.reports.iter().all(Report::passed));
    }
    for (ex, report) in exercises.iter().zip(&graded.reports) {
        if report.passed() {
            print!("{}", crate::verdict::warnings_text(report));
            println!("✓ {}: all {} checks pass.", ex.id, report.total);
        } else {
            println!("{}", render(root, manifest, ex, report));
        }
    }
    Ok(graded.reports.iter().all(Report::passed))
}

/// Grades one exercise and remembers its verdict in `my-work/`.
pub fn grade_one(root: &Path, manifest: &Manifest, ex: &Exercise) -> Result<Report, String> {
    let graded = grade::grade(root, manifest, &[ex])?;
    let report = graded
        .reports
        .into_iter()
        .next()
        .expect("one report per exercise");
    remember(root, &report);
    Ok(report)
}

/// Records a verdict; a learner command still works where `my-work/` cannot
/// be written (a read-only checkout), so a failure here is only a warning.
pub fn remember(root: &Path, report: &Report) {
    let verdict = state::LastVerdict {
        passed: report.passed,
        total: report.total,
    };
    if let Err(e) = state::record_verdict(root, &report.id, &verdict) {
        eprintln!("warning: {e}");
    }
}

/// The current exercise: the first one, in book order, whose last verdict
/// was not "all checks pass" (or that was never graded).
pub fn current<'m>(root: &Path, manifest: &'m Manifest) -> Option<&'m Exercise> {
    let last = state::last_verdicts(root);
    manifest
        .exercises
        .iter()
        .find(|ex| !last.get(&ex.id).is_some_and(state::LastVerdict::done))
}

/// The exercise after `ex` in book order.
pub fn next_after<'m>(manifest: &'m Manifest, ex: &Exercise) -> Option<&'m Exercise> {
    let i = manifest.exercises.iter().position(|e| e.id == ex.id)?;
    manifest.exercises.get(i + 1)
}

/// The verdict for a terminal: each distinct message once, with the checks
/// that gave it; what to do next.
pub fn render(root: &Path, manifest: &Manifest, ex: &Exercise, report: &Report) -> String {
    render_for(root, manifest, ex, report, Shown::ByCheck)
}

/// Where a verdict is shown: `watch` is already watching, so it does not
/// tell the learner to start it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    ByCheck,
    InWatch,
}

pub fn render_for(
    root: &Path,
    manifest: &Manifest,
    ex: &Exercise,
    report: &Report,
    shown: Shown,
) -> String {
    let mut out = String::new();
    let id = &ex.id;
    out.push_str(&crate::verdict::warnings_text(report));
    match report.status {
        Status::Broken => {
            out.push_str(&format!(
                "✗ {id}: {} does not compile, so its {} checks cannot run. The compiler says:\n\n{}\n\n",
                ex.file,
                report.total,
                report.broken.as_deref().unwrap_or("").trim_end()
            ));
            out.push_str("(Other exercises are graded on their own: this does not stop them.)\n");
        }
        Status::Passed => {
            out.push_str(&format!(
                "✓ {id}: all {} checks pass. Well done.\n",
                report.total
            ));
            match next_after(manifest, ex) {
                Some(next) => {
                    let place = chapter::place(root, next);
                    let then = match shown {
                        Shown::ByCheck => format!(" Then: `cargo xtask watch {}`.", next.id),
                        Shown::InWatch => String::new(),
                    };
                    out.push_str(&format!(
                        "Next: {} ({}), {}.{then}\n",
                        next.id,
                        next.title,
                        place.read_line(),
                    ));
                }
                None => out.push_str("That was the last exercise of the workbook.\n"),
            }
        }
        _ => {
            out.push_str(&format!(
                "✗ {id}: {} of {} checks pass ({}).\n",
                report.passed, report.total, ex.file
            ));
            for group in crate::verdict::failure_groups(report) {
                out.push_str(&format!("\n  ✗ {}\n", group.names.join(", ")));
                for line in group.text().lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            }
            let passing: Vec<&str> = report
                .checks
                .iter()
                .filter(|c| c.ok)
                .map(|c| c.name.as_str())
                .collect();
            if !passing.is_empty() {
                out.push_str(&format!("\n  ✓ {}\n", passing.join(", ")));
            }
            let seen = state::hints_seen(root, id);
            out.push_str(&format!(
                "\nStuck? `cargo xtask hint {id}` ({} of {} hints seen).\n",
                seen.min(ex.hints.len()),
                ex.hints.len()
            ));
        }
    }
    out
}
