//! `cargo dev stress [N] [ID..]`: are the checks' verdicts the same every
//! time, on a busy machine? Builds the test programs of `exercises` (the
//! starters), `solutions` and `fixtures` once, starts one CPU hog per core,
//! runs each program N times (50 by default), only the checks of the
//! exercises named (all when none is), and lists every starter or solution
//! check whose verdict was not the same in all N runs, and every fixture
//! that was not graded the same (caught or not, as `verify` grades it).
//! Exit status 0 exactly when none changed. A check that varies inside a
//! fixture graded the same every run is listed, for information.
//!
//! Slow (about 5 minutes for 50 runs on 2 cores), so it is not part of
//! `cargo dev test`; the numbers go into the closing note of a change to
//! the checks.

use anyhow::{Context, Result, anyhow};
use engine::libtest;
use manifest::TestPath;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Instant;

const CRATES: [&str; 3] = ["exercises", "solutions", "fixtures"];

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    let (runs, ids) = parse_args(args)?;
    if !ids.is_empty() {
        let manifest = crate::load_manifest(root)?;
        for id in &ids {
            crate::find_exercise(&manifest, id)?;
        }
    }
    let filters = test_filters(&ids);
    let programs = build(root)?;
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    println!("stress: {runs} runs of each test program, with {cores} CPU hog(s) running");
    let stop = Arc::new(AtomicBool::new(false));
    let hogs: Vec<_> = (0..cores)
        .map(|_| {
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                let mut x = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
                }
            })
        })
        .collect();
    let started = Instant::now();
    let mut unstable = 0;
    for (krate, program) in &programs {
        // Per check: how many runs passed it, and how many ran it. For the
        // fixtures, also per fixture: in how many runs it was caught (some
        // check failed), which is what `verify` grades.
        let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut caught: BTreeMap<String, usize> = BTreeMap::new();
        for _ in 0..runs {
            let out = Command::new(program)
                .args(&filters)
                .current_dir(root.join(krate))
                .env("RUST_BACKTRACE", "0")
                // What .cargo/config.toml sets for `cargo test`: the program
                // is run directly here, without Cargo.
                .env("RUST_TEST_THREADS", engine::grade::TEST_THREADS)
                .output()
                .map_err(|e| anyhow!("stress: cannot run {}: {e}", program.display()))?;
            let verdicts = libtest::verdicts(&String::from_utf8_lossy(&out.stdout));
            let mut caught_this_run: BTreeMap<String, bool> = BTreeMap::new();
            for (name, ok) in verdicts {
                if let Some(variant) = fixture_of(&name) {
                    *caught_this_run.entry(variant).or_default() |= !ok;
                }
                let entry = tally.entry(name).or_default();
                entry.1 += 1;
                if ok {
                    entry.0 += 1;
                }
            }
            for (variant, was_caught) in caught_this_run {
                *caught.entry(variant).or_default() += usize::from(was_caught);
            }
        }
        let changed: Vec<_> = tally
            .iter()
            .filter(|(_, (passed, ran))| (*passed != 0 && passed != ran) || *ran != runs)
            .collect();
        if *krate == "fixtures" {
            let regraded: Vec<_> = caught
                .iter()
                .filter(|(_, n)| **n != 0 && **n != runs)
                .collect();
            println!(
                "fixtures: {} fixtures x {runs} runs; fixtures graded differently between runs: {}",
                caught.len(),
                regraded.len()
            );
            for (variant, n) in &regraded {
                println!("  {variant}: caught in {n} of {runs} runs");
            }
            unstable += regraded.len();
            println!(
                "  (checks whose verdict changed inside a fixture graded the same every run: {})",
                changed.len()
            );
            for (name, (passed, ran)) in &changed {
                println!("    {name}: passed {passed} of {ran} runs");
            }
        } else {
            println!(
                "{krate}: {} checks x {runs} runs; verdicts that changed between runs: {}",
                tally.len(),
                changed.len()
            );
            for (name, (passed, ran)) in &changed {
                println!("  {name}: passed {passed} of {ran} runs");
            }
            unstable += changed.len();
        }
    }
    stop.store(true, Ordering::Relaxed);
    for hog in hogs {
        let _ = hog.join();
    }
    println!("stress: {:.0} s", started.elapsed().as_secs_f64());
    if unstable == 0 {
        Ok(())
    } else {
        Err(anyhow!(
            "{unstable} starter or solution check(s), or fixture(s), graded differently between runs"
        ))
    }
}

