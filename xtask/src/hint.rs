//! `cargo xtask hint ID`: one more hint each time, remembered per exercise.

use std::path::{Path, PathBuf};

pub fn run(root: &Path, id: &str) -> Result<(), String> {
    let manifest = crate::load_manifest(root)?;
    let ex = crate::find_exercise(&manifest, id)?;
    let state = state_file(root, id);
    let shown: usize = std::fs::read_to_string(&state)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0);

    let labels = ["nudge", "concept", "almost the answer"];
    let next = shown.min(ex.hints.len().saturating_sub(1));
    for (i, hint) in ex.hints.iter().enumerate().take(next + 1) {
        let fresh = if i == next { "" } else { " (seen)" };
        println!(
            "Hint {} of {} ({}){fresh}:",
            i + 1,
            ex.hints.len(),
            labels.get(i).unwrap_or(&"")
        );
        println!("  {}\n", hint.trim().replace('\n', "\n  "));
    }
    if next + 1 >= ex.hints.len() {
        println!(
            "That was the last hint. The reference solution is in {} (the book has it behind a spoiler on src/{}).",
            ex.solution_path().display(),
            ex.chapter
        );
    } else {
        println!("Run `cargo xtask hint {id}` again for the next hint.");
    }
    println!("Grade: `{}`", ex.grade_command());

    std::fs::create_dir_all(state.parent().expect("state file has a folder"))
        .map_err(|e| format!("cannot remember hints in {}: {e}", state.display()))?;
    std::fs::write(&state, (next + 1).to_string())
        .map_err(|e| format!("cannot remember hints in {}: {e}", state.display()))?;
    Ok(())
}

fn state_file(root: &Path, id: &str) -> PathBuf {
    root.join("target/xtask/hints").join(id)
}
