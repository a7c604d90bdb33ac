//! Guided experiments ("Try it"): break a listing the book shows on purpose
//! and see what happens. An experiment names one of the book's commands, an
//! exact-match edit of one file of that program's package, a question with
//! its choices, and the outcome the page claims. Experiments live in
//! `src/<chapter>/experiments.toml` beside the page; `{{#experiment ID}}` or
//! `{{#experiments}}` renders them (`render/experiment.rs`), and the build
//! writes every one, checked, to `experiments.json` beside the commands
//! manifest.
//!
//! The edit is never applied to the repository: [`prepare`] copies the
//! program's package (the Go module `go/`, or the crate `listings/` in a
//! workspace of its own) into a scratch folder and edits the copy. The runner
//! and `cargo dev commands` both go through it, and both judge what ran
//! with [`Outcome::judge`].

use crate::commands::{self, Place};
use crate::i18n::Catalogue;
use crate::strings;
use serde::{Deserialize, Serialize};
use std::path::{Component, Path, PathBuf};

/// The file beside a page that holds its experiments.
pub const FILE_NAME: &str = "experiments.toml";

/// The manifest's file name, written next to the commands manifest.
pub const MANIFEST_NAME: &str = "experiments.json";

/// Every experiment the book shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperimentManifest {
    pub experiments: Vec<Experiment>,
}

/// One experiment as `experiments.toml` writes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub id: String,
    /// A short name, e.g. "Remove the close".
    pub title: String,
    /// One of the commands the book shows for this listing.
    pub command: String,
    /// The file to edit, from the book root (`go/leak/pipeline.go`).
    pub file: String,
    /// Text that occurs exactly once in `file`.
    pub find: String,
    /// What replaces it; empty deletes it.
    #[serde(default)]
    pub replace: String,
    /// "What happens when ...?" (Markdown).
    pub question: String,
    pub choices: Vec<String>,
    /// Signed so that `answer = -1` gets our message, not serde's.
    pub answer: i64,
    pub outcome: Outcome,
    /// Why it happens (Markdown).
    pub explanation: String,
}

/// What the page claims happens once the edit is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The build fails and its output contains this (`E0382`, `declared
    /// and not used`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compile_error: Option<String>,
    /// The program's own exit status (the built binary's, not `go run`'s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// Text the output (stdout and stderr) contains, each one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contains: Vec<String>,
    /// Text the output must not contain (e.g. a line the unedited program
    /// prints), each one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lacks: Vec<String>,
}

/// One checked experiment, as the runner and CI need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    pub id: String,
    pub title: String,
    /// The command as the book shows it, and its parts.
    pub command: String,
    pub program: String,
    pub args: Vec<String>,
    /// The folder copied to scratch (`go` or `listings`), and the folder the
    /// command runs in (`go`, or `.` for the workspace).
    pub package: String,
    pub dir: String,
    pub file: String,
    pub find: String,
    pub replace: String,
    pub outcome: Outcome,
    pub shown_at: Place,
}

