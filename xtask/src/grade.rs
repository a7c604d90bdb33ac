//! The grading engine behind `check`, `watch` and `progress`.
//!
//! Each exercise is graded in a small crate of its own, generated under
//! `target/grade/<id>/`: the learner's file as its module, `checks/<id>.rs`
//! as its tests, the grader and the dependencies of `exercises`. So a file
//! that does not compile stops only its own exercise, and a save recompiles
//! one small crate whatever the number of exercises.
//!
//! The generated crates form a workspace of their own with a copy of the root
//! `Cargo.lock` (the same dependency versions) and the root's `[profile]`
//! tables, built in `target/grade/target`: a build folder apart from the main
//! workspace's, so `check` never waits for Cargo's lock on `target/debug`
//! (rust-analyzer, a `cargo test` in another terminal). Its dependencies are
//! not compiled twice: the first grading copies them from `target/debug`
//! when they are there (see [`seed_dependencies`]).

use manifest::{Exercise, Manifest};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The generated workspace, relative to the workspace root.
pub const GRADE_DIR: &str = "target/grade";

/// One exercise's verdict: the `--json` contract of `cargo xtask check`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub id: String,
    /// `passed`, `failed` or `broken` (the file does not compile).
    pub status: &'static str,
    pub passed: usize,
    pub total: usize,
    pub checks: Vec<CheckResult>,
    /// The compiler's errors when `status` is `broken`.
    pub broken: Option<String>,
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
        self.status == "passed"
    }
}

/// Everything one grading run produced.
pub struct Graded {
    pub reports: Vec<Report>,
    /// Time of the test binaries' runs, as libtest reports it.
    pub test_time: Duration,
}

/// Grades `exercises` (in the order given), one generated crate each, in one
/// Cargo run. Fails only when Cargo itself cannot run.
pub fn grade(root: &Path, manifest: &Manifest, exercises: &[&Exercise]) -> Result<Graded, String> {
    let dir = prepare(root, manifest)?;
    let first_build = !dir.join("target/debug").exists();
    if first_build {
        let seeded = seed_dependencies(root, &dir);
        eprintln!(
            "First grading: building the grader and its dependencies in {GRADE_DIR}/ ({}); \
             later gradings recompile only the exercise.",
            if seeded {
                "reusing the ones `target/debug` already has"
            } else {
                "about a minute on 2 cores, once"
            }
        );
    }
    // Build every test binary in one Cargo run (Cargo compiles the crates in
    // parallel; one that does not compile stops only itself)...
    let mut args: Vec<String> = [
        "test",
        "--lib",
        "--no-run",
        "--message-format=json",
        "--target-dir",
        "target",
    ]
    .map(str::to_owned)
    .to_vec();
    for ex in exercises {
        args.push("-p".to_owned());
        args.push(package_name(&ex.id));
    }
    let out = Command::new(cargo())
        .args(&args)
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(if first_build {
            Stdio::inherit() // say what takes so long
        } else {
            Stdio::piped()
        })
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let cargo_json = String::from_utf8_lossy(&out.stdout);
    let stderr = if first_build {
        "Cargo failed: its messages are above.".to_owned()
    } else {
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let build = parse_output(&cargo_json);
    let binaries = test_binaries(&cargo_json);

    // ...then run them all at once: a starter's deadlock costs one watchdog
    // period, not one per exercise.
    let started = Instant::now();
    let libtest: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = binaries
            .values()
            .map(|binary| s.spawn(move || run_tests(binary)))
            .collect();
        runs.into_iter()
            .map(|r| r.join().unwrap_or_default())
            .collect()
    });
    let test_time = started.elapsed();
    let mut run = parse_output(&libtest.join("\n"));
    run.errors = build.errors;

    let prefix = format!("{}/", root.display());
    let mut reports = Vec::new();
    for ex in exercises {
        let checks_src = std::fs::read_to_string(root.join(ex.checks_path())).unwrap_or_default();
        let names = manifest::test_names_in_order(&checks_src);
        let mut report = report_for(&ex.id, &names, &run);
        if report.status != "broken" && !binaries.contains_key(&package_name(&ex.id)) {
            // No test program, and no compiler error names this exercise:
            // say what Cargo said.
            report.status = "broken";
            report.checks.clear();
            report.passed = 0;
            report.broken = Some(stderr.trim().to_owned());
        }
        report.broken = report.broken.map(|b| b.replace(&prefix, ""));
        for c in &mut report.checks {
            c.message = c.message.replace(&prefix, "");
        }
        reports.push(report);
    }
    Ok(Graded { reports, test_time })
}

