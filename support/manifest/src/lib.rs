//! The exercise manifest (`exercises/exercises.toml`): the single source that the
//! book's preprocessor, the `cargo xtask` commands and CI read.
//!
//! Every exercise `ID` lives in four places that this crate keeps in step:
//! `exercises/src/ID.rs` (the starter), `solutions/src/ID.rs` (the reference fix),
//! `checks/ID.rs` (the tests, compiled into both crates) and `fixtures/ID/*.rs`
//! (alternative right and wrong fixes graded by CI).

mod chapters;
pub mod codegen;

pub use chapters::{Chapter, summary_chapters};
pub use naming::{FixtureKind, NamingError, TestPath};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where the manifest lives, relative to the workspace root.
pub const MANIFEST_PATH: &str = "exercises/exercises.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The book's chapters in order (`[[chapter]]`), with or without exercises.
    #[serde(rename = "chapter", default)]
    pub chapters: Vec<Chapter>,
    #[serde(rename = "exercise", default)]
    pub exercises: Vec<Exercise>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// `<chapter slug>_<name>`, also the module name in both crates.
    pub id: String,
    pub title: String,
    /// The book page that teaches it, relative to the book's `src/`: its
    /// chapter's `page` in the `[[chapter]]` table, derived from the id's slug
    /// when the stanza leaves it out (it may say it, but only that).
    #[serde(default)]
    pub chapter: String,
    /// The file the learner edits, relative to the workspace root: always
    /// `exercises/src/<id>.rs`, derived when the manifest leaves it out (it
    /// may say it, but only that).
    #[serde(default)]
    pub file: String,
    /// What to do, in Markdown (shown on the exercise card).
    pub task: String,
    /// Test names in `checks/<id>.rs` that must fail on the starter.
    pub failing_checks: Vec<String>,
    /// Exactly three: a nudge, the concept, almost the answer.
    pub hints: Vec<String>,
    /// `fix` (the default): the learner fixes code. `test` (chapter 7): the
    /// learner writes a test, and the checks run it against correct
    /// implementations (`passes_*`, it must pass) and mutants (`catches_*`, it
    /// must fail on each).
    #[serde(default)]
    pub kind: Kind,
    /// Every requirement the task text states, with the checks that enforce it.
    /// `cargo dev verify` fails on a requirement with no check and on a check
    /// that enforces no stated requirement.
    #[serde(default)]
    pub requirements: Vec<Requirement>,
}

/// What the learner writes: a fix, or a test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Fix,
    Test,
}

/// One requirement of a task: `says` quotes the task text (whitespace, case and
/// Markdown marks aside), `checks` names the `#[test]`s in `checks/<id>.rs`
/// that fail when the requirement is broken.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub says: String,
    pub checks: Vec<String>,
}

impl Exercise {
    pub fn starter_path(&self) -> PathBuf {
        PathBuf::from(format!("exercises/src/{}.rs", self.id))
    }
    pub fn solution_path(&self) -> PathBuf {
        PathBuf::from(format!("solutions/src/{}.rs", self.id))
    }
    pub fn checks_path(&self) -> PathBuf {
        PathBuf::from(format!("checks/{}.rs", self.id))
    }
    pub fn fixtures_dir(&self) -> PathBuf {
        PathBuf::from(format!("fixtures/{}", self.id))
    }
    /// The command that grades this exercise alone.
    pub fn grade_command(&self) -> String {
        format!("cargo test -p exercises {}", self.id)
    }
    /// The chapter slug this exercise belongs to.
    pub fn slug(&self) -> &str {
        self.id.split('_').next().unwrap_or("")
    }
}