/// Letters, digits, `_` and `-`, at most 64: an id is safe as a path part.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The one occurrence of `find` in `text` replaced, or why not.
pub fn apply_edit(text: &str, find: &str, replace: &str) -> Result<String, String> {
    if find.is_empty() {
        return Err("`find` is empty: name the exact text to change".to_owned());
    }
    match text.matches(find).count() {
        1 => Ok(text.replacen(find, replace, 1)),
        0 => Err(format!(
            "the text to change is not in the file (was the listing changed?): {:?}",
            first_line(find)
        )),
        n => Err(format!(
            "the text to change occurs {n} times; make `find` longer so it occurs once: {:?}",
            first_line(find)
        )),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or(text)
}

/// The edit as a diff for the page: lines both sides share at the start and
/// the end are context (` `), the rest removed (`-`) and added (`+`).
pub fn diff(find: &str, replace: &str) -> String {
    let old: Vec<&str> = find.lines().collect();
    let new: Vec<&str> = replace.lines().collect();
    let head = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    let mut push = |mark: char, line: &str| {
        out.push(mark);
        out.push_str(line);
        out.push('\n');
    };
    old[..head].iter().for_each(|l| push(' ', l));
    old[head..old.len() - tail]
        .iter()
        .for_each(|l| push('-', l));
    new[head..new.len() - tail]
        .iter()
        .for_each(|l| push('+', l));
    old[old.len() - tail..].iter().for_each(|l| push(' ', l));
    out
}

impl Spec {
    /// Checks the experiment against the repository and makes it an entry
    /// of the manifest. `root` is the book root.
    pub fn check(&self, root: &Path, at: Place) -> Result<Experiment, String> {
        if !is_valid_id(&self.id) {
            return Err(format!(
                "experiment id `{}`: use lower-case letters, digits, `_` and `-` (at most 64)",
                self.id
            ));
        }
        let parsed = commands::parse(&self.command, root)?;
        let (package, dir) = match parsed.program.as_str() {
            "go" => ("go", "go"),
            _ if parsed.args.iter().any(|a| a == "listings") => ("listings", "."),
            _ => {
                return Err(format!(
                    "`{}`: an experiment runs a Go program or a listings example",
                    self.command
                ));
            }
        };
        check_inside(&self.file, package)?;
        let text = std::fs::read_to_string(root.join(&self.file))
            .map_err(|e| format!("`{}`: {e}", self.file))?;
        apply_edit(&text, &self.find, &self.replace).map_err(|e| format!("{}: {e}", self.file))?;
        self.check_question()?;
        self.outcome.check()?;
        Ok(Experiment {
            id: self.id.clone(),
            title: self.title.clone(),
            command: self.command.clone(),
            program: parsed.program,
            args: parsed.args,
            package: package.to_owned(),
            dir: dir.to_owned(),
            file: self.file.clone(),
            find: self.find.clone(),
            replace: self.replace.clone(),
            outcome: self.outcome.clone(),
            shown_at: at,
        })
    }

    fn check_question(&self) -> Result<(), String> {
        if !(2..=4).contains(&self.choices.len()) {
            return Err(format!(
                "experiment `{}`: give 2 to 4 choices, not {}",
                self.id,
                self.choices.len()
            ));
        }
        if usize::try_from(self.answer).map_or(true, |a| a >= self.choices.len()) {
            return Err(format!(
                "experiment `{}`: answer {} is out of range: choices are numbered 0 to {}",
                self.id,
                self.answer,
                self.choices.len() - 1
            ));
        }
        Ok(())
    }

    pub fn answer(&self) -> usize {
        usize::try_from(self.answer).unwrap_or(0)
    }
}

/// `file` must be a plain relative path inside `package` (no `..`, not
/// absolute), so that its scratch copy is inside the scratch folder.
pub fn check_inside(file: &str, package: &str) -> Result<(), String> {
    let path = Path::new(file);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)));
    if !plain || !path.starts_with(package) || path == Path::new(package) {
        return Err(format!(
            "`{file}`: the file to edit must be a plain path inside `{package}/`, \
             the package the command builds"
        ));
    }
    Ok(())
}

impl Outcome {
    fn check(&self) -> Result<(), String> {
        match (&self.compile_error, self.exit) {
            (Some(_), Some(_)) => Err(
                "outcome: `compile_error` and `exit` exclude each other (a program that \
                 does not build has no exit status)"
                    .to_owned(),
            ),
            (None, None) => Err(
                "outcome: name `exit = N` (and optionally `contains`/`lacks`) or \
                 `compile_error = \"...\"`"
                    .to_owned(),
            ),
            (Some(e), None) if e.trim().is_empty() => {
                Err("outcome: `compile_error` is empty".to_owned())
            }
            _ => Ok(()),
        }
    }

    /// The lines for the page, in the book's language: what the claim is.
    pub fn describe(&self, catalogue: &Catalogue) -> Vec<String> {
        let mut lines = Vec::new();
        let code = |text: &str| format!("`{text}`");
        if let Some(e) = &self.compile_error {
            lines.push(catalogue.fill(strings::OUTCOME_NO_BUILD, &[("error", &code(e))]));
        }
        if let Some(status) = self.exit {
            lines.push(catalogue.fill(strings::OUTCOME_EXIT, &[("code", &status.to_string())]));
        }
        for c in &self.contains {
            lines.push(catalogue.fill(strings::OUTCOME_CONTAINS, &[("text", &code(c))]));
        }
        for c in &self.lacks {
            lines.push(catalogue.fill(strings::OUTCOME_LACKS, &[("text", &code(c))]));
        }
        lines
    }

