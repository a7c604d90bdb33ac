//! The starters as shipped. `exercises/starters.txt` records, per exercise,
//! the git blob id of its starter as the maintainers committed it; git keeps
//! that blob in the history whatever the learner commits later, so `reset`
//! restores the shipped starter, not the learner's last commit. Maintainers
//! refresh the list with `cargo dev bless-starters`; `verify` checks it.

use crate::process;
use manifest::{Exercise, Manifest};
use std::collections::BTreeMap;
use std::path::Path;

pub const LIST: &str = "exercises/starters.txt";

fn records(root: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(root.join(LIST))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (blob, id) = l.trim().split_once(' ')?;
            Some((id.trim().to_owned(), blob.to_owned()))
        })
        .collect()
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = process::capture(root, "git", args)?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "`git {}`: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// The git blob id of a file's current content.
fn blob_of(root: &Path, file: &str, write: bool) -> Result<String, String> {
    let mut args = vec!["hash-object"];
    if write {
        args.push("-w");
    }
    args.extend(["--", file]);
    Ok(String::from_utf8_lossy(&git(root, &args)?)
        .trim()
        .to_owned())
}

/// The starter of `ex` as shipped.
pub fn shipped(root: &Path, ex: &Exercise) -> Result<Vec<u8>, String> {
    let blob = records(root).get(&ex.id).cloned().ok_or_else(|| {
        format!(
            "{LIST} has no entry for {} (maintainers: `cargo dev bless-starters`)",
            ex.id
        )
    })?;
    git(root, &["cat-file", "blob", &blob]).map_err(|e| {
        format!(
            "cannot read the shipped starter of {} from git ({e}). Without git, take it from the workbook's repository.",
            ex.file
        )
    })
}

/// Whether the learner's file is still the starter as shipped.
pub fn is_untouched(root: &Path, ex: &Exercise) -> bool {
    let recorded = records(root).get(&ex.id).cloned();
    recorded.is_some() && blob_of(root, &ex.file, false).ok() == recorded
}

/// Records every current starter as the shipped one.
pub fn bless(root: &Path, manifest: &Manifest) -> Result<(), String> {
    let mut text = String::from(
        "# The starters as shipped: git blob id and exercise id. `cargo xtask reset`\n\
         # restores these; `cargo dev bless-starters` rewrites this file.\n",
    );
    for ex in &manifest.exercises {
        text.push_str(&format!("{} {}\n", blob_of(root, &ex.file, true)?, ex.id));
    }
    std::fs::write(root.join(LIST), text).map_err(|e| format!("cannot write {LIST}: {e}"))?;
    println!(
        "{LIST}: {} starters recorded; commit it with the starters.",
        manifest.exercises.len()
    );
    Ok(())
}

/// For `verify`: every starter is recorded as it is now, and its blob is in git.
pub fn problems(root: &Path, manifest: &Manifest) -> Vec<String> {
    let recorded = records(root);
    let mut problems = Vec::new();
    for ex in &manifest.exercises {
        let now = blob_of(root, &ex.file, false);
        match (recorded.get(&ex.id), now) {
            (Some(blob), Ok(now)) if *blob == now => {}
            (_, Err(e)) => problems.push(format!("{}: {e}", ex.id)),
            _ => problems.push(format!(
                "{}: {LIST} does not record the current {}: run `cargo dev bless-starters` and commit it",
                ex.id, ex.file
            )),
        }
    }
    problems
}
