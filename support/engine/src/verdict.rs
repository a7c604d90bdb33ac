//! Reading a grading run: Cargo's JSON messages (compiler errors, test
//! programs) and libtest's output (verdicts, what each failed check printed),
//! turned into one [`Report`] per exercise.

use crate::libtest;
use crate::workspace::package_name;
use manifest::TestPath;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// The compiler's warnings about the learner's file, briefly, to print before
/// a verdict (empty when there are none): "Well done" should not hide an
/// unused import.
pub fn warnings_text(report: &Report) -> String {
    if report.warnings.is_empty() {
        return String::new();
    }
    let mut out = String::from("The compiler warns about your file:\n");
    for w in &report.warnings {
        for line in w.lines() {
            out.push_str(&format!("  {line}\n"));
        }
    }
    out.push('\n');
    out
}

/// Failed checks that gave the same verdict, in the order of their first check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureGroup {
    pub names: Vec<String>,
    pub message: String,
    /// The message's advice (every line after the first) was already given by
    /// an earlier group: print the first line only (see [`FailureGroup::text`]).
    pub advice_repeated: bool,
}

impl FailureGroup {
    /// The message to print: whole, or, when an earlier group gave the same
    /// advice, its first line and a pointer to that advice.
    pub fn text(&self) -> String {
        match (self.advice_repeated, self.message.split_once('\n')) {
            (true, Some((head, _))) => format!("{head}\n  (The advice above applies here too.)"),
            _ => self.message.clone(),
        }
    }
}

/// The failed checks of `report` grouped by message. Several checks that hang
/// in one deadlock give the same advice after different first lines (the call
/// that hung): the advice is printed once, with the first group.
pub fn failure_groups(report: &Report) -> Vec<FailureGroup> {
    let mut groups: Vec<FailureGroup> = Vec::new();
    for c in report.checks.iter().filter(|c| !c.ok) {
        match groups.iter_mut().find(|g| g.message == c.message) {
            Some(g) => g.names.push(c.name.clone()),
            None => {
                let advice = c.message.split_once('\n').map(|(_, a)| a.trim());
                let advice_repeated = advice.is_some_and(|a| {
                    !a.is_empty()
                        && groups
                            .iter()
                            .any(|g| g.message.split_once('\n').map(|(_, b)| b.trim()) == Some(a))
                });
                groups.push(FailureGroup {
                    names: vec![c.name.clone()],
                    message: c.message.clone(),
                    advice_repeated,
                });
            }
        }
    }
    groups
}

/// An exercise's verdict, as the `--json` contract spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every check passes.
    Passed,
    /// It compiles, and at least one check fails.
    Failed,
    /// The learner's file does not compile.
    Broken,
}

impl Status {
    /// The word the JSON contract and the terminal use.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Broken => "broken",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One exercise's verdict: the `--json` contract of `cargo xtask check`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: String,
    pub status: Status,
    pub passed: usize,
    pub total: usize,
    pub checks: Vec<CheckResult>,
    /// The compiler's errors when `status` is `broken`.
    pub broken: Option<String>,
    /// The compiler's warnings about the learner's file, one short text each
    /// (`warning: unused import` and where). Not part of the `--json`
    /// contract: shown by `check`, `watch` and `cargo test -p exercises`.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub name: String,
    pub ok: bool,
    /// The learner-facing text of a failed check; empty when it passed.
    pub message: String,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.status == Status::Passed
    }
}

/// The test programs Cargo built, by package name, from its JSON messages.
pub fn test_binaries(cargo_json: &str) -> BTreeMap<String, PathBuf> {
    cargo_json
        .lines()
        .filter(|l| l.starts_with('{'))
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["profile"]["test"] == true)
        .filter_map(|m| {
            let name = m["target"]["name"].as_str()?.to_owned();
            let exe = m["executable"].as_str()?;
            Some((name, PathBuf::from(exe)))
        })
        .collect()
}

/// What a grading saw: the compiler's errors and warnings (from the JSON of
/// `cargo build --tests --message-format=json`) and libtest's verdicts (from
/// the text the test programs print), each read by [`parse_output`].
#[derive(Default)]
pub struct RunOutput {
    /// Compiler errors by package name (`grade_<id>`), rendered.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Compiler warnings by package name.
    pub warnings: BTreeMap<String, Vec<Warning>>,
    /// Verdicts by test name (`checks::<id>::<check>`).
    pub verdicts: BTreeMap<String, bool>,
    /// Captured output of failed tests, by test name.
    pub failures: BTreeMap<String, String>,
    pub test_time: Duration,
}