    /// Compares what happened with the claim. `failed_step` is `Some("build")`
    /// when the build failed; `outputs` are the texts of the step that ended
    /// it to look in: stdout and stderr in arrival order, and each stream
    /// alone. A claimed line is found when one of them has it: two pipes read
    /// by two threads can slip a chunk of one stream between two writes of
    /// the other (Go's runtime writes `fatal error: ` and its reason apart).
    pub fn judge(
        &self,
        failed_step: Option<&str>,
        exit: Option<i32>,
        timed_out: bool,
        outputs: &[&str],
    ) -> Result<(), String> {
        let has = |text: &str| outputs.iter().any(|o| o.contains(text));
        if timed_out {
            return Err("it was stopped by the time limit".to_owned());
        }
        if let Some(error) = &self.compile_error {
            if failed_step != Some("build") {
                return Err("it compiled, the page claims it does not".to_owned());
            }
            if !has(error) {
                return Err(format!("the build failed without `{error}`"));
            }
            return Ok(());
        }
        if failed_step == Some("build") {
            return Err("it did not compile".to_owned());
        }
        if exit != self.exit {
            return Err(format!(
                "it exited with {}, the page claims {}",
                exit.map_or("no status (killed by a signal)".to_owned(), |c| c
                    .to_string()),
                self.exit.unwrap_or_default()
            ));
        }
        if let Some(missing) = self.contains.iter().find(|c| !has(c)) {
            return Err(format!("its output does not contain `{missing}`"));
        }
        if let Some(present) = self.lacks.iter().find(|c| has(c)) {
            return Err(format!("its output still contains `{present}`"));
        }
        Ok(())
    }
}

impl ExperimentManifest {
    pub fn experiment(&self, id: &str) -> Option<&Experiment> {
        self.experiments.iter().find(|e| e.id == id)
    }

    pub fn load(path: &Path) -> Result<ExperimentManifest, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: {e} (it is written by `mdbook build` / `mdbook serve`)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// A scratch copy, edited, ready to build and run.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Where the command runs (absolute).
    pub dir: PathBuf,
    /// Besides the command's own environment (the shared Cargo target).
    pub env: Vec<(String, String)>,
}

/// Copies the experiment's package from `root` into `scratch` (emptied
/// first), applies the edit to the copy, and says where to run the command.
/// Rust experiments build in a workspace of their own whose Cargo target is
/// `shared_target`, so that dependencies compile once for every experiment.
pub fn prepare(
    root: &Path,
    experiment: &Experiment,
    scratch: &Path,
    shared_target: &Path,
) -> Result<Prepared, String> {
    // The manifest is data on disk: check it again before writing anything.
    if !is_valid_id(&experiment.id) {
        return Err(format!("`{}` is not a valid experiment id", experiment.id));
    }
    check_inside(&experiment.file, &experiment.package)?;
    let prepared = copy_package(
        root,
        &experiment.package,
        &experiment.dir,
        scratch,
        shared_target,
        &format!("experiment.{}", experiment.id),
    )?;
    let target = scratch.join(&experiment.file);
    let text = std::fs::read_to_string(&target).map_err(|e| format!("{}: {e}", experiment.file))?;
    let edited = apply_edit(&text, &experiment.find, &experiment.replace)
        .map_err(|e| format!("{}: {e}", experiment.file))?;
    std::fs::write(&target, edited).map_err(|e| format!("{}: {e}", target.display()))?;
    Ok(prepared)
}

