//! The learner's table: each exercise done or not yet, with the chapter to read.

use crate::test_results;
use std::path::Path;

pub fn run(root: &Path) -> Result<(), String> {
    let manifest = crate::load_manifest(root)?;
    println!("Grading your exercises (`cargo test -p exercises`)...\n");
    let results = test_results::run(root, "exercises", None)?;

    println!("{:<6} {:<28} {:<42} read", "checks", "exercise", "title");
    let mut done = 0;
    for ex in &manifest.exercises {
        let checks = results.of_exercise(&ex.id);
        let passed = checks.values().filter(|ok| **ok).count();
        let status = if !checks.is_empty() && passed == checks.len() {
            done += 1;
            "done".to_owned()
        } else {
            format!("{passed}/{}", checks.len()) // checks passed so far
        };
        println!(
            "{:<6} {:<28} {:<42} src/{}",
            status, ex.id, ex.title, ex.chapter
        );
    }
    let total = manifest.exercises.len();
    println!("\n{done} of {total} exercises done.");
    if let Some(next) = manifest.exercises.iter().find(|ex| {
        let checks = results.of_exercise(&ex.id);
        checks.is_empty() || checks.values().any(|ok| !ok)
    }) {
        println!(
            "Next: {} ({}), then `{}`. Stuck? `cargo xtask hint {}`",
            next.id,
            next.file,
            next.grade_command(),
            next.id
        );
    }
    Ok(())
}