#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl Manifest {
    /// Reads `exercises/exercises.toml` below `root` (the workspace root).
    pub fn load(root: &Path) -> Result<Manifest, Error> {
        let path = root.join(MANIFEST_PATH);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Error(format!("{}: cannot read: {e}", path.display())))?;
        Manifest::parse(&text).map_err(|e| Error(format!("{}: {}", path.display(), e.0)))
    }

    pub fn parse(text: &str) -> Result<Manifest, Error> {
        let mut manifest: Manifest = toml::from_str(text).map_err(|e| Error(e.to_string()))?;
        let pages: Vec<(String, String)> = manifest
            .chapters
            .iter()
            .map(|c| (c.slug.clone(), c.page.clone()))
            .collect();
        for ex in &mut manifest.exercises {
            let slug = ex.slug().to_owned();
            if let Some((_, page)) = pages.iter().find(|(s, _)| *s == slug) {
                if ex.chapter.is_empty() {
                    ex.chapter = page.clone();
                } else if ex.chapter != *page {
                    return Err(Error(format!(
                        "{}: chapter = \"{}\": the page of chapter `{slug}` is {page} (leave `chapter` out)",
                        ex.id, ex.chapter
                    )));
                }
            }
            let derived = ex.starter_path().to_string_lossy().replace('\\', "/");
            if ex.file.is_empty() {
                ex.file = derived;
            } else if ex.file != derived {
                return Err(Error(format!(
                    "{}: file = \"{}\": the learner's file is always {derived} (leave `file` out)",
                    ex.id, ex.file
                )));
            }
        }
        Ok(manifest)
    }

    pub fn get(&self, id: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.exercises.iter().map(|e| e.id.as_str())
    }

    /// The chapter of slug `slug`.
    pub fn chapter(&self, slug: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.slug == slug)
    }

    /// Every chapter's slug, in book order.
    pub fn slugs(&self) -> Vec<&str> {
        self.chapters.iter().map(|c| c.slug.as_str()).collect()
    }

    /// Everything that makes the manifest and the crates disagree, one line each.
    /// Empty means consistent.
    pub fn problems(&self, root: &Path) -> Vec<String> {
        let mut problems = chapters::table_problems(&self.chapters);
        problems.extend(chapters::book_problems(&self.chapters, root));
        let slugs = self.slugs();
        let mut seen = BTreeSet::new();
        for ex in &self.exercises {
            let id = &ex.id;
            if !seen.insert(id.as_str()) {
                problems.push(format!("{id}: listed twice"));
            }
            if !slugs.contains(&ex.slug()) || !id.contains('_') {
                problems.push(format!(
                    "{id}: id must start with a chapter slug of the [[chapter]] table and `_` (one of {slugs:?})"
                ));
            }
            if ex.hints.len() != 3 || ex.hints.iter().any(|h| h.trim().is_empty()) {
                problems.push(format!(
                    "{id}: needs exactly three non-empty hints (nudge, concept, almost the answer)"
                ));
            }
            if ex.failing_checks.is_empty() {
                problems.push(format!(
                    "{id}: failing_checks is empty: a starter that passes every check teaches nothing"
                ));
            }
            if Path::new(&ex.file) != ex.starter_path() {
                problems.push(format!(
                    "{id}: file is `{}`, expected `{}`",
                    ex.file,
                    ex.starter_path().display()
                ));
            }
            if !root.join("src").join(&ex.chapter).is_file() {
                problems.push(format!(
                    "{id}: chapter page src/{} does not exist",
                    ex.chapter
                ));
            }
            for path in [ex.starter_path(), ex.solution_path(), ex.checks_path()] {
                if !root.join(&path).is_file() {
                    problems.push(format!("{id}: {} does not exist", path.display()));
                }
            }
            for other in slugs.iter().filter(|s| **s != ex.slug()) {
                if id.contains(other) {
                    problems.push(format!(
                        "{id}: the id contains `{other}`, so `cargo test -p exercises {other}` would grade it with that chapter"
                    ));
                }
            }
            if let Ok(checks) = std::fs::read_to_string(root.join(ex.checks_path())) {
                let tests = test_names(&checks);
                // The chapter filter is a substring match on the whole test path.
                for name in &tests {
                    for other in slugs.iter().filter(|s| **s != ex.slug()) {
                        if name.contains(other) {
                            problems.push(format!(
                                "{id}: check `{name}` contains `{other}`, so `cargo test -p exercises {other}` would run it with that chapter: rename it"
                            ));
                        }
                    }
                }
                problems.extend(requirement_problems(ex, &tests));
                if ex.kind == Kind::Test {
                    problems.extend(test_kind_problems(ex, &tests));
                }
                for name in &ex.failing_checks {
                    if !tests.contains(name) {
                        problems.push(format!(
                            "{id}: declared failing check `{name}` is not a #[test] in {}",
                            ex.checks_path().display()
                        ));
                    }
                }
            }
        }
        problems.extend(codegen::stale(self, root));
        if let Ok(dir) = std::fs::read_dir(root.join("checks")) {
            for entry in dir.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(id) = name.strip_suffix(".rs") {
                    if self.get(id).is_none() {
                        problems.push(format!("checks/{name}: no manifest entry `{id}`"));
                    }
                }
            }
        }
        problems
    }
}