/// Copies `package` (`go` or `listings`) from `root` into `scratch`
/// (emptied first) and says where to run a command whose folder is `dir`
/// (`go`, or `.` for the workspace). `listings` gets a workspace of its own
/// whose Cargo target is `shared_target`, and a version tagged `tag` (see
/// [`own_version`]). Experiments and the page's edits (`edit.rs`) both
/// start from this.
pub fn copy_package(
    root: &Path,
    package: &str,
    dir: &str,
    scratch: &Path,
    shared_target: &Path,
    tag: &str,
) -> Result<Prepared, String> {
    let expected_dir = match package {
        "go" => "go",
        "listings" => ".",
        other => return Err(format!("unknown package `{other}`")),
    };
    if dir != expected_dir {
        return Err(format!(
            "a command of `{package}` runs in `{expected_dir}`, not `{dir}`"
        ));
    }
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    copy_tree(&root.join(package), &scratch.join(package))?;
    let mut env = Vec::new();
    if package == "listings" {
        write_workspace(root, scratch)?;
        own_version(&scratch.join("listings/Cargo.toml"), tag)?;
        env.push((
            "CARGO_TARGET_DIR".to_owned(),
            shared_target.display().to_string(),
        ));
    }
    Ok(Prepared {
        dir: scratch.join(dir),
        env,
    })
}

