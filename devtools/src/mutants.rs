//! `cargo dev mutants [ID]`: mutation testing of the checks.
//!
//! cargo-mutants changes the reference solution (`solutions/src/ID.rs`) one
//! mutation at a time and runs that exercise's checks. A mutant the checks do
//! not notice ("missed") is either a gap in the checks or a change that cannot
//! be wrong; the latter are listed, with a reason, in `mutants/ID.toml`:
//!
//! ```toml
//! [[equivalent]]
//! mutant = "replace sum_job -> u64 with 1"   # cargo-mutants' name without `file:line:col: `
//! why = "…"
//! ```
//!
//! The command writes `mutants/ID.txt`, the committed report. The report
//! starts with a fingerprint of the files it was made from, so `cargo dev
//! verify` can say cheaply when a report is stale (it never runs the mutants:
//! that takes minutes).

use crate::process;
use anyhow::{Result, anyhow};
use manifest::{Exercise, Manifest};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The cargo-mutants release the reports are made with.
pub const CARGO_MUTANTS_VERSION: &str = "27.1.0";

const FINGERPRINT_PREFIX: &str = "# made from: ";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Equivalents {
    #[serde(default)]
    equivalent: Vec<Equivalent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Equivalent {
    mutant: String,
    why: String,
}

pub fn run(root: &Path, id: Option<&str>) -> Result<()> {
    let manifest = crate::load_manifest(root)?;
    let exercises: Vec<&Exercise> = match id {
        Some(id) => vec![crate::find_exercise(&manifest, id)?],
        None => manifest.exercises.iter().collect(),
    };
    ensure_cargo_mutants(root)?;
    let mut unexplained = Vec::new();
    for ex in exercises {
        let report = mutate(root, ex)?;
        print!("{}", report.text);
        std::fs::write(root.join(report_path(&ex.id)), &report.text)
            .map_err(|e| anyhow!("cannot write {}: {e}", report_path(&ex.id).display()))?;
        unexplained.extend(report.problems);
    }
    if unexplained.is_empty() {
        Ok(())
    } else {
        Err(anyhow!(
            "{} problem(s):\n  {}",
            unexplained.len(),
            unexplained.join("\n  ")
        ))
    }
}

fn ensure_cargo_mutants(root: &Path) -> Result<()> {
    // Run as `cargo mutants`: the binary alone expects cargo's subcommand name first.
    let found = process::capture(root, "cargo", &["mutants", "--version"])
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    match found {
        Some(v) if v.ends_with(CARGO_MUTANTS_VERSION) => return Ok(()),
        Some(v) => println!(
            "found `{v}`, but the reports are made with cargo-mutants {CARGO_MUTANTS_VERSION}"
        ),
        None => println!("cargo-mutants is not installed"),
    }
    println!("installing cargo-mutants {CARGO_MUTANTS_VERSION} (a few minutes, once)...");
    process::run(
        root,
        "cargo",
        &[
            "install",
            "cargo-mutants",
            "--locked",
            "--version",
            CARGO_MUTANTS_VERSION,
        ],
    )
}

pub fn report_path(id: &str) -> PathBuf {
    PathBuf::from(format!("mutants/{id}.txt"))
}

fn equivalents_path(id: &str) -> PathBuf {
    PathBuf::from(format!("mutants/{id}.toml"))
}

struct Report {
    text: String,
    problems: Vec<String>,
}

/// Runs cargo-mutants on one solution with its checks and writes up the result.
fn mutate(root: &Path, ex: &Exercise) -> Result<Report> {
    let id = &ex.id;
    let out_dir = root.join("target/mutants").join(id);
    let solution = ex.solution_path().display().to_string();
    println!("mutants: {solution} against checks/{id}.rs ...");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| anyhow!("cannot create {}: {e}", out_dir.display()))?;
    let out_arg = out_dir.display().to_string();
    // `-- ID` is cargo test's name filter: only this exercise's checks run.
    let output = process::capture(
        root,
        "cargo",
        &[
            "mutants",
            "--no-shuffle",
            "-p",
            "solutions",
            "-f",
            &solution,
            "-o",
            &out_arg,
            "--",
            id,
        ],
    )?;
    let results = out_dir.join("mutants.out");
    let read = |kind: &str| -> Vec<String> {
        std::fs::read_to_string(results.join(format!("{kind}.txt")))
            .unwrap_or_default()
            .lines()
            .map(mutant_name)
            .collect()
    };
    let (caught, missed, timeout, unviable) = (
        read("caught"),
        read("missed"),
        read("timeout"),
        read("unviable"),
    );
    if caught.len() + missed.len() + timeout.len() + unviable.len() == 0 {
        return Err(anyhow!(
            "cargo mutants produced no result for {id} ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let equivalents = load_equivalents(root, id)?;
    Ok(write_report(
        id,
        &fingerprint(root, ex),
        &caught,
        &missed,
        &timeout,
        &unviable,
        &equivalents,
    ))
}

fn load_equivalents(root: &Path, id: &str) -> Result<Equivalents> {
    let path = root.join(equivalents_path(id));
    match std::fs::read_to_string(&path) {
        Ok(text) => toml::from_str(&text).map_err(|e| anyhow!("{}: {e}", path.display())),
        Err(_) => Ok(Equivalents::default()),
    }
}

/// `solutions/src/x.rs:14:5: replace f -> u64 with 0` → `replace f -> u64 with 0`.
fn mutant_name(line: &str) -> String {
    let mut parts = line.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(_file), Some(l), Some(c), Some(rest))
            if l.chars().all(|ch| ch.is_ascii_digit())
                && c.chars().all(|ch| ch.is_ascii_digit()) =>
        {
            rest.trim().to_owned()
        }
        _ => line.trim().to_owned(),
    }
}

fn write_report(
    id: &str,
    fingerprint: &str,
    caught: &[String],
    missed: &[String],
    timeout: &[String],
    unviable: &[String],
    equivalents: &Equivalents,
) -> Report {
    let mut problems = Vec::new();
    let why = |m: &str| {
        equivalents
            .equivalent
            .iter()
            .find(|e| e.mutant == m)
            .map(|e| e.why.as_str())
    };
    let explained = missed.iter().filter(|m| why(m).is_some()).count();
    let killed = caught.len() + timeout.len();
    let graded = killed + missed.len() - explained;
    let score = if graded == 0 {
        100.0
    } else {
        100.0 * killed as f64 / graded as f64
    };
    let mut text = format!(
        "# cargo dev mutants {id} (cargo-mutants {CARGO_MUTANTS_VERSION}): mutants of solutions/src/{id}.rs against checks/{id}.rs\n\
         {FINGERPRINT_PREFIX}{fingerprint}\n\
         caught {} (of them {} by the watchdog, as timeouts), missed {} ({} equivalent, {} unexplained), unviable {}\n\
         score {score:.0}% = caught / (caught + unexplained missed)\n",
        killed,
        timeout.len(),
        missed.len(),
        explained,
        missed.len() - explained,
        unviable.len(),
    );
    for m in caught {
        text.push_str(&format!("caught      {m}\n"));
    }
    for m in timeout {
        text.push_str(&format!("timeout     {m}\n"));
    }
    for m in missed {
        match why(m) {
            Some(reason) => text.push_str(&format!("equivalent  {m}  -- {reason}\n")),
            None => {
                text.push_str(&format!("MISSED      {m}\n"));
                problems.push(format!(
                    "{id}: mutant `{m}` survives every check: add a check that kills it, or explain it in mutants/{id}.toml"
                ));
            }
        }
    }
    for m in unviable {
        text.push_str(&format!("unviable    {m}\n"));
    }
    for e in &equivalents.equivalent {
        if !missed.contains(&e.mutant) {
            problems.push(format!(
                "{id}: mutants/{id}.toml explains `{}`, which is not a missed mutant (any more): remove it",
                e.mutant
            ));
        }
    }
    Report { text, problems }
}

/// A hash of everything a report depends on: the solution, its checks, the
/// equivalents file and the tool's version. Not for security: only to notice
/// that a committed report no longer matches the files.
fn fingerprint(root: &Path, ex: &Exercise) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325; // FNV-1a
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(CARGO_MUTANTS_VERSION.as_bytes());
    for path in [
        ex.solution_path(),
        ex.checks_path(),
        equivalents_path(&ex.id),
    ] {
        let text = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        feed(path.to_string_lossy().as_bytes());
        feed(text.replace("\r\n", "\n").as_bytes());
    }
    format!("{hash:016x}")
}