/// Reads Cargo's JSON messages and libtest's text. `grade` calls it twice:
/// once on the build's JSON (errors, warnings), once on the test programs'
/// joined output (verdicts); a line that is not JSON is read as libtest's.
pub fn parse_output(stdout: &str) -> RunOutput {
    let mut run = RunOutput::default();
    let mut libtest = String::new();
    for line in stdout.lines() {
        if line.starts_with('{') {
            if let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) {
                compiler_error(&msg, &mut run.errors);
                compiler_warning(&msg, &mut run.warnings);
                continue;
            }
        }
        libtest.push_str(line);
        libtest.push('\n');
    }
    run.verdicts = libtest::verdicts(&libtest);
    run.failures = libtest::printed(&libtest);
    run.test_time = libtest::finished_in(&libtest).unwrap_or_default();
    run
}

fn compiler_error(msg: &serde_json::Value, errors: &mut BTreeMap<String, Vec<String>>) {
    if msg["reason"] != "compiler-message" || msg["message"]["level"] != "error" {
        return;
    }
    let package = msg["target"]["name"].as_str().unwrap_or("").to_owned();
    if let Some(text) = msg["message"]["rendered"].as_str() {
        errors.entry(package).or_default().push(text.to_owned());
    }
}

/// A compiler warning: the file of its primary span and a short text.
#[derive(Debug, Clone)]
pub struct Warning {
    pub file: String,
    /// `warning: ...` and its ` --> file:line:col` line.
    pub brief: String,
}

fn compiler_warning(msg: &serde_json::Value, warnings: &mut BTreeMap<String, Vec<Warning>>) {
    if msg["reason"] != "compiler-message" || msg["message"]["level"] != "warning" {
        return;
    }
    let Some(span) = msg["message"]["spans"]
        .as_array()
        .and_then(|spans| spans.iter().find(|s| s["is_primary"] == true))
    else {
        return; // a summary such as "3 warnings emitted"
    };
    let (Some(file), Some(rendered)) = (
        span["file_name"].as_str(),
        msg["message"]["rendered"].as_str(),
    ) else {
        return;
    };
    let brief: Vec<&str> = rendered.lines().take(2).map(str::trim_end).collect();
    let package = msg["target"]["name"].as_str().unwrap_or("").to_owned();
    let list = warnings.entry(package).or_default();
    let warning = Warning {
        file: file.to_owned(),
        brief: brief.join("\n"),
    };
    // Cargo replays the warnings of a unit it did not rebuild: once each.
    if !list.iter().any(|w| w.brief == warning.brief) {
        list.push(warning);
    }
}

/// The learner-facing part of a failed check's output: the grader's verdict
/// (`[id] ...` up to the hint line) when there is one, else all of it.
pub fn verdict_message(id: &str, output: &str) -> String {
    match naming::verdict::message(id, output) {
        Some(message) => message,
        None if output.trim().is_empty() => {
            "the check failed without a message (a bare `assert!` or a crash?)".to_owned()
        }
        None => output.trim().to_owned(),
    }
}

