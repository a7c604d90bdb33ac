//! `cargo test -p exercises [FILTER]`: the learner's own words for "grade my
//! work", run by the test target `exercises/tests/workbook.rs` (`harness =
//! false`), which calls [`main`].
//!
//! The exercises are not compiled into that target: each is graded in its own
//! crate under `target/grade/`, by the same engine as `cargo xtask check`. So
//! a save recompiles one exercise, and a file that does not compile fails its
//! own exercise's checks, by name, and no other's. A plain `cargo test` would
//! stop at the first test target that does not compile and grade nothing.
//!
//! The output has libtest's shape (`test NAME ... ok`, `failures:`, `test
//! result:`), so it reads like any `cargo test`, and `cargo dev verify`
//! reads it as it reads the other crates'. Arguments are libtest's: name
//! filters, `--exact`, `--skip NAME`, `--list`, `--test-threads N`,
//! `--ignored`/`--include-ignored`; the others (`--nocapture`, `-q`, ...) are
//! accepted and change nothing.

use crate::grade;
use crate::verdict::{Report, Status, failure_groups};
use manifest::{Exercise, Manifest, TestPath};
use std::path::Path;
use std::process::ExitCode;

/// What the arguments of the test program ask for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub filters: Vec<String>,
    pub skip: Vec<String>,
    pub exact: bool,
    pub list: bool,
    /// Passed on to each exercise's test program as they are.
    pub pass_on: Vec<String>,
}

impl Args {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Args {
        let mut parsed = Args::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--exact" => parsed.exact = true,
                "--list" => parsed.list = true,
                "--skip" => parsed.skip.extend(args.next()),
                "--ignored" | "--include-ignored" => parsed.pass_on.push(arg),
                "--test-threads" => {
                    if let Some(n) = args.next() {
                        parsed.pass_on.push(format!("--test-threads={n}"));
                    }
                }
                // Options that take a value and change nothing here.
                "--color" | "--format" | "--logfile" | "-Z" | "--shuffle-seed" => {
                    args.next();
                }
                _ if arg.starts_with("--test-threads=") => parsed.pass_on.push(arg),
                _ if arg.starts_with("--skip=") => parsed.skip.push(arg["--skip=".len()..].into()),
                _ if arg.starts_with('-') => {}
                _ => parsed.filters.push(arg),
            }
        }
        parsed
    }

    /// Whether libtest would run the test `name` with these arguments.
    pub fn runs(&self, name: &str) -> bool {
        let matches = |f: &String| {
            if self.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        };
        (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(|s| {
                if self.exact {
                    name == s
                } else {
                    name.contains(s.as_str())
                }
            })
    }

    /// The arguments for one exercise's test program: the same filters.
    fn libtest_args(&self) -> Vec<String> {
        let mut args = self.filters.clone();
        for s in &self.skip {
            args.push("--skip".to_owned());
            args.push(s.clone());
        }
        if self.exact {
            args.push("--exact".to_owned());
        }
        args.extend(self.pass_on.iter().cloned());
        args
    }
}

/// The names of an exercise's checks, in the order of `checks/ID.rs`.
fn check_names(root: &Path, ex: &Exercise) -> Vec<String> {
    let source = std::fs::read_to_string(root.join(ex.checks_path())).unwrap_or_default();
    manifest::test_names_in_order(&source)
}

/// The full test names of an exercise's checks, as libtest prints them.
fn test_names(root: &Path, ex: &Exercise) -> Vec<String> {
    check_names(root, ex)
        .into_iter()
        .map(|name| TestPath::check(&ex.id, &name).to_string())
        .collect()
}

/// The exercises with at least one check the arguments select, in book order.
pub fn selected<'m>(root: &Path, manifest: &'m Manifest, args: &Args) -> Vec<&'m Exercise> {
    manifest
        .exercises
        .iter()
        .filter(|ex| test_names(root, ex).iter().any(|n| args.runs(n)))
        .collect()
}

/// The test program's `main`: grades the exercises the arguments select and
/// prints their verdicts as libtest would; fails when any check fails.
pub fn main(root: &Path) -> ExitCode {
    let args = Args::parse(std::env::args().skip(1));
    let manifest = match Manifest::load(root) {
        Ok(m) => m,
        Err(e) => {
            println!("error: cannot read the exercise list: {e}");
            return ExitCode::from(101);
        }
    };
    let exercises = selected(root, &manifest, &args);
    if args.list {
        let mut count = 0;
        for ex in &exercises {
            for name in test_names(root, ex).iter().filter(|n| args.runs(n)) {
                println!("{name}: test");
                count += 1;
            }
        }
        println!("\n{count} tests, 0 benchmarks");
        return ExitCode::SUCCESS;
    }
    if exercises.is_empty() {
        println!(
            "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n"
        );
        return ExitCode::SUCCESS;
    }
    let graded = match grade::grade_with(root, &manifest, &exercises, &args.libtest_args()) {
        Ok(g) => g,
        Err(e) => {
            println!("error: {e}");
            return ExitCode::from(101);
        }
    };
    let names: Vec<Vec<String>> = exercises.iter().map(|ex| check_names(root, ex)).collect();
    let (text, failed) = render(&exercises, &graded.reports, &names, &args, graded.test_time);
    print!("{text}");
    // Only the checks the filter selected count (a check name as the filter
    // runs that check alone).
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(101)
    }
}

