//! `cargo xtask hint [ID]`: one more hint each time, remembered per exercise
//! in `my-work/hints.txt`. Without an id: the current exercise.

use crate::{chapter, check, state};
use std::path::Path;

pub fn run(root: &Path, id: Option<&str>) -> Result<(), String> {
    let manifest = crate::load_manifest(root)?;
    let ex = match id {
        Some(id) => crate::find_exercise(&manifest, id)?,
        None => check::current(root, &manifest)
            .ok_or("every exercise is done: name one, e.g. `cargo xtask hint leak_coordinator`")?,
    };
    let id = ex.id.as_str();
    print!("{}", next_hint(root, ex)?);
    println!("Grade: `cargo xtask check {id}` (or `cargo xtask watch {id}`)");
    Ok(())
}

/// The hints seen so far plus the next one, and records that it was shown.
pub fn next_hint(root: &Path, ex: &manifest::Exercise) -> Result<String, String> {
    let id = ex.id.as_str();
    let shown = state::hints_seen(root, id);
    let labels = ["nudge", "concept", "almost the answer"];
    let next = shown.min(ex.hints.len().saturating_sub(1));
    let place = chapter::place(root, ex);
    let mut out = format!(
        "{id}: {}\nIn the book: {}.\n\n",
        ex.title,
        place.section_line()
    );
    for (i, hint) in ex.hints.iter().enumerate().take(next + 1) {
        let fresh = if i == next { "" } else { " (seen)" };
        out.push_str(&format!(
            "Hint {} of {} ({}){fresh}:\n  {}\n\n",
            i + 1,
            ex.hints.len(),
            labels.get(i).unwrap_or(&""),
            hint.trim().replace('\n', "\n  ")
        ));
    }
    if next + 1 >= ex.hints.len() {
        out.push_str(&format!(
            "That was the last hint. The reference solution is in {} (and behind a spoiler on the \
             exercise's card: {}).\n",
            ex.solution_path().display(),
            place.section_url
        ));
    } else {
        out.push_str(&format!(
            "Run `cargo xtask hint {id}` again for the next hint.\n"
        ));
    }
    state::set_hints_seen(root, id, next + 1)?;
    Ok(out)
}
