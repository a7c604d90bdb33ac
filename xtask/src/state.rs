//! The learner's own folder, `my-work/` at the workspace root: visible,
//! ignored by git, and outside `target/` so that `cargo clean` never deletes
//! it. It holds the backups `reset` makes, the hints already shown and the
//! last verdict of every exercise (from which the current exercise follows).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The folder's name, relative to the workspace root.
pub const DIR: &str = "my-work";

pub fn dir(root: &Path) -> PathBuf {
    root.join(DIR)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::create_dir_all(path.parent().expect("a file in my-work/ has a folder"))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// How many hints of `id` the learner has seen.
pub fn hints_seen(root: &Path, id: &str) -> usize {
    read_table(&dir(root).join("hints.txt"))
        .get(id)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

pub fn set_hints_seen(root: &Path, id: &str, seen: usize) -> Result<(), String> {
    let path = dir(root).join("hints.txt");
    let mut table = read_table(&path);
    table.insert(id.to_owned(), seen.to_string());
    write_table(
        &path,
        "hints seen per exercise (`cargo xtask hint`)",
        &table,
    )
}

/// The last verdict of an exercise, as `check`, `watch` and `progress` saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastVerdict {
    pub passed: usize,
    pub total: usize,
}

impl LastVerdict {
    pub fn done(&self) -> bool {
        self.total > 0 && self.passed == self.total
    }
}

pub fn last_verdicts(root: &Path) -> BTreeMap<String, LastVerdict> {
    read_table(&dir(root).join("progress.txt"))
        .into_iter()
        .filter_map(|(id, v)| {
            let (passed, total) = v.split_once('/')?;
            Some((
                id,
                LastVerdict {
                    passed: passed.trim().parse().ok()?,
                    total: total.trim().parse().ok()?,
                },
            ))
        })
        .collect()
}

pub fn record_verdict(root: &Path, id: &str, verdict: &LastVerdict) -> Result<(), String> {
    let path = dir(root).join("progress.txt");
    let mut table = read_table(&path);
    table.insert(
        id.to_owned(),
        format!("{}/{}", verdict.passed, verdict.total),
    );
    write_table(
        &path,
        "checks passed / checks, per exercise, at its last grading",
        &table,
    )
}

/// Saves `content` (the learner's version of `id`) as
/// `my-work/backups/<id>-<UTC date and time>.rs` and returns the path.
pub fn back_up(root: &Path, id: &str, content: &[u8]) -> Result<PathBuf, String> {
    let stamp = utc_stamp(SystemTime::now());
    let folder = dir(root).join("backups");
    let mut path = folder.join(format!("{id}-{stamp}.rs"));
    let mut n = 2;
    while path.exists() {
        path = folder.join(format!("{id}-{stamp}-{n}.rs"));
        n += 1;
    }
    std::fs::create_dir_all(&folder)
        .and_then(|()| std::fs::write(&path, content))
        .map_err(|e| format!("cannot back up your file to {}: {e}", path.display()))?;
    Ok(path)
}

/// `2026-12-02T03-04-05Z`: sorts by time, and is a valid file name everywhere.
pub fn utc_stamp(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}-{:02}-{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `key value` lines; `#` starts a comment.
fn read_table(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            let (k, v) = l.trim().split_once(' ')?;
            Some((k.to_owned(), v.trim().to_owned()))
        })
        .collect()
}

fn write_table(path: &Path, what: &str, table: &BTreeMap<String, String>) -> Result<(), String> {
    let mut text = format!("# {what}; written by `cargo xtask`\n");
    for (k, v) in table {
        text.push_str(&format!("{k} {v}\n"));
    }
    write(path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamps_are_readable_utc_times() {
        let t = UNIX_EPOCH + Duration::from_secs(1_764_644_645); // 2025-12-02 03:04:05 UTC
        assert_eq!(utc_stamp(t), "2025-12-02T03-04-05Z");
        assert_eq!(utc_stamp(UNIX_EPOCH), "1970-01-01T00-00-00Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(utc_stamp(leap), "2000-02-29T00-00-00Z");
    }

    #[test]
    fn remembers_hints_and_verdicts() {
        let root = std::env::temp_dir().join(format!("xtask-state-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert_eq!(hints_seen(&root, "leak_x"), 0);
        set_hints_seen(&root, "leak_x", 2).unwrap();
        assert_eq!(hints_seen(&root, "leak_x"), 2);
        let v = LastVerdict {
            passed: 3,
            total: 3,
        };
        record_verdict(&root, "leak_x", &v).unwrap();
        assert_eq!(last_verdicts(&root).get("leak_x"), Some(&v));
        assert!(v.done());
        let a = back_up(&root, "leak_x", b"one").unwrap();
        let b = back_up(&root, "leak_x", b"two").unwrap();
        assert_ne!(a, b, "two backups in the same second keep both");
        assert_eq!(std::fs::read(&b).unwrap(), b"two");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
