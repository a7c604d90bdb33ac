//! The intended-failure gate: every starter fails exactly its declared checks,
//! every solution passes every check, every `alt_*` fixture passes every check
//! and every `wrong_*` fixture fails at least one. It also checks that each
//! committed mutation report (`mutants/ID.txt`) was made from the current files.

use anyhow::{Result, anyhow};
use engine::test_results::{self, TestRun};
use manifest::{Exercise, FixtureKind, Manifest, TestPath};
use std::collections::BTreeSet;
use std::path::Path;

/// Fixtures each exercise must have: a right fix the checks accept, and wrong
/// fixes they catch.
const MIN_ALT: usize = 1;
const MIN_WRONG: usize = 2;

pub fn run(root: &Path) -> Result<()> {
    let manifest = crate::load_manifest(root)?;
    let mut problems = manifest.problems(root);
    problems.extend(crate::mutants::stale_reports(root, &manifest));
    problems.extend(xtask::starters::problems(root, &manifest));

    println!("verify: grading starters, solutions and fixtures (this compiles three crates)");
    let starters = test_results::run(root, "exercises", None).map_err(anyhow::Error::msg)?;
    let solutions = test_results::run(root, "solutions", None).map_err(anyhow::Error::msg)?;
    let fixtures = test_results::run(root, "fixtures", None).map_err(anyhow::Error::msg)?;

    println!();
    println!(
        "{:<28} {:<26} {:<14} {:<10} wrong fixes caught",
        "exercise", "starter: declared fail", "solution", "alt fixes"
    );
    for ex in &manifest.exercises {
        let row = grade(root, ex, &starters, &solutions, &fixtures, &mut problems);
        println!(
            "{:<28} {:<26} {:<14} {:<10} {}",
            ex.id, row.starter, row.solution, row.alt, row.wrong
        );
    }
    println!();
    report_times(&manifest, &starters);

    if problems.is_empty() {
        println!("verify: ok");
        Ok(())
    } else {
        for p in &problems {
            println!("  problem: {p}");
        }
        Err(anyhow!("verify found {} problem(s)", problems.len()))
    }
}

struct Row {
    starter: String,
    solution: String,
    alt: String,
    wrong: String,
}

