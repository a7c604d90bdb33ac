//! Grading: behind `check`, `watch`, `progress` and `cargo test -p exercises`.
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

use crate::rustc_alone;
use crate::verdict::{Report, Status, parse_output, report_for, test_binaries};
use crate::workspace::{GRADE_DIR, package_name, prepare, seed_dependencies};
use manifest::{Exercise, Manifest};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Everything one grading run produced.
pub struct Graded {
    pub reports: Vec<Report>,
    /// Wall time of the test programs' runs (all at once), no compilation.
    pub test_time: Duration,
}

/// Grades `exercises` (in the order given), one generated crate each: built
/// in one Cargo run, their test programs run all at once. Fails only when
/// Cargo itself cannot run; a file that does not compile is a `broken` report.
pub fn grade(root: &Path, manifest: &Manifest, exercises: &[&Exercise]) -> Result<Graded, String> {
    grade_with(root, manifest, exercises, &[])
}

/// [`grade`], passing `libtest_args` (test name filters, `--exact`, `--skip
/// NAME`) to every test program: `cargo test -p exercises FILTER` runs the
/// checks libtest's own filter would.
pub fn grade_with(
    root: &Path,
    manifest: &Manifest,
    exercises: &[&Exercise],
    libtest_args: &[String],
) -> Result<Graded, String> {
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
    let packages: Vec<String> = exercises.iter().map(|ex| package_name(&ex.id)).collect();
    // One exercise after a save: rustc alone, when its last compile allows.
    let alone = match packages.as_slice() {
        [package] if !first_build => rustc_alone::compile(root, &dir, package),
        _ => None,
    };
    let (mut cargo_json, stderr) = match alone {
        Some(json) => (json, String::new()),
        None => build(root, &dir, &packages, first_build)?,
    };
    // ...and, should Cargo have stopped before some crate (seen with
    // `--keep-going` too, when one crate fails while others wait), build each
    // exercise it left without a test program or an error on its own.
    let built = test_binaries(&cargo_json);
    let errors = parse_output(&cargo_json).errors;
    for package in &packages {
        if !built.contains_key(package) && !errors.contains_key(package) {
            let (json, _) = build(root, &dir, std::slice::from_ref(package), false)?;
            cargo_json.push('\n');
            cargo_json.push_str(&json);
        }
    }
    let build = parse_output(&cargo_json);
    let binaries = test_binaries(&cargo_json);

    // ...then run them all at once: a starter's deadlock costs one watchdog
    // period, not one per exercise.
    let started = Instant::now();
    let libtest: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = binaries
            .values()
            .map(|binary| s.spawn(move || run_tests(binary, libtest_args)))
            .collect();
        runs.into_iter()
            .map(|r| r.join().unwrap_or_default())
            .collect()
    });
    let test_time = started.elapsed();
    let mut run = parse_output(&libtest.join("\n"));
    run.errors = build.errors;
    run.warnings = build.warnings;

    let prefix = format!("{}/", root.display());
    let mut reports = Vec::new();
    for ex in exercises {
        let checks_src = std::fs::read_to_string(root.join(ex.checks_path())).unwrap_or_default();
        let names = manifest::test_names_in_order(&checks_src);
        let mut report = report_for(&ex.id, &names, &run);
        if report.status != Status::Broken {
            // Beside the errors of a file that does not compile they are noise.
            report.warnings = warnings_in(&run, ex, root);
        }
        if report.status != Status::Broken && !binaries.contains_key(&package_name(&ex.id)) {
            // No test program, and no compiler error names this exercise:
            // say what Cargo said.
            report.status = Status::Broken;
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

/// Builds the test programs of `packages` in the generated workspace `dir`;
/// returns Cargo's JSON messages and, unless it printed them, its stderr.
/// Each exercise crate Cargo compiles has its command recorded for the next
/// save ([`rustc_alone::record`]; not on the first build, whose progress the
/// learner sees).
fn build(
    root: &Path,
    dir: &Path,
    packages: &[String],
    first_build: bool,
) -> Result<(String, String), String> {
    let inputs = rustc_alone::Inputs::now(root, dir);
    let started = rustc_alone::started();
    // `build --tests` makes the same test programs as `test --no-run`, and
    // unlike it takes `--keep-going`.
    let mut args: Vec<String> = [
        "build",
        "--tests",
        "--keep-going",
        "--message-format=json",
        "--target-dir",
        "target",
    ]
    .map(str::to_owned)
    .to_vec();
    for package in packages {
        args.push("-p".to_owned());
        args.push(package.clone());
    }
    if !first_build {
        args.push("-vv".to_owned()); // the commands and environments to record
    }
    let out = Command::new(cargo())
        .args(&args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(if first_build {
            Stdio::inherit() // say what takes so long
        } else {
            Stdio::piped()
        })
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = if first_build {
        "Cargo failed: its messages are above.".to_owned()
    } else {
        let verbose = String::from_utf8_lossy(&out.stderr);
        rustc_alone::record(dir, packages, &inputs, started, &verbose, &stdout);
        // What Cargo says without `-vv`, should a learner need to see it.
        verbose
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                !["Fresh ", "Dirty ", "Running `"]
                    .iter()
                    .any(|p| l.starts_with(p))
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok((stdout, stderr))
}

/// The compiler's warnings about the learner's own file, shortened to the
/// warning and where it is (`check` shows them under the verdict: an unused
/// import is worth a look even when every check passes).
fn warnings_in(run: &crate::verdict::RunOutput, ex: &Exercise, root: &Path) -> Vec<String> {
    let file = root.join(&ex.file).display().to_string();
    let prefix = format!("{}/", root.display());
    run.warnings
        .get(&package_name(&ex.id))
        .into_iter()
        .flatten()
        .filter(|w| w.file == file)
        .map(|w| w.brief.replace(&prefix, ""))
        .collect()
}

/// How many checks of one test program run at once when a tool runs the
/// program itself, without Cargo: what `.cargo/config.toml` sets for `cargo
/// test` (`RUST_TEST_THREADS`; checks mostly wait on learner threads).
pub const TEST_THREADS: &str = "32";

/// Runs one test binary as `cargo test` would, and returns libtest's output.
fn run_tests(binary: &Path, libtest_args: &[String]) -> String {
    let threads = std::env::var("RUST_TEST_THREADS").unwrap_or_else(|_| TEST_THREADS.to_owned());
    let out = Command::new(binary)
        .args(libtest_args)
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

/// The Cargo that runs us (`CARGO`, set by `cargo run` and `cargo test`).
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