/// The whole output, libtest's shape plus a line per exercise, and how many
/// of the selected checks failed. `names`: the check names of each exercise
/// (a broken one's report has no checks).
pub fn render(
    exercises: &[&Exercise],
    reports: &[Report],
    names: &[Vec<String>],
    args: &Args,
    test_time: std::time::Duration,
) -> (String, usize) {
    let mut out = String::new();
    let shown = |id: &str, name: &str| args.runs(&TestPath::check(id, name).to_string());
    let ran: usize = reports
        .iter()
        .zip(names)
        .map(|(r, names)| names.iter().filter(|n| shown(&r.id, n)).count())
        .sum();
    out.push_str(&format!(
        "\nrunning {ran} tests ({} exercises, each built and run on its own: a file that does not compile fails only its own exercise)\n",
        reports.len()
    ));
    let (mut passed, mut failed) = (0, 0);
    for (r, names) in reports.iter().zip(names) {
        if r.status == Status::Broken {
            // No check ran; the names still say what is missing.
            for name in names.iter().filter(|n| shown(&r.id, n)) {
                let path = TestPath::check(&r.id, name);
                out.push_str(&format!("test {path} ... FAILED\n"));
                failed += 1;
            }
            if names.is_empty() {
                let path = TestPath::exercise(&r.id);
                out.push_str(&format!("test {path} ... FAILED\n"));
                failed += 1;
            }
            continue;
        }
        for c in r.checks.iter().filter(|c| shown(&r.id, &c.name)) {
            let verdict = if c.ok { "ok" } else { "FAILED" };
            let path = TestPath::check(&r.id, &c.name);
            out.push_str(&format!("test {path} ... {verdict}\n"));
            if c.ok {
                passed += 1;
            } else {
                failed += 1;
            }
        }
    }

    let mut failures = String::new();
    let mut failed_names = Vec::new();
    for (ex, r) in exercises.iter().zip(reports) {
        if r.status == Status::Broken {
            failures.push_str(&format!(
                "\n---- {} stdout ----\n{} does not compile, so its checks cannot run. The compiler says:\n\n{}\n",
                TestPath::exercise(&r.id),
                ex.file,
                r.broken.as_deref().unwrap_or("").trim_end()
            ));
            failed_names.push(TestPath::exercise(&r.id).to_string());
            continue;
        }
        for group in failure_groups(r) {
            let names: Vec<&String> = group.names.iter().filter(|n| shown(&r.id, n)).collect();
            let Some(first) = names.first() else { continue };
            failures.push_str(&format!(
                "\n---- {} stdout ----\n[{}] {}\n",
                TestPath::check(&r.id, first),
                r.id,
                group.text()
            ));
            if names.len() > 1 {
                let others: Vec<&str> = names[1..].iter().map(|n| n.as_str()).collect();
                failures.push_str(&format!(
                    "  (The same verdict for: {}.)\n",
                    others.join(", ")
                ));
            }
            failed_names.extend(names.iter().map(|n| TestPath::check(&r.id, n).to_string()));
        }
    }
    if !failures.is_empty() {
        out.push_str("\nfailures:\n");
        out.push_str(&failures);
        out.push_str("\nfailures:\n");
        for name in &failed_names {
            out.push_str(&format!("    {name}\n"));
        }
    }

    out.push_str("\nexercises:\n");
    for (ex, r) in exercises.iter().zip(reports) {
        let line = match r.status {
            Status::Passed => format!("  ✓ {}: all {} checks pass", r.id, r.total),
            Status::Broken => format!(
                "  ✗ {}: {} does not compile (its verdict is above)",
                r.id, ex.file
            ),
            _ => {
                let selected: Vec<_> = r.checks.iter().filter(|c| shown(&r.id, &c.name)).collect();
                let ok = selected.iter().filter(|c| c.ok).count();
                if ok == selected.len() {
                    format!("  ✓ {}: all {} selected checks pass", r.id, selected.len())
                } else {
                    format!(
                        "  ✗ {}: {ok} of {} checks pass; stuck? `cargo xtask hint {}`",
                        r.id,
                        selected.len(),
                        r.id
                    )
                }
            }
        };
        out.push_str(&line);
        out.push('\n');
        for w in &r.warnings {
            for l in w.lines() {
                out.push_str(&format!("      {l}\n"));
            }
        }
    }
    let status = if failed == 0 { "ok" } else { "FAILED" };
    out.push_str(&format!(
        "\ntest result: {status}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s\n\n",
        test_time.as_secs_f64()
    ));
    (out, failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Args {
        Args::parse(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn reads_libtest_arguments() {
        let a = args(&[
            "leak",
            "--exact",
            "--skip",
            "x",
            "--nocapture",
            "--test-threads",
            "4",
            "-q",
        ]);
        assert_eq!(a.filters, ["leak"]);
        assert_eq!(a.skip, ["x"]);
        assert!(a.exact);
        assert_eq!(a.pass_on, ["--test-threads=4"]);
        assert_eq!(
            a.libtest_args(),
            ["leak", "--skip", "x", "--exact", "--test-threads=4"]
        );
    }

    fn exercise(id: &str) -> Exercise {
        let text = format!(
            "[[exercise]]\nid = \"{id}\"\ntitle = \"t\"\nchapter = \"c.md\"\nfile = \"exercises/src/{id}.rs\"\ntask = \"t\"\nfailing_checks = []\nhints = [\"a\", \"b\", \"c\"]\n"
        );
        let manifest: Manifest = toml::from_str(&text).expect("a manifest");
        manifest.exercises.into_iter().next().expect("one exercise")
    }

    fn report(id: &str, status: Status, checks: &[(&str, bool, &str)]) -> Report {
        let checks: Vec<crate::verdict::CheckResult> = checks
            .iter()
            .map(|(name, ok, message)| crate::verdict::CheckResult {
                name: (*name).to_owned(),
                ok: *ok,
                message: (*message).to_owned(),
            })
            .collect();
        Report {
            id: id.to_owned(),
            status,
            passed: checks.iter().filter(|c| c.ok).count(),
            total: checks.len(),
            checks,
            broken: (status == Status::Broken).then(|| "error: expected `)`".to_owned()),
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_file_that_does_not_compile_fails_only_its_own_checks_by_name() {
        let (broken, fine) = (exercise("leak_x"), exercise("slice_y"));
        let reports = [
            report("leak_x", Status::Broken, &[]),
            report("slice_y", Status::Passed, &[("adds", true, "")]),
        ];
        let names = [
            vec!["a".to_owned(), "b".to_owned()],
            vec!["adds".to_owned()],
        ];
        let (text, failed) = render(
            &[&broken, &fine],
            &reports,
            &names,
            &args(&[]),
            std::time::Duration::from_millis(20),
        );
        assert_eq!(failed, 2, "{text}");
        for line in [
            "test checks::leak_x::a ... FAILED",
            "test checks::leak_x::b ... FAILED",
            "test checks::slice_y::adds ... ok",
            "---- checks::leak_x stdout ----\nexercises/src/leak_x.rs does not compile",
            "error: expected `)`",
            "  ✗ leak_x: exercises/src/leak_x.rs does not compile",
            "  ✓ slice_y: all 1 checks pass",
            "test result: FAILED. 1 passed; 2 failed;",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
        assert_eq!(text.matches("error: expected").count(), 1, "{text}");
    }

    #[test]
    fn with_a_check_name_as_filter_only_that_check_counts() {
        let ex = exercise("leak_x");
        // The check that did not run is reported failed by the engine (no verdict).
        let reports = [report(
            "leak_x",
            Status::Failed,
            &[
                ("sums", true, ""),
                ("zero", false, "did not report a verdict"),
            ],
        )];
        let names = [vec!["sums".to_owned(), "zero".to_owned()]];
        let (text, failed) = render(
            &[&ex],
            &reports,
            &names,
            &args(&["sums"]),
            std::time::Duration::ZERO,
        );
        assert_eq!(failed, 0, "{text}");
        assert!(text.contains("test checks::leak_x::sums ... ok"), "{text}");
        assert!(!text.contains("zero"), "{text}");
        assert!(
            text.contains("  ✓ leak_x: all 1 selected checks pass"),
            "{text}"
        );
    }

    #[test]
    fn filters_as_libtest_does() {
        let name = "checks::leak_coordinator::sums_every_batch";
        assert!(args(&[]).runs(name));
        assert!(args(&["leak_coordinator"]).runs(name));
        assert!(args(&["sums_every"]).runs(name));
        assert!(!args(&["slice"]).runs(name));
        assert!(!args(&["leak", "--skip", "sums"]).runs(name));
        assert!(!args(&["leak_coordinator", "--exact"]).runs(name));
        assert!(args(&[name, "--exact"]).runs(name));
    }
}
