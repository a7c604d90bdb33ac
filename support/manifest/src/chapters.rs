//! The chapters (`[[chapter]]` in `exercises/exercises.toml`): the one list of
//! the book's chapters, and the check that `src/SUMMARY.md` and the chapter
//! folders (`src/`, `go/`, `listings/src/`) say the same.

use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;

/// One chapter of the book, in book order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// Short, lower case: every exercise id of the chapter starts with it and
    /// `_`, so `cargo test -p exercises SLUG` grades the whole chapter.
    pub slug: String,
    /// The chapter's page, relative to `src/`: `FOLDER/index.md`. Its folder
    /// is the chapter's folder in `src/`, `go/` and `listings/src/` too.
    pub page: String,
    /// The chapter's line in `src/SUMMARY.md` (the page's `#` title may say more).
    pub title: String,
}

impl Chapter {
    /// The chapter's folder in `src/`, `go/` and `listings/src/`.
    pub fn folder(&self) -> &str {
        self.page.strip_suffix("/index.md").unwrap_or(&self.page)
    }
}

/// What is wrong with the table itself: a slug twice, a slug that is not
/// lower case, a slug inside another (`cargo test -p exercises SLUG` would
/// grade both chapters), a page that is not `FOLDER/index.md`.
pub fn table_problems(chapters: &[Chapter]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for c in chapters {
        let slug = &c.slug;
        if !seen.insert(slug.as_str()) {
            problems.push(format!("[[chapter]] {slug}: listed twice"));
        }
        if slug.is_empty() || !slug.bytes().all(|b| b.is_ascii_lowercase()) {
            problems.push(format!(
                "[[chapter]] {slug:?}: a slug is lower-case letters only (exercise ids are SLUG_NAME)"
            ));
        }
        for other in chapters.iter().filter(|o| o.slug != *slug) {
            if other.slug.contains(slug.as_str()) {
                problems.push(format!(
                    "[[chapter]] {slug}: `{}` contains it, so `cargo test -p exercises {slug}` would grade both chapters",
                    other.slug
                ));
            }
        }
        let folder = c.folder();
        if folder == c.page || folder.is_empty() || folder.contains('/') {
            problems.push(format!(
                "[[chapter]] {slug}: page = {:?}: a chapter's page is FOLDER/index.md",
                c.page
            ));
        }
    }
    problems
}

/// The numbered chapters of `src/SUMMARY.md`, `- [Title](page)`, in order.
pub fn summary_chapters(summary: &str) -> Vec<(String, String)> {
    summary
        .lines()
        .filter_map(|line| line.strip_prefix("- ["))
        .filter_map(|rest| {
            let (title, rest) = rest.rsplit_once("](")?;
            let page = rest.strip_suffix(')')?;
            Some((title.to_owned(), page.to_owned()))
        })
        .collect()
}