pub fn report_for(id: &str, names: &[String], run: &RunOutput) -> Report {
    if let Some(errors) = run.errors.get(&package_name(id)) {
        return Report {
            id: id.to_owned(),
            status: Status::Broken,
            passed: 0,
            total: names.len(),
            checks: Vec::new(),
            broken: Some(errors.join("\n").trim_end().to_owned()),
            warnings: Vec::new(),
        };
    }
    let mut checks: Vec<CheckResult> = names
        .iter()
        .map(|name| {
            let full = TestPath::check(id, name).to_string();
            match run.verdicts.get(&full) {
                Some(true) => CheckResult {
                    name: name.clone(),
                    ok: true,
                    message: String::new(),
                },
                Some(false) => CheckResult {
                    name: name.clone(),
                    ok: false,
                    message: verdict_message(
                        id,
                        run.failures.get(&full).map_or("", String::as_str),
                    ),
                },
                None => CheckResult {
                    name: name.clone(),
                    ok: false,
                    message: "this check did not report a verdict: the test program stopped \
                              early (a stack overflow or an abort in the code under test?)"
                        .to_owned(),
                },
            }
        })
        .collect();
    // Checks the file defines in a way the name scan missed still count.
    for (full, ok) in &run.verdicts {
        let own_check = TestPath::parse(full)
            .filter(|p| p.id == id && p.fixture.is_none())
            .and_then(|p| p.check);
        if let Some(name) = own_check {
            if !checks.iter().any(|c| c.name == name) {
                checks.push(CheckResult {
                    name,
                    ok: *ok,
                    message: if *ok {
                        String::new()
                    } else {
                        verdict_message(id, run.failures.get(full).map_or("", String::as_str))
                    },
                });
            }
        }
    }
    let passed = checks.iter().filter(|c| c.ok).count();
    let total = checks.len();
    Report {
        id: id.to_owned(),
        status: if total > 0 && passed == total {
            Status::Passed
        } else {
            Status::Failed
        },
        passed,
        total,
        checks,
        broken: None,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIBTEST: &str = "\
running 3 tests
test checks::leak_x::a ... ok
test checks::leak_x::b ... FAILED
test checks::leak_x::c ... FAILED

failures:

---- checks::leak_x::b stdout ----
thread '<unnamed>' panicked at exercises/src/leak_x.rs:3: boom

[leak_x] `f()` did not return within 1000 ms.
  Who owns the Sender?
  Stuck? Run `cargo xtask hint leak_x` for a hint.


---- checks::leak_x::c stdout ----
assertion failed: x

failures:
    checks::leak_x::b
    checks::leak_x::c

test result: FAILED. 1 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.02s
";

    #[test]
    fn reads_verdicts_and_learner_messages() {
        let cargo_line = r#"{"reason":"compiler-artifact","target":{"name":"grade_leak_x"}}"#;
        let run = parse_output(&format!("{cargo_line}\n{LIBTEST}"));
        let names = ["a", "b", "c", "d"].map(str::to_owned);
        let report = report_for("leak_x", &names, &run);
        assert_eq!(
            (report.status, report.passed, report.total),
            (Status::Failed, 1, 4)
        );
        assert_eq!(
            report.checks[1].message,
            "`f()` did not return within 1000 ms.\n  Who owns the Sender?"
        );
        assert_eq!(report.checks[2].message, "assertion failed: x");
        assert!(report.checks[3].message.contains("did not report"));
        assert_eq!(run.test_time, Duration::from_millis(1020));
    }

    fn failed(name: &str, message: &str) -> CheckResult {
        CheckResult {
            name: name.to_owned(),
            ok: false,
            message: message.to_owned(),
        }
    }

    #[test]
    fn one_advice_is_printed_once_for_every_check_that_gives_it() {
        let report = Report {
            id: "leak_x".to_owned(),
            status: Status::Failed,
            passed: 0,
            total: 4,
            checks: vec![
                failed("a", "`f(1)` did not return.\n  Who owns the Sender?"),
                failed("b", "`f(2)` did not return.\n  Who owns the Sender?"),
                failed("c", "`f(1)` did not return.\n  Who owns the Sender?"),
                failed("d", "wrong sum"),
            ],
            broken: None,
            warnings: Vec::new(),
        };
        let groups = failure_groups(&report);
        let names: Vec<Vec<String>> = groups.iter().map(|g| g.names.clone()).collect();
        assert_eq!(names, [vec!["a", "c"], vec!["b"], vec!["d"]]);
        assert_eq!(groups[0].text(), report.checks[0].message);
        assert_eq!(
            groups[1].text(),
            "`f(2)` did not return.\n  (The advice above applies here too.)"
        );
        assert_eq!(groups[2].text(), "wrong sum");
    }

    #[test]
    fn warnings_about_a_file_are_read_once_each() {
        let warn = r#"{"reason":"compiler-message","target":{"name":"grade_leak_x"},"message":{"level":"warning","spans":[{"file_name":"/w/exercises/src/leak_x.rs","is_primary":true}],"rendered":"warning: unused import: `std::thread`\n --> /w/exercises/src/leak_x.rs:3:5\n  |\n3 | use std::thread;\n"}}"#;
        let summary = r#"{"reason":"compiler-message","target":{"name":"grade_leak_x"},"message":{"level":"warning","spans":[],"rendered":"warning: 1 warning emitted\n"}}"#;
        let run = parse_output(&format!("{warn}\n{warn}\n{summary}\n"));
        let warnings = &run.warnings["grade_leak_x"];
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].file, "/w/exercises/src/leak_x.rs");
        assert_eq!(
            warnings[0].brief,
            "warning: unused import: `std::thread`\n --> /w/exercises/src/leak_x.rs:3:5"
        );
    }

    #[test]
    fn a_compiler_error_makes_the_exercise_broken() {
        let err = r#"{"reason":"compiler-message","target":{"name":"grade_leak_x"},"message":{"level":"error","rendered":"error[E0425]: cannot find value `y`\n --> exercises/src/leak_x.rs:3:5\n"}}"#;
        let warn = r#"{"reason":"compiler-message","target":{"name":"grade_leak_x"},"message":{"level":"warning","rendered":"warning: unused"}}"#;
        let run = parse_output(&format!("{warn}\n{err}\n"));
        let report = report_for("leak_x", &["a".to_owned()], &run);
        assert_eq!(report.status, Status::Broken);
        let broken = report.broken.unwrap();
        assert!(broken.contains("exercises/src/leak_x.rs:3:5"), "{broken}");
        assert!(!broken.contains("unused"), "{broken}");
        let other = report_for("leak_y", &["a".to_owned()], &run);
        assert_ne!(other.status, Status::Broken);
    }
}