/// Gives this copy of the crate a version of its own (`tag`:
/// `experiment.ID` or `edit.ID`). Cargo
/// names a workspace member's build by its name and version, not its path:
/// with one version, every copy would be the same unit in the
/// shared target, and a build of one copy could pass for another's (Cargo
/// judges freshness by file times, and a copy made before another's build
/// looks older than it). With its own version each copy builds on its own,
/// and the dependencies are still shared.
fn own_version(manifest: &Path, tag: &str) -> Result<(), String> {
    let text =
        std::fs::read_to_string(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut table: toml::Table =
        toml::from_str(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let package = table
        .get_mut("package")
        .and_then(toml::Value::as_table_mut)
        .ok_or_else(|| format!("{} has no [package]", manifest.display()))?;
    let version = package
        .get("version")
        .and_then(toml::Value::as_str)
        .unwrap_or("0.1.0")
        .split(['-', '+'])
        .next()
        .unwrap_or("0.1.0")
        .to_owned();
    // A semver pre-release: ASCII letters, digits, `-` and `.` only.
    let tag = tag.replace('_', "-");
    package.insert(
        "version".to_owned(),
        toml::Value::String(format!("{version}-{tag}")),
    );
    let out = toml::to_string(&table).map_err(|e| format!("{}: {e}", manifest.display()))?;
    std::fs::write(manifest, out).map_err(|e| format!("{}: {e}", manifest.display()))
}

/// Regular files and folders only: a link in the package is not followed.
fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let entries = std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", from.display()))?;
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        let dest = to.join(entry.file_name());
        if kind.is_dir() {
            copy_tree(&entry.path(), &dest)?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &dest)
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}

/// The root workspace's manifest with `listings` as its only member and
/// path dependencies pointing back at the repository, plus its lock file:
/// the same versions as the real build.
fn write_workspace(root: &Path, scratch: &Path) -> Result<(), String> {
    // Absolute: the scratch workspace lives elsewhere.
    let root = &std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let text =
        std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| format!("Cargo.toml: {e}"))?;
    let mut manifest: toml::Table =
        toml::from_str(&text).map_err(|e| format!("Cargo.toml: {e}"))?;
    let workspace = manifest
        .get_mut("workspace")
        .and_then(toml::Value::as_table_mut)
        .ok_or("Cargo.toml has no [workspace]")?;
    workspace.insert(
        "members".to_owned(),
        toml::Value::Array(vec![toml::Value::String("listings".to_owned())]),
    );
    workspace.remove("default-members");
    if let Some(deps) = workspace
        .get_mut("dependencies")
        .and_then(toml::Value::as_table_mut)
    {
        for (_, dep) in deps.iter_mut() {
            if let Some(path) = dep.get_mut("path") {
                if let Some(rel) = path.as_str() {
                    *path = toml::Value::String(root.join(rel).display().to_string());
                }
            }
        }
    }
    let out = toml::to_string(&manifest).map_err(|e| format!("Cargo.toml: {e}"))?;
    std::fs::write(scratch.join("Cargo.toml"), out).map_err(|e| format!("Cargo.toml: {e}"))?;
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_matches_exactly_once() {
        assert_eq!(apply_edit("a b c", "b", "x").unwrap(), "a x c");
        assert!(
            apply_edit("a b c", "z", "x")
                .unwrap_err()
                .contains("not in the file")
        );
        assert!(apply_edit("b b", "b", "x").unwrap_err().contains("2 times"));
        assert!(apply_edit("b", "", "x").unwrap_err().contains("empty"));
    }

    #[test]
    fn ids_and_files_cannot_leave_their_folder() {
        assert!(is_valid_id("leak-no-close_2"));
        for bad in ["", "../x", "a/b", "A", "x.y", &"x".repeat(65)] {
            assert!(!is_valid_id(bad), "{bad}");
        }
        assert!(check_inside("go/leak/pipeline.go", "go").is_ok());
        for bad in [
            "go/../Cargo.toml",
            "/etc/passwd",
            "go",
            "listings/../go/x.go",
            "gox/a.go",
            "./go/a.go",
        ] {
            assert!(check_inside(bad, "go").is_err(), "{bad}");
        }
    }

    fn outcome(exit: Option<i32>, compile_error: Option<&str>) -> Outcome {
        Outcome {
            compile_error: compile_error.map(str::to_owned),
            exit,
            contains: vec!["deadlock!".to_owned()],
            lacks: vec!["total".to_owned()],
        }
    }

    #[test]
    fn the_claim_is_judged_on_every_part() {
        let run = outcome(Some(2), None);
        assert!(run.judge(None, Some(2), false, &["deadlock!"]).is_ok());
        assert!(run.judge(None, Some(0), false, &["deadlock!"]).is_err());
        assert!(run.judge(None, Some(2), false, &["ok"]).is_err());
        assert!(
            run.judge(None, Some(2), false, &["deadlock! total"])
                .is_err()
        );
        assert!(run.judge(None, Some(2), true, &["deadlock!"]).is_err());
        assert!(
            run.judge(Some("build"), Some(1), false, &["deadlock!"])
                .is_err()
        );
        let build = outcome(None, Some("E0382"));
        assert!(
            build
                .judge(Some("build"), Some(101), false, &["error[E0382]"])
                .is_ok()
        );
        assert!(
            build
                .judge(Some("build"), Some(101), false, &["error[E0499]"])
                .is_err()
        );
        assert!(build.judge(None, Some(0), false, &["E0382"]).is_err());
        assert!(outcome(Some(1), Some("x")).check().is_err());
        // stdout's chunk came between two writes of stderr: the claim is
        // still found in stderr alone; a line it lacks is looked for in all.
        let slipped = "fatal error: printed\nall goroutines are asleep - dead";
        let fatal = Outcome {
            contains: vec!["fatal error: all goroutines are asleep".to_owned()],
            ..outcome(Some(2), None)
        };
        let stderr = "fatal error: all goroutines are asleep - dead";
        assert!(fatal.judge(None, Some(2), false, &[slipped]).is_err());
        assert!(
            fatal
                .judge(None, Some(2), false, &[slipped, "printed\n", stderr])
                .is_ok()
        );
        assert!(
            run.judge(None, Some(2), false, &["deadlock!", "total"])
                .is_err()
        );
        assert!(outcome(None, None).check().is_err());
    }

    #[test]
    fn each_rust_copy_gets_a_version_of_its_own() {
        let dir = std::env::temp_dir().join(format!("own-version-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let manifest = dir.join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[package]\nname = \"listings\"\nversion = \"0.1.0\"\nedition.workspace = true\n",
        )
        .unwrap();
        own_version(&manifest, "experiment.leak_keep-a-clone").unwrap();
        let table: toml::Table =
            toml::from_str(&std::fs::read_to_string(&manifest).unwrap()).unwrap();
        assert_eq!(
            table["package"]["version"].as_str(),
            Some("0.1.0-experiment.leak-keep-a-clone")
        );
        assert_eq!(table["package"]["name"].as_str(), Some("listings"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_diff_marks_each_line() {
        assert_eq!(diff("a\nb\n", "c\n"), "-a\n-b\n+c\n");
        assert_eq!(diff("x\na\ny\n", "x\nb\nc\ny\n"), " x\n-a\n+b\n+c\n y\n");
        assert_eq!(diff("x\ny\n", "x\n"), " x\n-y\n");
        assert_eq!(diff("y\n", "x\ny\n"), "+x\n y\n");
    }
}