/// Where the book disagrees with the table: `src/SUMMARY.md` (the same
/// chapters, titles and order), the folders of `src/`, `go/` (but `internal`)
/// and `listings/src/` (a module `FOLDER.rs` per chapter), and the programs
/// `listings/examples/SLUG_NAME.rs`.
pub fn book_problems(chapters: &[Chapter], root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let table: Vec<(String, String)> = chapters
        .iter()
        .map(|c| (c.title.clone(), c.page.clone()))
        .collect();
    match std::fs::read_to_string(root.join("src/SUMMARY.md")) {
        Err(e) => problems.push(format!("src/SUMMARY.md: cannot read: {e}")),
        Ok(summary) => {
            let listed = summary_chapters(&summary);
            if listed != table {
                let show = |rows: &[(String, String)]| {
                    rows.iter()
                        .map(|(t, p)| format!("    [{t}]({p})"))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                problems.push(format!(
                    "src/SUMMARY.md and the [[chapter]] table of exercises/exercises.toml list different chapters (titles, pages or order).\n  SUMMARY.md:\n{}\n  [[chapter]]:\n{}",
                    show(&listed),
                    show(&table)
                ));
            }
        }
    }
    let folders: BTreeSet<&str> = chapters.iter().map(Chapter::folder).collect();
    for (dir, not_chapters) in [("src", &[][..]), ("go", &["internal"][..])] {
        let found = subfolders(&root.join(dir));
        for f in found.iter().filter(|f| !not_chapters.contains(&f.as_str())) {
            if !folders.contains(f.as_str()) {
                problems.push(format!(
                    "{dir}/{f}/: no [[chapter]] has page = \"{f}/index.md\""
                ));
            }
        }
        for f in &folders {
            if !found.contains(*f) {
                problems.push(format!("{dir}/{f}/: missing (a [[chapter]]'s folder)"));
            }
        }
    }
    for f in &folders {
        let module = format!("listings/src/{f}.rs");
        if !root.join(&module).is_file() {
            problems.push(format!("{module}: missing (the chapter's Rust listings)"));
        }
    }
    // Programs are named by slug, as exercise ids are: `slice_lost`, in the
    // chapter whose folder is `slices`.
    let examples = std::fs::read_dir(root.join("listings/examples"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned());
    for name in examples {
        let Some(stem) = name.strip_suffix(".rs") else {
            continue;
        };
        let slug = stem.split('_').next().unwrap_or("");
        if !stem.contains('_') || !chapters.iter().any(|c| c.slug == slug) {
            problems.push(format!(
                "listings/examples/{name}: a program is named <chapter slug>_<name>, with a slug of the [[chapter]] table"
            ));
        }
    }
    problems
}

fn subfolders(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chapter(slug: &str, page: &str, title: &str) -> Chapter {
        Chapter {
            slug: slug.into(),
            page: page.into(),
            title: title.into(),
        }
    }

    #[test]
    fn reads_the_numbered_chapters_of_a_summary() {
        let summary = "# Summary\n\n[Preface](preface.md)\n\n---\n\n- [The leak](leak/index.md)\n- [Slices and `Vec`](slices/index.md)\n\n[Appendix](cheatsheet.md)\n";
        assert_eq!(
            summary_chapters(summary),
            [
                ("The leak".into(), "leak/index.md".into()),
                ("Slices and `Vec`".into(), "slices/index.md".into())
            ]
        );
    }

    #[test]
    fn a_table_with_a_slug_twice_or_inside_another_is_refused() {
        let problems = table_problems(&[
            chapter("leak", "leak/index.md", "a"),
            chapter("leak", "leak/index.md", "a"),
            chapter("leakage", "leakage/index.md", "b"),
            chapter("Value", "value.md", "c"),
        ])
        .join("\n");
        for expected in [
            "leak: listed twice",
            "`leakage` contains it",
            "\"Value\": a slug is lower-case",
            "page = \"value.md\"",
        ] {
            assert!(problems.contains(expected), "{expected}: {problems}");
        }
        assert!(table_problems(&[chapter("slice", "slices/index.md", "s")]).is_empty());
    }

    #[test]
    fn a_summary_or_a_folder_that_disagrees_with_the_table_is_named() {
        let root = std::env::temp_dir().join(format!("chapters-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in [
            "src/leak",
            "src/stray",
            "go/leak",
            "go/internal",
            "listings/src",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("listings/src/leak.rs"), "").unwrap();
        std::fs::create_dir_all(root.join("listings/examples")).unwrap();
        std::fs::write(root.join("listings/examples/leak_ok.rs"), "").unwrap();
        std::fs::write(root.join("listings/examples/leaks_odd.rs"), "").unwrap();
        std::fs::write(
            root.join("src/SUMMARY.md"),
            "- [The leak](leak/index.md)\n- [Stray](stray/index.md)\n",
        )
        .unwrap();
        let table = [chapter("leak", "leak/index.md", "The leak")];
        let problems = book_problems(&table, &root).join("\n");
        std::fs::remove_dir_all(&root).unwrap();
        assert!(problems.contains("list different chapters"), "{problems}");
        assert!(problems.contains("[Stray](stray/index.md)"), "{problems}");
        assert!(
            problems.contains("src/stray/: no [[chapter]]"),
            "{problems}"
        );
        assert!(!problems.contains("internal"), "{problems}");
        assert!(!problems.contains("go/leak"), "{problems}");
        assert!(
            problems.contains("listings/examples/leaks_odd.rs"),
            "{problems}"
        );
        assert!(!problems.contains("leak_ok"), "{problems}");
    }
}
