//! Reading libtest's text output (what a test program prints, and what
//! `cargo test` passes through): the one parser behind the grading engine's
//! reports ([`crate::verdict`]), a plain `cargo test` run
//! ([`crate::test_results`]), `verify`, `stress` and `bench-loop`.

use std::collections::BTreeMap;
use std::time::Duration;

/// Each test's verdict, from its `test NAME ... ok` / `... FAILED` line;
/// ignored tests and other lines are left out.
pub fn verdicts(output: &str) -> BTreeMap<String, bool> {
    output
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

/// What each failed test printed: libtest's `---- NAME stdout ----` sections,
/// each ending at the next section, at `failures:` or at `test result:`.
pub fn printed(output: &str) -> BTreeMap<String, String> {
    let mut printed = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in output.lines() {
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

/// The sum of the `finished in 0.12s` of every test program in the output;
/// `None` when no program finished.
pub fn finished_in(output: &str) -> Option<Duration> {
    let times: Vec<f64> = output
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
running 3 tests
test checks::leak_x::a ... ok
test checks::leak_x::b ... FAILED
test checks::leak_x::c ... FAILED
test checks::leak_y::alt_one::a ... ok
test checks::leak_y::d ... ignored

failures:

---- checks::leak_x::b stdout ----
thread '<unnamed>' panicked at exercises/src/leak_x.rs:3: boom

[leak_x] the consumer was still running.
  Stuck? Run `cargo xtask hint leak_x` for a hint.


---- checks::leak_x::c stdout ----
assertion failed: x

failures:
    checks::leak_x::b
    checks::leak_x::c

test result: FAILED. 2 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.02s
";

    #[test]
    fn reads_each_verdict_and_skips_ignored_tests() {
        let v = verdicts(SAMPLE);
        assert_eq!(v.get("checks::leak_x::a"), Some(&true));
        assert_eq!(v.get("checks::leak_x::b"), Some(&false));
        assert_eq!(v.get("checks::leak_y::alt_one::a"), Some(&true));
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn reads_what_each_failed_test_printed_up_to_the_next_section() {
        let p = printed(SAMPLE);
        assert_eq!(p.len(), 2);
        let b = &p["checks::leak_x::b"];
        assert!(
            b.contains("[leak_x] the consumer was still running."),
            "{b}"
        );
        assert!(!b.contains("assertion failed"), "{b}");
        assert_eq!(p["checks::leak_x::c"], "assertion failed: x\n\n");
    }

    #[test]
    fn a_section_cut_short_by_the_end_of_the_output_is_kept() {
        let p = printed("---- checks::a::b stdout ----\nboom\n");
        assert_eq!(p["checks::a::b"], "boom\n");
    }

    #[test]
    fn adds_up_the_time_of_every_test_program() {
        assert_eq!(finished_in(SAMPLE), Some(Duration::from_millis(1020)));
        let two = format!("{SAMPLE}\ntest result: ok. finished in 0.50s\n");
        assert_eq!(finished_in(&two), Some(Duration::from_millis(1520)));
        assert_eq!(finished_in("running 0 tests"), None);
    }
}