/// What is wrong with an exercise's requirements table, given the names of the
/// `#[test]`s in its checks file: a quote that is not in the task, a requirement
/// without a check, a check that is not a test, a test that enforces nothing.
pub fn requirement_problems(ex: &Exercise, tests: &BTreeSet<String>) -> Vec<String> {
    let id = &ex.id;
    let mut problems = Vec::new();
    if ex.requirements.is_empty() {
        problems.push(format!(
            "{id}: no `requirements`: list each requirement the task states and the checks that enforce it"
        ));
        return problems;
    }
    let task = normalise(&ex.task);
    let mut covered = BTreeSet::new();
    for req in &ex.requirements {
        let says = normalise(&req.says);
        if says.is_empty() || !task.contains(&says) {
            problems.push(format!(
                "{id}: requirement \"{}\" is not a quote of the task text",
                req.says
            ));
        }
        if req.checks.is_empty() {
            problems.push(format!(
                "{id}: requirement \"{}\" has no check: add one, or take the sentence out of the task",
                req.says
            ));
        }
        for check in &req.checks {
            if tests.contains(check) {
                covered.insert(check.as_str());
            } else {
                problems.push(format!(
                    "{id}: requirement \"{}\" names `{check}`, which is not a #[test] in {}",
                    req.says,
                    ex.checks_path().display()
                ));
            }
        }
    }
    for test in tests {
        if !covered.contains(test.as_str()) {
            problems.push(format!(
                "{id}: check `{test}` enforces no listed requirement: name it in `requirements`"
            ));
        }
    }
    problems
}

/// A write-the-test exercise grades the learner's test against correct
/// implementations (`passes_*` checks) and mutants (`catches_*`): it needs both,
/// and its starter must miss at least one mutant while passing every correct
/// implementation, so only `catches_*` checks may be declared failing.
pub fn test_kind_problems(ex: &Exercise, tests: &BTreeSet<String>) -> Vec<String> {
    let id = &ex.id;
    let mut problems = Vec::new();
    for test in tests {
        if !test.starts_with("passes_") && !test.starts_with("catches_") {
            problems.push(format!(
                "{id}: check `{test}` of a write-the-test exercise must be named passes_* (a correct implementation) or catches_* (a mutant)"
            ));
        }
    }
    for prefix in ["passes_", "catches_"] {
        if !tests.iter().any(|t| t.starts_with(prefix)) {
            problems.push(format!(
                "{id}: a write-the-test exercise needs at least one {prefix}* check"
            ));
        }
    }
    for name in &ex.failing_checks {
        if !name.starts_with("catches_") {
            problems.push(format!(
                "{id}: declared failing check `{name}`: a starter test must pass every correct implementation, so only catches_* checks may fail on it"
            ));
        }
    }
    problems
}

/// Lower case, Markdown emphasis and code marks removed, whitespace collapsed:
/// a requirement quotes the task's words, not its line breaks.
fn normalise(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Names of the `#[test]` functions in a checks file.
pub fn test_names(source: &str) -> BTreeSet<String> {
    test_names_in_order(source).into_iter().collect()
}

/// Names of the `#[test]` functions in a checks file, in the file's order.
pub fn test_names_in_order(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut after_test_attr = false;
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[test]") {
            after_test_attr = true;
            continue;
        }
        if after_test_attr {
            if line.starts_with("#[") || line.starts_with("//") {
                continue;
            }
            if let Some(rest) = line.strip_prefix("fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            after_test_attr = false;
        }
    }
    names
}