/// Runs one test binary as `cargo test` would, and returns libtest's output.
fn run_tests(binary: &Path) -> String {
    let threads = std::env::var("RUST_TEST_THREADS").unwrap_or_else(|_| "32".to_owned());
    let out = Command::new(binary)
        // As `.cargo/config.toml` sets it for `cargo test`: checks mostly wait.
        .env("RUST_TEST_THREADS", threads)
        // Verdicts carry no backtrace anyway (the grader's own hook); this
        // keeps a check that panics outside the grader short too.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .output();
    match out {
        Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
        Err(e) => format!("cannot run {}: {e}", binary.display()),
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

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub fn package_name(id: &str) -> String {
    format!("grade_{id}")
}

/// Writes the generated workspace (only the files whose text changed, so
/// Cargo's fingerprints stay valid) and returns its folder.
pub fn prepare(root: &Path, manifest: &Manifest) -> Result<PathBuf, String> {
    let dir = root.join(GRADE_DIR);
    let root_toml = read_toml(&root.join("Cargo.toml"))?;
    let exercises_toml = read_toml(&root.join("exercises/Cargo.toml"))?;
    let deps = dependencies(root, &root_toml, &exercises_toml)?;

    let members: Vec<toml::Value> = manifest
        .exercises
        .iter()
        .map(|e| toml::Value::String(e.id.clone()))
        .collect();
    let mut workspace = toml::Table::new();
    workspace.insert("resolver".into(), "3".into());
    workspace.insert("members".into(), toml::Value::Array(members));
    let mut top = toml::Table::new();
    top.insert("workspace".into(), toml::Value::Table(workspace));
    // The same profiles as the root (opt-level of dependencies, debug...):
    // same settings, same compiled dependencies.
    let mut profile = root_toml
        .get("profile")
        .and_then(|p| p.as_table())
        .cloned()
        .unwrap_or_default();
    // The exercise crates themselves without debug info: about 20 % less
    // to compile per save (DESIGN §8), and a verdict shows no backtrace
    // anyway. Dependencies keep the root's settings, so they are shared.
    let dev = profile
        .entry("dev")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if let Some(dev) = dev.as_table_mut() {
        let packages = dev
            .entry("package")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let Some(packages) = packages.as_table_mut() {
            for ex in &manifest.exercises {
                let mut no_debug = toml::Table::new();
                no_debug.insert("debug".into(), 0.into());
                packages.insert(package_name(&ex.id), toml::Value::Table(no_debug));
            }
        }
    }
    top.insert("profile".into(), toml::Value::Table(profile));
    write_if_changed(
        &dir.join("Cargo.toml"),
        &format!(
            "# Generated by `cargo xtask` from exercises/exercises.toml: do not edit.\n{}",
            toml::to_string(&top).map_err(|e| e.to_string())?
        ),
    )?;
    // The root's lock, copied again whenever the root's changes (Cargo then
    // trims the copy to what the exercises use, so compare with the source).
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        let source = dir.join("Cargo.lock.source");
        if std::fs::read_to_string(&source).ok().as_deref() != Some(lock.as_str()) {
            write_if_changed(&dir.join("Cargo.lock"), &lock)?;
            write_if_changed(&source, &lock)?;
        }
    }

    for ex in &manifest.exercises {
        let crate_dir = dir.join(&ex.id);
        let mut package = toml::Table::new();
        package.insert("name".into(), package_name(&ex.id).into());
        package.insert("version".into(), "0.0.0".into());
        package.insert("edition".into(), edition(&root_toml).into());
        package.insert("publish".into(), false.into());
        let mut lib = toml::Table::new();
        lib.insert("doctest".into(), false.into());
        let mut krate = toml::Table::new();
        krate.insert("package".into(), toml::Value::Table(package));
        krate.insert("lib".into(), toml::Value::Table(lib));
        krate.insert("dependencies".into(), toml::Value::Table(deps.clone()));
        write_if_changed(
            &crate_dir.join("Cargo.toml"),
            &toml::to_string(&krate).map_err(|e| e.to_string())?,
        )?;
        write_if_changed(&crate_dir.join("src/lib.rs"), &lib_rs(root, ex))?;
    }
    Ok(dir)
}

/// The generated crate's root: the learner's file as module `<id>`, and the
/// checks as `checks::<id>`, as in `exercises` (so test names are the same).
fn lib_rs(root: &Path, ex: &Exercise) -> String {
    let id = &ex.id;
    let file = root.join(&ex.file);
    let checks = root.join(ex.checks_path());
    format!(
        "// Generated by `cargo xtask`: grades {file} alone. Do not edit.\n\
         #[path = {file:?}]\npub mod {id};\n\n\
         #[cfg(test)]\nmod checks {{\n    pub mod {id} {{\n        \
         #[allow(unused_imports)]\n        use crate::{id} as exercise;\n        \
         include!({checks:?});\n    }}\n}}\n",
        file = file.display().to_string(),
        checks = checks.display().to_string(),
    )
}

fn edition(root_toml: &toml::Table) -> String {
    root_toml
        .get("workspace")
        .and_then(|w| w.get("package"))
        .and_then(|p| p.get("edition"))
        .and_then(|e| e.as_str())
        .unwrap_or("2024")
        .to_owned()
}

/// The dependencies of `exercises` plus `grader`, with `workspace = true`
/// resolved from the root and every path made absolute.
fn dependencies(
    root: &Path,
    root_toml: &toml::Table,
    exercises_toml: &toml::Table,
) -> Result<toml::Table, String> {
    let shared = root_toml
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table())
        .cloned()
        .unwrap_or_default();
    let mut wanted: Vec<(String, toml::Value)> = exercises_toml
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.clone().into_iter().collect())
        .unwrap_or_default();
    wanted.push((
        "grader".to_owned(),
        toml::Value::Table(toml::Table::from_iter([(
            "workspace".to_owned(),
            toml::Value::Boolean(true),
        )])),
    ));
    let mut deps = toml::Table::new();
    for (name, spec) in wanted {
        let inherits = spec.get("workspace").and_then(|v| v.as_bool()) == Some(true);
        let mut spec = if inherits {
            shared
                .get(&name)
                .cloned()
                .ok_or_else(|| format!("Cargo.toml: no [workspace.dependencies] {name}"))?
        } else {
            spec
        };
        if let toml::Value::Table(t) = &mut spec {
            if let Some(toml::Value::String(p)) = t.get("path") {
                let abs = root.join(p).display().to_string();
                t.insert("path".into(), abs.into());
            }
        }
        deps.insert(name, spec);
    }
    Ok(deps)
}

