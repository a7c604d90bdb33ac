//! `cargo xtask reset ID`: restore the starter as shipped (even after the
//! learner committed their work), keeping the learner's version in
//! `my-work/backups/`.

use crate::{starters, state};
use std::path::Path;

pub fn run(root: &Path, id: &str) -> Result<(), String> {
    let manifest = crate::load_manifest(root)?;
    let ex = crate::find_exercise(&manifest, id)?;
    let shipped = starters::shipped(root, ex)?;
    let path = root.join(&ex.file);
    let current = std::fs::read(&path).unwrap_or_default();
    if current == shipped {
        println!(
            "{} is already the starter as shipped; nothing to do.",
            ex.file
        );
        return Ok(());
    }
    let backup = state::back_up(root, id, &current)?;
    std::fs::write(&path, &shipped).map_err(|e| format!("cannot write {}: {e}", ex.file))?;
    println!("Restored {} to the starter as shipped.", ex.file);
    println!(
        "Your version is saved in {}.",
        backup.strip_prefix(root).unwrap_or(&backup).display()
    );
    Ok(())
}
