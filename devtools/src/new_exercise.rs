//! `cargo dev new-exercise ID [--title TEXT]` (maintainers): the skeleton
//! of a new exercise in every place CONTRIBUTING.md lists, so that what is
//! left by hand is the exercise's own files: its manifest stanza's words, the
//! starter, the solution, the checks and the fixtures.
//!
//! It writes a starter that fails one check and a solution that passes it,
//! one right and two wrong fixtures, an empty mutants/ID.toml, the stanza in
//! exercises/exercises.toml, regenerates exercises/src/lib.rs and
//! solutions/src/lib.rs from the manifest (`cargo dev codegen`), and
//! blesses the starter.
//! Then `cargo dev mutants ID` and `cargo dev verify` pass as they are;
//! the card goes on the chapter page with `{{#exercise ID}}`.

use anyhow::{Context, Result, anyhow};
use manifest::FixtureKind;
use std::path::Path;

pub fn run(root: &Path, id: &str, title: Option<String>) -> Result<()> {
    let id = id.to_owned();
    let manifest = crate::load_manifest(root)?;
    let slug = id.split_once('_').map_or("", |(s, _)| s);
    let chapter = manifest.chapter(slug).filter(|_| {
        id.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    });
    let Some(chapter) = chapter else {
        return Err(anyhow!(
            "`{id}`: an id is `<chapter slug>_<name>` in lower case, with a slug of the \
             [[chapter]] table of exercises/exercises.toml: {:?}",
            manifest.slugs()
        ));
    };
    let chapter = chapter.page.clone();
    if manifest.get(&id).is_some() {
        return Err(anyhow!("`{id}` exists already"));
    }
    let title = title.unwrap_or_else(|| format!("TODO: the title of {id}"));

    let files = [
        (format!("exercises/src/{id}.rs"), starter(&id)),
        (format!("solutions/src/{id}.rs"), solution(&id)),
        (format!("checks/{id}.rs"), checks(&id)),
        (
            format!("fixtures/{id}/{}written_differently.rs", FixtureKind::Right),
            fixture(
                &id,
                "//! Right: the same answer, reached another way.",
                "40 + 2",
            ),
        ),
        (
            format!("fixtures/{id}/{}off_by_one.rs", FixtureKind::Wrong),
            fixture(
                &id,
                "//! Wrong: one too many.\n//! Verdict says: expected 42",
                "43",
            ),
        ),
        (
            format!("fixtures/{id}/{}negative.rs", FixtureKind::Wrong),
            fixture(
                &id,
                "//! Wrong: the sign is lost.\n//! Verdict says: expected 42",
                "-42",
            ),
        ),
        (
            format!("mutants/{id}.toml"),
            format!(
                "# Mutants of solutions/src/{id}.rs that no check kills, and why that is right.\n"
            ),
        ),
    ];
    for (path, _) in &files {
        if root.join(path).exists() {
            return Err(anyhow!("{path} exists already: nothing written"));
        }
    }
    for (path, text) in &files {
        let path = root.join(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| anyhow!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    }
    append(root, "exercises/exercises.toml", &stanza(&id, &title))?;
    let manifest = crate::load_manifest(root)?;
    manifest::codegen::write(&manifest, root).map_err(anyhow::Error::msg)?;
    xtask::starters::bless(root, &manifest).map_err(anyhow::Error::msg)?;
    println!(
        "new-exercise: {id} written (starter, solution, checks, three fixtures, mutants/{id}.toml, \
         its stanza; module lists regenerated; starter blessed).\n\
         Next: write the real exercise in those files, put {{{{#exercise {id}}}}} on src/{chapter}, \
         then `cargo dev mutants {id}` and `cargo dev verify`."
    );
    Ok(())
}

fn edit(root: &Path, path: &str, f: impl FnOnce(&str) -> Result<String>) -> Result<()> {
    let full = root.join(path);
    let text = std::fs::read_to_string(&full).with_context(|| path.to_owned())?;
    let new = f(&text).with_context(|| path.to_owned())?;
    std::fs::write(&full, new).with_context(|| path.to_owned())
}

fn append(root: &Path, path: &str, text: &str) -> Result<()> {
    edit(root, path, |old| {
        Ok(format!(
            "{}\n{text}",
            old.trim_end_matches('\n').to_owned() + "\n"
        ))
    })
}

fn stanza(id: &str, title: &str) -> String {
    format!(
        r#"[[exercise]]
id = "{id}"
title = "{title}"
task = """
`answer` returns the wrong number. Make it return the answer.
"""
failing_checks = ["returns_the_answer"]
hints = [
    "TODO: a nudge.",
    "TODO: the concept.",
    "TODO: almost the answer.",
]

[[exercise.requirements]]
says = "Make it return the answer"
checks = ["returns_the_answer"]
"#
    )
}

fn starter(id: &str) -> String {
    format!(
        "//! Exercise `{id}`. TODO: what the learner reads first.\n//!\n\
         //! Grade it: `cargo xtask check {id}` (or `cargo test -p exercises {id}`).\n\n\
         /// TODO: the code to fix.\npub fn answer() -> i64 {{\n    41\n}}\n"
    )
}

fn solution(id: &str) -> String {
    format!(
        "//! Reference solution of `{id}`.\n\n/// The answer.\npub fn answer() -> i64 {{\n    42\n}}\n"
    )
}

fn fixture(id: &str, header: &str, body: &str) -> String {
    format!("{header}\n//! (`{id}`.)\n\npub fn answer() -> i64 {{\n    {body}\n}}\n")
}

fn checks(id: &str) -> String {
    format!(
        r#"// Checks for `{id}`, compiled against the starter, the solution and the
// fixtures; `exercise` is the code under test.

const ID: &str = "{id}";

#[test]
fn returns_the_answer() {{
    let got = grader::run(ID, "`answer()`", "It only returns a number: a loop is unlikely.", exercise::answer);
    grader::ensure(got == 42, ID, format!("`answer()` returned {{got}}; expected 42"));
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use manifest::Manifest;

    #[test]
    fn a_stanza_parses_as_the_manifest_reads_it() {
        let table = "[[chapter]]\nslug = \"leak\"\npage = \"leak/index.md\"\ntitle = \"t\"\n\n";
        let m = Manifest::parse(&format!("{table}{}", stanza("leak_demo", "A demo"))).unwrap();
        let ex = m.get("leak_demo").unwrap();
        assert_eq!(ex.chapter, "leak/index.md");
        assert_eq!(ex.failing_checks, ["returns_the_answer"]);
        assert_eq!(ex.hints.len(), 3);
    }
}
