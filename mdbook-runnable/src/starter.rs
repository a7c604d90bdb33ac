//! The starter an exercise card shows: the one shipped, never the learner's
//! current file (which the book would otherwise freeze at build time, fix
//! included, even after `cargo xtask reset`).
//!
//! Where it comes from, in order (this crate's README.md, `{{#exercise ID}}`):
//! 1. the git blob recorded for the exercise in `exercises/starters.txt`
//!    (what `cargo xtask reset` restores);
//! 2. the committed file, `git show HEAD:exercises/src/ID.rs`;
//! 3. outside git, the file on disk, with a build warning saying so.

use std::path::Path;
use std::process::Command;

pub const LIST: &str = "exercises/starters.txt";

/// The shipped text of `file` (a path below `root`) for exercise `id`, and a
/// warning when only the file on disk was there to read.
pub struct Shipped {
    pub text: String,
    pub warning: Option<String>,
}

pub fn shipped(root: &Path, id: &str, file: &str) -> Result<Shipped, String> {
    let recorded = recorded_blob(root, id);
    if let Some(blob) = &recorded {
        if let Some(text) = git_text(root, &["cat-file", "blob", blob]) {
            return Ok(Shipped {
                text,
                warning: None,
            });
        }
    }
    if let Some(text) = git_text(root, &["show", &format!("HEAD:./{file}")]) {
        let warning = match recorded {
            Some(blob) => Some(format!(
                "the starter of `{id}` recorded in {LIST} (blob {blob}) is not in git: \
                 the card shows {file} as committed at HEAD"
            )),
            None => Some(format!(
                "{LIST} has no line for `{id}`: the card shows {file} as committed at HEAD \
                 (maintainers: `cargo dev bless-starters`)"
            )),
        };
        return Ok(Shipped { text, warning });
    }
    let text = std::fs::read_to_string(root.join(file))
        .map_err(|e| format!("cannot read the starter {file}: {e}"))?;
    Ok(Shipped {
        text,
        warning: Some(format!(
            "no git history here: the card of `{id}` shows {file} as it is on disk, \
             which is the starter only if nobody has edited it"
        )),
    })
}

/// The blob id `starters.txt` records for `id` (lines `BLOB ID`, `#` comments).
fn recorded_blob(root: &Path, id: &str) -> Option<String> {
    let list = std::fs::read_to_string(root.join(LIST)).ok()?;
    parse_list(&list, id)
}

fn parse_list(list: &str, id: &str) -> Option<String> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .find(|(_, name)| name.trim() == id)
        .map(|(blob, _)| blob.to_owned())
        .filter(|blob| blob.len() >= 7 && blob.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn git_text(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_recorded_blob_of_an_exercise() {
        let list = "# comment\nabc1234 leak_a\n0123456789abcdef leak_b\n";
        assert_eq!(
            parse_list(list, "leak_b").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(parse_list(list, "leak_c"), None);
    }

    #[test]
    fn refuses_a_blob_that_is_not_an_object_id() {
        // Never hands git something that could read as an option or a range.
        assert_eq!(parse_list("--output=x leak_a\n", "leak_a"), None);
        assert_eq!(parse_list("HEAD~1 leak_a\n", "leak_a"), None);
    }

    #[test]
    fn reads_the_shipped_starter_not_the_file_on_disk() {
        let dir = std::env::temp_dir().join(format!("runnable-starter-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("exercises/src")).unwrap();
        let git = |args: &[&str]| {
            let ok = Command::new("git")
                .args([
                    "-c",
                    "user.name=t",
                    "-c",
                    "user.email=t@t",
                    "-c",
                    "commit.gpgsign=false",
                ])
                .args(args)
                .current_dir(&dir)
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            assert!(ok, "git {args:?}");
        };
        if Command::new("git").arg("--version").output().is_err() {
            eprintln!("skipped: git not found");
            return;
        }
        let file = "exercises/src/demo.rs";
        std::fs::write(dir.join(file), "// the starter\n").unwrap();
        git(&["init", "-q"]);
        let blob = String::from_utf8(
            Command::new("git")
                .args(["hash-object", "-w", file])
                .current_dir(&dir)
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        std::fs::write(dir.join(LIST), format!("{} demo\n", blob.trim())).unwrap();
        // The learner fixes the exercise and commits the fix.
        std::fs::write(dir.join(file), "// the fix\n").unwrap();
        git(&["add", "."]);
        git(&["commit", "-q", "-m", "fix"]);
        let shown = shipped(&dir, "demo", file).unwrap();
        assert_eq!(shown.text, "// the starter\n");
        assert!(shown.warning.is_none());
        // Without a line in the list: the committed file, with a warning.
        std::fs::write(dir.join(LIST), "").unwrap();
        std::fs::write(dir.join(file), "// uncommitted edit\n").unwrap();
        let shown = shipped(&dir, "demo", file).unwrap();
        assert_eq!(shown.text, "// the fix\n");
        assert!(shown.warning.unwrap().contains("no line for `demo`"));
        // Outside git: the file on disk, with a warning.
        std::fs::remove_dir_all(dir.join(".git")).unwrap();
        let shown = shipped(&dir, "demo", file).unwrap();
        assert_eq!(shown.text, "// uncommitted edit\n");
        assert!(shown.warning.unwrap().contains("no git history"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