fn read_toml(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn write_if_changed(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::create_dir_all(path.parent().expect("a generated file has a folder"))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Copies the compiled registry dependencies (crossbeam, rayon, ...) from the
/// main workspace's `target/debug` into the generated workspace's build
/// folder, so the first grading does not compile them again. The copies are
/// valid because both workspaces use the same `Cargo.lock` versions, the same
/// profile and the same compiler: Cargo's fingerprints match and it reuses
/// them. Returns whether anything was copied. Path dependencies (grader,
/// goslice) are compiled anyway: they are small.
pub fn seed_dependencies(root: &Path, grade_dir: &Path) -> bool {
    let from = std::env::var_os("XTASK_SEED_FROM")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/debug"));
    let to = grade_dir.join("target/debug");
    let names = registry_packages(&grade_dir.join("Cargo.lock"));
    if names.is_empty() || !from.is_dir() {
        return false;
    }
    let mut copied = 0;
    for sub in ["deps", ".fingerprint", "build"] {
        let Ok(entries) = std::fs::read_dir(from.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let stem = file.strip_prefix("lib").unwrap_or(&file);
            let Some((name, _hash)) = stem.rsplit_once('-') else {
                continue;
            };
            if names.contains(name) && copy_tree(&entry.path(), &to.join(sub).join(&file)) {
                copied += 1;
            }
        }
    }
    copied > 0
}

/// Names (with `-` and with `_`) of the registry packages in a `Cargo.lock`.
fn registry_packages(lock: &Path) -> BTreeSet<String> {
    let Ok(table) = read_toml(lock) else {
        return BTreeSet::new();
    };
    let mut names = BTreeSet::new();
    for p in table
        .get("package")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
    {
        let registry = p
            .get("source")
            .and_then(|s| s.as_str())
            .is_some_and(|s| s.starts_with("registry+"));
        if let (true, Some(name)) = (registry, p.get("name").and_then(|n| n.as_str())) {
            names.insert(name.to_owned());
            names.insert(name.replace('-', "_"));
        }
    }
    names
}

fn copy_tree(from: &Path, to: &Path) -> bool {
    if from.is_dir() {
        let Ok(entries) = std::fs::read_dir(from) else {
            return false;
        };
        let _ = std::fs::create_dir_all(to);
        entries
            .flatten()
            .all(|e| copy_tree(&e.path(), &to.join(e.file_name())))
    } else {
        // Keep the modification time: Cargo compares the times of a unit's
        // outputs with those of its dependencies.
        let copied = std::fs::create_dir_all(to.parent().expect("a file has a folder")).is_ok()
            && std::fs::copy(from, to).is_ok();
        let modified = std::fs::metadata(from).and_then(|m| m.modified());
        copied
            && modified
                .and_then(|t| {
                    std::fs::File::options()
                        .write(true)
                        .open(to)?
                        .set_modified(t)
                })
                .is_ok()
    }
}

/// What one `cargo test --message-format=json` run said.
#[derive(Default)]
pub struct RunOutput {
    /// Compiler errors by package name (`grade_<id>`), rendered.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Verdicts by test name (`checks::<id>::<check>`).
    pub verdicts: BTreeMap<String, bool>,
    /// Captured output of failed tests, by test name.
    pub failures: BTreeMap<String, String>,
    pub test_time: Duration,
}

/// Splits Cargo's JSON lines from the test binaries' libtest text.
pub fn parse_output(stdout: &str) -> RunOutput {
    let mut run = RunOutput::default();
    let mut libtest = String::new();
    for line in stdout.lines() {
        if line.starts_with('{') {
            if let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) {
                compiler_error(&msg, &mut run.errors);
                continue;
            }
        }
        libtest.push_str(line);
        libtest.push('\n');
    }
    run.verdicts = crate::test_results::parse_verdicts(&libtest);
    run.failures = failure_sections(&libtest);
    run.test_time = crate::test_results::parse_finished_in(&libtest).unwrap_or_default();
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

/// libtest's `---- NAME stdout ----` sections: what each failed test printed.
pub fn failure_sections(libtest: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in libtest.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"));
        if let Some(name) = header {
            if let Some((n, text)) = current.take() {
                sections.insert(n, text);
            }
            current = Some((name.to_owned(), String::new()));
        } else if line == "failures:" || line.starts_with("test result: ") {
            if let Some((n, text)) = current.take() {
                sections.insert(n, text);
            }
        } else if let Some((_, text)) = &mut current {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((n, text)) = current {
        sections.insert(n, text);
    }
    sections
}

/// The learner-facing part of a failed check's output: the grader's verdict
/// (`[id] ...` up to the hint line) when there is one, else all of it.
pub fn verdict_message(id: &str, output: &str) -> String {
    let marker = format!("[{id}] ");
    match output.find(&marker) {
        Some(start) => {
            let rest = &output[start + marker.len()..];
            let end = rest
                .find("\n  Stuck? Run `cargo xtask hint")
                .unwrap_or(rest.len());
            rest[..end].trim().to_owned()
        }
        None if output.trim().is_empty() => {
            "the check failed without a message (a bare `assert!` or a crash?)".to_owned()
        }
        None => output.trim().to_owned(),
    }
}

fn report_for(id: &str, names: &[String], run: &RunOutput) -> Report {
    if let Some(errors) = run.errors.get(&package_name(id)) {
        return Report {
            id: id.to_owned(),
            status: "broken",
            passed: 0,
            total: names.len(),
            checks: Vec::new(),
            broken: Some(errors.join("\n").trim_end().to_owned()),
        };
    }
    let prefix = format!("checks::{id}::");
    let mut checks: Vec<CheckResult> = names
        .iter()
        .map(|name| {
            let full = format!("{prefix}{name}");
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
        if let Some(name) = full.strip_prefix(&prefix) {
            if !checks.iter().any(|c| c.name == name) {
                checks.push(CheckResult {
                    name: name.to_owned(),
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
            "passed"
        } else {
            "failed"
        },
        passed,
        total,
        checks,
        broken: None,
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
            ("failed", 1, 4)
        );
        assert_eq!(
            report.checks[1].message,
            "`f()` did not return within 1000 ms.\n  Who owns the Sender?"
        );
        assert_eq!(report.checks[2].message, "assertion failed: x");
        assert!(report.checks[3].message.contains("did not report"));
        assert_eq!(run.test_time, Duration::from_millis(1020));
    }

    #[test]
    fn a_compiler_error_makes_the_exercise_broken() {
        let err = r#"{"reason":"compiler-message","target":{"name":"grade_leak_x"},"message":{"level":"error","rendered":"error[E0425]: cannot find value `y`\n --> exercises/src/leak_x.rs:3:5\n"}}"#;
        let warn = r#"{"reason":"compiler-message","target":{"name":"grade_leak_x"},"message":{"level":"warning","rendered":"warning: unused"}}"#;
        let run = parse_output(&format!("{warn}\n{err}\n"));
        let report = report_for("leak_x", &["a".to_owned()], &run);
        assert_eq!(report.status, "broken");
        let broken = report.broken.unwrap();
        assert!(broken.contains("exercises/src/leak_x.rs:3:5"), "{broken}");
        assert!(!broken.contains("unused"), "{broken}");
        let other = report_for("leak_y", &["a".to_owned()], &run);
        assert_ne!(other.status, "broken");
    }
}
