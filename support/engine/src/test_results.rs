//! Runs `cargo test` on one crate and reads each check's verdict.

use crate::libtest;
use manifest::TestPath;
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
    /// Verdicts of the checks of exercise `id`, by check name: in
    /// `exercises` (`checks::ID::CHECK`) and `solutions` (the same below
    /// `reference_solution_not_your_exercise::`).
    pub fn checks_of(&self, id: &str) -> BTreeMap<String, bool> {
        self.paths_of(id)
            .filter(|(path, _)| path.fixture.is_none())
            .filter_map(|(path, ok)| Some((path.check?, ok)))
            .collect()
    }

    /// Verdicts of the fixtures of exercise `id` in `fixtures`
    /// (`checks::ID::FIXTURE::CHECK`): each fixture's verdicts, one per check.
    pub fn fixtures_of(&self, id: &str) -> BTreeMap<String, Vec<bool>> {
        let mut fixtures: BTreeMap<String, Vec<bool>> = BTreeMap::new();
        for (path, ok) in self.paths_of(id) {
            if let (Some(fixture), Some(_)) = (path.fixture, path.check) {
                fixtures.entry(fixture).or_default().push(ok);
            }
        }
        fixtures
    }

    fn paths_of<'a>(&'a self, id: &'a str) -> impl Iterator<Item = (TestPath, bool)> + 'a {
        self.verdicts
            .iter()
            .filter_map(|(name, ok)| Some((TestPath::parse(name)?, *ok)))
            .filter(move |(path, _)| path.id == id)
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
        verdicts: libtest::verdicts(&stdout),
        test_time: libtest::finished_in(&stdout),
        printed: libtest::printed(&stdout),
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

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
test checks::leak_x::a ... ok
test checks::leak_x::b ... FAILED
test reference_solution_not_your_exercise::checks::leak_z::a ... ok
test checks::leak_y::alt_one::a ... ok
test checks::leak_y::alt_one::b ... FAILED
test checks::leak_y::wrong_two::a ... FAILED
test checks::leak_xy::a ... ok
";

    fn run() -> TestRun {
        TestRun {
            verdicts: libtest::verdicts(SAMPLE),
            test_time: None,
            printed: BTreeMap::new(),
            warned: BTreeMap::new(),
        }
    }

    #[test]
    fn groups_verdicts_by_exercise() {
        let run = run();
        let x = run.checks_of("leak_x");
        assert_eq!(x, BTreeMap::from([("a".into(), true), ("b".into(), false)]));
        assert_eq!(run.checks_of("leak_z").get("a"), Some(&true));
        assert!(run.checks_of("leak_y").is_empty());
    }

    #[test]
    fn groups_a_fixtures_verdicts_by_fixture() {
        let fixtures = run().fixtures_of("leak_y");
        assert_eq!(fixtures["alt_one"], [true, false]);
        assert_eq!(fixtures["wrong_two"], [false]);
        assert_eq!(fixtures.len(), 2);
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
}
