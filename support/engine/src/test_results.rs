//! Runs `cargo test` on one crate and reads each check's verdict.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Verdicts by full test name (e.g. `checks::leak_coordinator::sums_every_batch`).
pub struct TestRun {
    pub verdicts: BTreeMap<String, bool>,
    /// Time of the test binary's run, as the harness reports it (no compilation).
    pub test_time: Option<Duration>,
    /// What each failed test printed (its verdict), by full test name.
    pub printed: BTreeMap<String, String>,
    /// The compiler's warnings about each exercise's file, by id, as the
    /// `exercises` crate's test target lists them (empty for other crates).
    pub warned: BTreeMap<String, Vec<String>>,
}

impl TestRun {
    /// Verdicts of the checks of one exercise, keyed by the rest of the test
    /// name after `checks::<id>::` (a check name, or `variant::check` for fixtures).
    pub fn of_exercise(&self, id: &str) -> BTreeMap<&str, bool> {
        let prefix = format!("checks::{id}::");
        self.verdicts
            .iter()
            .filter_map(|(name, ok)| {
                // `checks::<id>::..` in `exercises` and `fixtures`, below
                // `reference_solution_not_your_exercise::` in `solutions`.
                let (before, rest) = name.split_once(&prefix)?;
                (before.is_empty() || before.ends_with("::")).then_some((rest, *ok))
            })
            .collect()
    }
}

/// Compiles and runs the tests of `krate`, never stopping at the first failure.
/// Fails only if the crate does not build (then no verdict can be read).
pub fn run(root: &Path, krate: &str, filter: Option<&str>) -> Result<TestRun, String> {
    let build = capture(root, &["test", "-q", "-p", krate, "--no-run"])?;
    if !build.status.success() {
        return Err(format!(
            "`{krate}` does not compile, so nothing can be graded. The compiler says:\n{}",
            String::from_utf8_lossy(&build.stderr)
        ));
    }
    // No `-q` here: cargo would pass it on and libtest would print dots, not names.
    let mut args = vec!["test", "-p", krate, "--no-fail-fast", "--"];
    if let Some(f) = filter {
        args.push(f);
    }
    let out = capture(root, &args)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    Ok(TestRun {
        verdicts: parse_verdicts(&stdout),
        test_time: parse_finished_in(&stdout),
        printed: parse_printed(&stdout),
        warned: parse_warned(&stdout),
    })
}

/// Reads the `exercises:` section that `cargo test -p exercises` ends with:
/// a line per exercise (`  ✓ ID: ...`, `  ✗ ID: ...`), each followed by its
/// warnings, indented further.
pub fn parse_warned(stdout: &str) -> BTreeMap<String, Vec<String>> {
    let mut warned: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_section = false;
    for line in stdout.lines() {
        if line == "exercises:" {
            in_section = true;
            continue;
        }
        if !in_section {
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("  ✓ ")
            .or_else(|| line.strip_prefix("  ✗ "))
        {
            current = rest.split_once(':').map(|(id, _)| id.to_owned());
        } else if let (Some(id), Some(text)) = (&current, line.strip_prefix("      ")) {
            warned.entry(id.clone()).or_default().push(text.to_owned());
        } else if line.trim().is_empty() {
            in_section = false;
        }
    }
    warned
}

/// Runs Cargo in `dir` and captures its output, whatever its exit status.
fn capture(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new(crate::grade::cargo())
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot start cargo: {e}"))
}

/// Reads `test NAME ... ok` / `... FAILED` lines of the libtest output.
pub fn parse_verdicts(stdout: &str) -> BTreeMap<String, bool> {
    stdout
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix("test ")?;
            let (name, verdict) = rest.rsplit_once(" ... ")?;
            match verdict.trim() {
                "ok" => Some((name.to_owned(), true)),
                "FAILED" => Some((name.to_owned(), false)),
                _ => None,
            }
        })
        .collect()
}

/// Reads the `---- NAME stdout ----` sections libtest prints for the tests
/// that failed: what each one printed (for a check, its verdict).
pub fn parse_printed(stdout: &str) -> BTreeMap<String, String> {
    let mut printed = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in stdout.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"));
        if header.is_some() || line == "failures:" || line.starts_with("test result: ") {
            if let Some((name, text)) = current.take() {
                printed.insert(name, text);
            }
        }
        if let Some(name) = header {
            current = Some((name.to_owned(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((name, text)) = current {
        printed.insert(name, text);
    }
    printed
}

/// Adds up the `finished in 0.12s` of every test binary in the output.
pub fn parse_finished_in(stdout: &str) -> Option<Duration> {
    let times: Vec<f64> = stdout
        .lines()
        .filter_map(|l| l.split("finished in ").nth(1))
        .filter_map(|t| t.trim().trim_end_matches('s').parse().ok())
        .collect();
    (!times.is_empty()).then(|| Duration::from_secs_f64(times.iter().sum()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
running 2 tests
test checks::leak_x::a ... ok
test checks::leak_x::b ... FAILED
test checks::leak_y::alt_one::a ... ok

failures:

---- checks::leak_x::b stdout ----

[leak_x] the consumer was still running.
  Stuck? Run `cargo xtask hint leak_x` for a hint.

failures:
    checks::leak_x::b

test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.25s
";

    #[test]
    fn reads_each_verdict() {
        let v = parse_verdicts(SAMPLE);
        assert_eq!(v.get("checks::leak_x::a"), Some(&true));
        assert_eq!(v.get("checks::leak_x::b"), Some(&false));
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn groups_verdicts_by_exercise() {
        let run = TestRun {
            verdicts: parse_verdicts(SAMPLE),
            test_time: None,
            printed: BTreeMap::new(),
            warned: BTreeMap::new(),
        };
        let x = run.of_exercise("leak_x");
        assert_eq!(x.len(), 2);
        assert_eq!(run.of_exercise("leak_y").get("alt_one::a"), Some(&true));
    }

    #[test]
    fn reads_what_a_failed_check_printed() {
        let printed = parse_printed(SAMPLE);
        assert_eq!(printed.len(), 1);
        let text = &printed["checks::leak_x::b"];
        assert!(text.contains("[leak_x] the consumer was still running."));
        assert!(!text.contains("failures:"), "{text}");
    }

    #[test]
    fn reads_the_warnings_of_each_exercise() {
        let out = "\
exercises:
  ✓ leak_x: all 4 checks pass
      warning: unused import: `std::thread`
        --> exercises/src/leak_x.rs:3:5
  ✗ leak_y: 1 of 2 checks pass; stuck? `cargo xtask hint leak_y`

test result: FAILED. 5 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.10s
";
        let warned = parse_warned(out);
        assert_eq!(
            warned["leak_x"],
            [
                "warning: unused import: `std::thread`",
                "  --> exercises/src/leak_x.rs:3:5"
            ]
        );
        assert_eq!(warned.len(), 1);
    }

    #[test]
    fn reads_the_test_time() {
        assert_eq!(parse_finished_in(SAMPLE), Some(Duration::from_millis(1250)));
    }
}
