//! `cargo xtask reset ID`: restore a starter from git, keeping a backup.

use crate::process;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

pub fn run(root: &Path, id: &str) -> Result<(), String> {
    let manifest = crate::load_manifest(root)?;
    let ex = crate::find_exercise(&manifest, id)?;
    let out = process::capture(root, "git", &["show", &format!("HEAD:{}", ex.file)])?;
    if !out.status.success() {
        return Err(format!(
            "cannot read the committed starter of {} from git: {}",
            ex.file,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let path = root.join(&ex.file);
    let current = std::fs::read(&path).unwrap_or_default();
    if current == out.stdout {
        println!("{} is already the starter; nothing to do.", ex.file);
        return Ok(());
    }
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let backup = root.join(format!("target/xtask/backups/{id}-{stamp}.rs"));
    std::fs::create_dir_all(backup.parent().expect("backup has a folder"))
        .and_then(|_| std::fs::write(&backup, &current))
        .map_err(|e| format!("cannot back up your file to {}: {e}", backup.display()))?;
    std::fs::write(&path, &out.stdout).map_err(|e| format!("cannot write {}: {e}", ex.file))?;
    println!("Restored {} to the starter.", ex.file);
    println!("Your version is saved in {}.", backup.display());
    Ok(())
}