/// The number of runs (the first argument, when it is a number; 50
/// otherwise) and the exercise ids that follow.
fn parse_args(args: &[String]) -> Result<(usize, Vec<String>)> {
    let mut rest = args;
    let mut runs = 50;
    if let Some(first) = args.first() {
        if first.chars().all(|c| c.is_ascii_digit()) {
            runs = first
                .parse()
                .map_err(|_| anyhow!("stress: `{first}` is not a number of runs"))?;
            rest = &args[1..];
        }
    }
    if runs == 0 {
        return Err(anyhow!(
            "stress: 0 runs would prove nothing; give at least 1"
        ));
    }
    Ok((runs, rest.to_vec()))
}

/// libtest filters that select the checks of `ids` in all three crates
/// (`checks::ID::CHECK`, `reference_solution_not_your_exercise::checks::ID::CHECK`,
/// `checks::ID::VARIANT::CHECK`); none when every exercise is wanted.
fn test_filters(ids: &[String]) -> Vec<String> {
    ids.iter().map(|id| TestPath::filter_for(id)).collect()
}

/// `checks::ID::VARIANT` of a fixture's check `checks::ID::VARIANT::CHECK`.
fn fixture_of(test: &str) -> Option<String> {
    TestPath::parse(test)
        .filter(|path| path.fixture.is_some())
        .map(|path| path.without_check().to_string())
}

/// Builds the three crates' test programs; their paths by crate.
fn build(root: &Path) -> Result<Vec<(&'static str, PathBuf)>> {
    let mut args = vec!["test", "--no-run", "--message-format=json"];
    for krate in CRATES {
        args.extend(["-p", krate]);
    }
    let out = crate::process::capture(root, "cargo", &args)?;
    if !out.status.success() {
        return Err(anyhow!(
            "stress: the test programs do not build:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let built = engine::verdict::test_binaries(&String::from_utf8_lossy(&out.stdout));
    CRATES
        .iter()
        .map(|krate| {
            // `exercises` grades through its test target `workbook`, which
            // builds each exercise on its own (in `target/grade/`).
            let target = if *krate == "exercises" {
                "workbook"
            } else {
                krate
            };
            built
                .get(target)
                .map(|p| (*krate, p.clone()))
                .with_context(|| format!("stress: cargo built no test program for `{krate}`"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{fixture_of, parse_args, test_filters};

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn runs_then_exercise_ids() {
        assert_eq!(parse_args(&[]).unwrap(), (50, vec![]));
        assert_eq!(parse_args(&strings(&["20"])).unwrap(), (20, vec![]));
        assert_eq!(
            parse_args(&strings(&["20", "close_pipeline", "find_sum"])).unwrap(),
            (20, strings(&["close_pipeline", "find_sum"]))
        );
        assert_eq!(
            parse_args(&strings(&["find_sum"])).unwrap(),
            (50, strings(&["find_sum"]))
        );
        assert!(parse_args(&strings(&["0"])).is_err());
    }

    #[test]
    fn a_filter_selects_one_exercise_in_every_crate() {
        let filters = test_filters(&strings(&["leak_pipeline"]));
        let selected = |test: &str| filters.iter().any(|f| test.contains(f.as_str()));
        assert!(selected("checks::leak_pipeline::totals_a_clean_batch"));
        assert!(selected(
            "reference_solution_not_your_exercise::checks::leak_pipeline::totals_a_clean_batch"
        ));
        assert!(selected(
            "checks::leak_pipeline::wrong_x::totals_a_clean_batch"
        ));
        assert!(!selected("checks::close_pipeline::totals_a_clean_batch"));
    }

    #[test]
    fn a_fixtures_check_belongs_to_its_fixture() {
        assert_eq!(
            fixture_of("checks::cancel_fanout::wrong_x::returns_the_first").as_deref(),
            Some("checks::cancel_fanout::wrong_x")
        );
        assert_eq!(fixture_of("checks::cancel_fanout::returns_the_first"), None);
        assert_eq!(
            fixture_of("reference_solution_not_your_exercise::checks::a::b"),
            None
        );
    }
}