fn grade(
    root: &Path,
    ex: &Exercise,
    starters: &TestRun,
    solutions: &TestRun,
    fixtures: &TestRun,
    problems: &mut Vec<String>,
) -> Row {
    let id = &ex.id;
    let declared: BTreeSet<&str> = ex.failing_checks.iter().map(String::as_str).collect();

    if let Some(warnings) = starters.warned.get(id.as_str()) {
        problems.push(format!(
            "{id}: the compiler warns about the starter, and `check` would show it to a \
             learner who has not changed a line yet:\n      {}",
            warnings.join("\n      ")
        ));
    }
    let starter = starters.checks_of(id);
    let failed: BTreeSet<&str> = starter
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(n, _)| n.as_str())
        .collect();
    for name in declared.difference(&failed) {
        if starter.contains_key(*name) {
            problems.push(format!(
                "{id}: the starter PASSES declared check `{name}`: the check cannot catch the bug"
            ));
        } else {
            problems.push(format!(
                "{id}: declared check `{name}` did not run on the starter"
            ));
        }
    }
    for name in failed.difference(&declared) {
        problems.push(format!(
            "{id}: the starter fails `{name}`, which is not declared in failing_checks"
        ));
    }

    let solution = solutions.checks_of(id);
    let solution_failed: Vec<&str> = solution
        .iter()
        .filter(|(_, ok)| !**ok)
        .map(|(n, _)| n.as_str())
        .collect();
    for name in &solution_failed {
        problems.push(format!("{id}: the solution FAILS check `{name}`"));
    }
    if solution.is_empty() {
        problems.push(format!("{id}: no check ran on the solution"));
    }
    for name in starter.keys() {
        if !solution.contains_key(name) {
            problems.push(format!(
                "{id}: check `{name}` ran on the starter but not on the solution"
            ));
        }
    }

    let (mut alt_total, mut alt_ok, mut wrong_total, mut wrong_caught) = (0, 0, 0, 0);
    for (variant, verdicts) in &fixtures.fixtures_of(id) {
        let all_pass = verdicts.iter().all(|ok| *ok);
        let kind = match FixtureKind::of(variant) {
            Ok(kind) => kind,
            Err(e) => {
                problems.push(format!("fixtures/{id}/{variant}.rs: {e}"));
                continue;
            }
        };
        if kind == FixtureKind::Right {
            alt_total += 1;
            if all_pass {
                alt_ok += 1;
            } else {
                problems.push(format!(
                    "{id}: right fix fixtures/{id}/{variant}.rs fails a check: the checks reject a correct answer"
                ));
            }
        } else {
            wrong_total += 1;
            if all_pass {
                problems.push(format!(
                    "{id}: wrong fix fixtures/{id}/{variant}.rs passes every check: the checks miss it"
                ));
            } else {
                wrong_caught += 1;
                problems.extend(verdict_problems(root, id, variant, fixtures));
            }
        }
    }
    if alt_total < MIN_ALT || wrong_total < MIN_WRONG {
        problems.push(format!(
            "{id}: needs at least {MIN_ALT} alt_* and {MIN_WRONG} wrong_* fixtures in fixtures/{id}/ (has {alt_total} and {wrong_total})"
        ));
    }

    Row {
        starter: format!(
            "{}/{} fail, {} other",
            declared.intersection(&failed).count(),
            declared.len(),
            failed.difference(&declared).count()
        ),
        solution: format!(
            "{}/{} pass",
            solution.len() - solution_failed.len(),
            solution.len()
        ),
        alt: format!("{alt_ok}/{alt_total}"),
        wrong: format!("{wrong_caught}/{wrong_total}"),
    }
}

/// A wrong fixture may say what its verdict must tell the learner, in lines
/// of its header: `//! Verdict says: TEXT` (some failing check of the fixture
/// prints TEXT) and `//! Verdict never says: TEXT` (none does). Whitespace
/// is compared loosely. A verdict that points the wrong way is a defect too.
fn verdict_problems(root: &Path, id: &str, variant: &str, fixtures: &TestRun) -> Vec<String> {
    let file = format!("fixtures/{id}/{variant}.rs");
    let Ok(source) = std::fs::read_to_string(root.join(&file)) else {
        return vec![format!("{file}: cannot be read")];
    };
    let printed: String = fixtures
        .printed
        .iter()
        .filter(|(name, _)| {
            TestPath::parse(name)
                .is_some_and(|path| path.id == id && path.fixture.as_deref() == Some(variant))
        })
        .map(|(_, text)| squeeze(text))
        .collect::<Vec<_>>()
        .join("\n");
    let mut problems = Vec::new();
    for line in source.lines() {
        if let Some(text) = line.strip_prefix("//! Verdict says: ") {
            if !printed.contains(&squeeze(text)) {
                problems.push(format!(
                    "{file}: no verdict says \"{}\" (it is caught, but not for the reason it names)",
                    text.trim()
                ));
            }
        } else if let Some(text) = line.strip_prefix("//! Verdict never says: ") {
            if printed.contains(&squeeze(text)) {
                problems.push(format!(
                    "{file}: a verdict says \"{}\", which points the learner the wrong way",
                    text.trim()
                ));
            }
        }
    }
    problems
}

/// Collapses every run of whitespace to one space.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn report_times(manifest: &Manifest, starters: &TestRun) {
    let checks: usize = manifest
        .exercises
        .iter()
        .map(|e| starters.checks_of(&e.id).len())
        .sum();
    if let Some(t) = starters.test_time {
        println!(
            "starter-state run of `cargo test -p exercises`: {checks} checks in {:.2}s (test time, without compilation)",
            t.as_secs_f64()
        );
    }
}