/// The workspace root, found from the current directory upwards (the folder
/// holding `exercises/exercises.toml`).
pub fn find_root() -> Result<PathBuf, Error> {
    let start = std::env::current_dir().map_err(|e| Error(e.to_string()))?;
    start
        .ancestors()
        .find(|dir| dir.join(MANIFEST_PATH).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            Error(format!(
                "no {MANIFEST_PATH} in {} or above: run this inside the workbook",
                start.display()
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_learners_file_is_derived_and_may_only_be_stated_as_derived() {
        let stanza = |file: &str| {
            format!(
                "[[exercise]]\nid='leak_x'\ntitle='t'\nchapter='c'\n{file}task='x'\nfailing_checks=[]\nhints=['1','2','3']\n"
            )
        };
        let derived = Manifest::parse(&stanza("")).unwrap();
        assert_eq!(derived.exercises[0].file, "exercises/src/leak_x.rs");
        assert!(Manifest::parse(&stanza("file='exercises/src/leak_x.rs'\n")).is_ok());
        let e = Manifest::parse(&stanza("file='elsewhere.rs'\n")).unwrap_err();
        assert!(e.0.contains("leave `file` out"), "{e}");
    }

    #[test]
    fn the_chapter_page_is_derived_from_the_slug_and_may_only_be_stated_as_derived() {
        let text = |chapter: &str| {
            format!(
                "[[chapter]]\nslug='slice'\npage='slices/index.md'\ntitle='Slices'\n\n\
                 [[exercise]]\nid='slice_x'\ntitle='t'\n{chapter}task='x'\nfailing_checks=[]\nhints=['1','2','3']\n"
            )
        };
        let derived = Manifest::parse(&text("")).unwrap();
        assert_eq!(derived.exercises[0].chapter, "slices/index.md");
        assert_eq!(derived.slugs(), ["slice"]);
        assert_eq!(derived.chapter("slice").unwrap().folder(), "slices");
        assert!(Manifest::parse(&text("chapter='slices/index.md'\n")).is_ok());
        let e = Manifest::parse(&text("chapter='leak/index.md'\n")).unwrap_err();
        assert!(e.0.contains("leave `chapter` out"), "{e}");
    }

    #[test]
    fn finds_test_names_after_attributes() {
        let src =
            "#[test]\nfn alpha() {}\n#[test]\n#[should_panic]\nfn beta() {}\nfn helper() {}\n";
        let names = test_names(src);
        assert_eq!(names.into_iter().collect::<Vec<_>>(), ["alpha", "beta"]);
    }

    fn exercise_with(task: &str, requirements: &str) -> Exercise {
        let text = format!(
            "[[exercise]]\nid='leak_x'\ntitle='t'\nchapter='c'\ntask=\"\"\"{task}\"\"\"\nfailing_checks=['a']\nhints=['1','2','3']\n{requirements}"
        );
        Manifest::parse(&text).unwrap().exercises.remove(0)
    }

    #[test]
    fn requirements_must_quote_the_task_and_cover_every_check() {
        let tests: BTreeSet<String> = ["a", "b", "c"].map(String::from).into();
        let ex = exercise_with(
            "Return the *first*\nerror. Keep `failures()`.",
            "[[exercise.requirements]]\nsays='return the first error'\nchecks=['a']\n\
             [[exercise.requirements]]\nsays='keep the lights on'\nchecks=['b', 'zz']\n\
             [[exercise.requirements]]\nsays='Keep failures()'\nchecks=[]\n",
        );
        let problems = requirement_problems(&ex, &tests).join("\n");
        assert!(
            problems.contains("\"keep the lights on\" is not a quote"),
            "{problems}"
        );
        assert!(
            problems.contains("names `zz`, which is not a #[test]"),
            "{problems}"
        );
        assert!(
            problems.contains("\"Keep failures()\" has no check"),
            "{problems}"
        );
        assert!(
            problems.contains("check `c` enforces no listed requirement"),
            "{problems}"
        );
        assert!(!problems.contains("return the first error"), "{problems}");
        let none = exercise_with("Do it.", "");
        assert!(requirement_problems(&none, &tests)[0].contains("no `requirements`"));
    }

    #[test]
    fn a_test_exercise_needs_both_kinds_of_check_and_may_only_miss_mutants() {
        let mut ex = exercise_with("t", "kind = 'test'\n");
        assert_eq!(ex.kind, Kind::Test);
        ex.failing_checks = vec!["passes_on_fixed".into()];
        let tests: BTreeSet<String> = ["passes_on_fixed", "other"].map(String::from).into();
        let problems = test_kind_problems(&ex, &tests).join("\n");
        assert!(
            problems.contains("`other` of a write-the-test exercise"),
            "{problems}"
        );
        assert!(
            problems.contains("at least one catches_* check"),
            "{problems}"
        );
        assert!(
            problems.contains("only catches_* checks may fail"),
            "{problems}"
        );
        assert_eq!(exercise_with("t", "").kind, Kind::Fix);
    }

    #[test]
    fn rejects_unknown_fields() {
        let err = Manifest::parse("[[exercise]]\nid='leak_x'\ncolour='red'\n").unwrap_err();
        assert!(err.0.contains("colour"), "{err}");
    }

    #[test]
    fn the_real_manifest_agrees_with_the_crates() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let manifest = Manifest::load(&root).expect("manifest parses");
        assert!(
            !manifest.exercises.is_empty(),
            "the manifest lists no exercise"
        );
        let problems = manifest.problems(&root);
        assert!(
            problems.is_empty(),
            "manifest and crates disagree:\n{}",
            problems.join("\n")
        );
    }
}