/// Reports that are missing or were made from other files than the current
/// ones: cheap (no mutant is run), so `verify` calls it.
pub fn stale_reports(root: &Path, manifest: &Manifest) -> Vec<String> {
    let mut problems = Vec::new();
    for ex in &manifest.exercises {
        let path = report_path(&ex.id);
        let Ok(text) = std::fs::read_to_string(root.join(&path)) else {
            problems.push(format!(
                "{}: no mutation report {}: run `cargo dev mutants {}` and commit it",
                ex.id,
                path.display(),
                ex.id
            ));
            continue;
        };
        let recorded = text
            .lines()
            .find_map(|l| l.strip_prefix(FINGERPRINT_PREFIX))
            .unwrap_or("");
        if recorded != fingerprint(root, ex) {
            problems.push(format!(
                "{}: {} is stale (the solution, its checks or mutants/{}.toml changed): run `cargo dev mutants {}` and commit it",
                ex.id,
                path.display(),
                ex.id,
                ex.id
            ));
        } else if text.lines().any(|l| l.starts_with("MISSED")) {
            problems.push(format!(
                "{}: {} lists a missed mutant that no check kills and no entry explains",
                ex.id,
                path.display()
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_position() {
        assert_eq!(
            mutant_name("solutions/src/leak_x.rs:14:5: replace sum_job -> u64 with 0"),
            "replace sum_job -> u64 with 0"
        );
        assert_eq!(mutant_name("no position here"), "no position here");
    }

    #[test]
    fn an_unexplained_survivor_and_a_stale_explanation_are_problems() {
        let equivalents: Equivalents = toml::from_str(
            "[[equivalent]]\nmutant = 'replace a with b'\nwhy = 'same result'\n\
             [[equivalent]]\nmutant = 'gone'\nwhy = 'old'\n",
        )
        .unwrap();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let report = write_report(
            "leak_x",
            "0",
            &s(&["replace f with 0"]),
            &s(&["replace a with b", "delete !"]),
            &s(&["replace g with ()"]),
            &[],
            &equivalents,
        );
        assert!(report.text.contains("score 67%"), "{}", report.text);
        assert!(
            report
                .text
                .contains("equivalent  replace a with b  -- same result")
        );
        assert!(report.text.contains("MISSED      delete !"));
        let problems = report.problems.join("\n");
        assert!(
            problems.contains("`delete !` survives every check"),
            "{problems}"
        );
        assert!(problems.contains("explains `gone`"), "{problems}");
    }
}
