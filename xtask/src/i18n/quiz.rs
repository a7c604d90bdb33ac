//! The text of the TOML files beside the pages in the catalogue: quizzes
//! (`{{#quiz src/CH/quiz.toml}}`) and guided experiments (`{{#experiments}}`
//! reads `src/CH/experiments.toml`). Our preprocessor expands them after
//! mdbook-gettext has run, so mdbook-xgettext never sees their prose: we
//! extract it ourselves, and for a translated build write translated copies
//! that the translated build reads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One kind of TOML file beside the pages, and which of its strings are prose.
pub struct Kind {
    /// The file name in each chapter folder.
    pub file: &'static str,
    /// The array of tables holding the items (`[[question]]`).
    array: &'static str,
    /// Keys whose strings (or arrays of strings) a reader sees as prose.
    prose: &'static [&'static str],
}

pub const QUIZ: Kind = Kind {
    file: "quiz.toml",
    array: "question",
    prose: &["prompt", "choices", "explanation"],
};

/// Ids, commands, files and the edit (`find`, `replace`) and the outcome stay
/// as they are: the manifest and CI depend on them.
pub const EXPERIMENTS: Kind = Kind {
    file: "experiments.toml",
    array: "experiment",
    prose: &["title", "question", "choices", "explanation"],
};

/// Every `src/*/FILE` of this kind, sorted, as paths relative to the book root.
pub fn files(root: &Path, kind: &Kind) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let src = root.join("src");
    let chapters = std::fs::read_dir(&src).map_err(|e| format!("cannot read src/: {e}"))?;
    for chapter in chapters.flatten() {
        if chapter.path().join(kind.file).is_file() {
            let name = chapter.file_name().to_string_lossy().into_owned();
            found.push(format!("src/{name}/{}", kind.file));
        }
    }
    found.sort();
    Ok(found)
}

/// Which strings of a question a reader sees as prose. Multi-line choices are
/// program output (the preprocessor shows them as such, and `answer_output`
/// compares them with the program's): they stay as they are, like all code.
/// A choice without a letter ("3", "0 B") has nothing to translate.
fn translatable(key: &str, text: &str) -> bool {
    match key {
        "prompt" | "explanation" | "title" | "question" => true,
        "choices" => !text.trim().contains('\n') && text.chars().any(|c| c.is_ascii_alphabetic()),
        _ => false,
    }
}

fn load(root: &Path, file: &str) -> Result<toml::Table, String> {
    let text =
        std::fs::read_to_string(root.join(file)).map_err(|e| format!("cannot read {file}: {e}"))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("{file}: {e}"))
}

fn items_mut<'a>(
    quiz: &'a mut toml::Table,
    kind: &Kind,
) -> impl Iterator<Item = &'a mut toml::Table> {
    quiz.get_mut(kind.array)
        .and_then(toml::Value::as_array_mut)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table_mut)
}

/// Calls `f(key, text)` for every translatable string of the quiz, in order,
/// and replaces the string with what `f` returns.
fn map_strings(quiz: &mut toml::Table, kind: &Kind, mut f: impl FnMut(&str, &str) -> String) {
    for question in items_mut(quiz, kind) {
        for &key in kind.prose {
            match question.get_mut(key) {
                Some(toml::Value::String(s)) if translatable(key, s) => *s = f(key, s),
                Some(toml::Value::Array(items)) => {
                    let strings = items.iter_mut().filter_map(|item| match item {
                        toml::Value::String(s) => Some(s),
                        _ => None,
                    });
                    for s in strings.filter(|s| translatable(key, s)) {
                        *s = f(key, s);
                    }
                }
                _ => {}
            }
        }
    }
}

/// The quizzes' messages, each with the quiz files it is in, in order of
/// first appearance. A message is the string without its surrounding blank
/// lines, the way the preprocessor shows it.
pub fn messages(root: &Path, kind: &Kind) -> Result<Vec<(String, Vec<String>)>, String> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for file in files(root, kind)? {
        let mut quiz = load(root, &file)?;
        map_strings(&mut quiz, kind, |_, text| {
            let id = text.trim().to_owned();
            let at = *index.entry(id.clone()).or_insert_with(|| {
                found.push((id, Vec::new()));
                found.len() - 1
            });
            if !found[at].1.contains(&file) {
                found[at].1.push(file.clone());
            }
            text.to_owned()
        });
    }
    Ok(found)
}

/// Writes a translated copy of every quiz under `out_dir` (same relative
/// paths), translating each string found in `translations`; returns the
/// copies' paths relative to `root`, by original path.
pub fn write_translated(
    root: &Path,
    kind: &Kind,
    out_dir: &Path,
    translations: &HashMap<String, String>,
) -> Result<Vec<(String, String)>, String> {
    let mut written = Vec::new();
    for file in files(root, kind)? {
        let mut quiz = load(root, &file)?;
        map_strings(&mut quiz, kind, |_, text| {
            translations
                .get(text.trim())
                .cloned()
                .unwrap_or_else(|| text.to_owned())
        });
        let target: PathBuf = out_dir.join(&file);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        let text = toml::to_string(&quiz).map_err(|e| format!("{file}: {e}"))?;
        std::fs::write(&target, text)
            .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        let relative = target
            .strip_prefix(root)
            .map_err(|_| format!("{} is outside the book root", target.display()))?;
        written.push((file, relative.to_string_lossy().replace('\\', "/")));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_translatable_and_output_and_numbers_are_not() {
        assert!(translatable("prompt", "What does `main` print?"));
        assert!(translatable("explanation", "Because."));
        assert!(translatable("choices", "Nothing: it hangs."));
        assert!(!translatable("choices", "3"));
        assert!(!translatable(
            "choices",
            "job failed: read record 7\ngoroutines left behind: 1\n"
        ));
        assert!(!translatable("code", "go/leak/pipeline.go:leaky_job"));
    }

    #[test]
    fn translation_replaces_only_prose_and_keeps_the_rest() {
        let mut quiz: toml::Table = r#"
            [[question]]
            prompt = "Which one?"
            code = "go/x.go:main"
            choices = ["One goroutine.", "2", "out\nput\n"]
            answer = 0
            explanation = "Because."
        "#
        .parse()
        .unwrap();
        map_strings(&mut quiz, &QUIZ, |_, text| format!("<{text}>"));
        let question = &quiz["question"][0];
        assert_eq!(question["prompt"].as_str(), Some("<Which one?>"));
        assert_eq!(question["code"].as_str(), Some("go/x.go:main"));
        let choices = question["choices"].as_array().unwrap();
        assert_eq!(choices[0].as_str(), Some("<One goroutine.>"));
        assert_eq!(choices[1].as_str(), Some("2"));
        assert_eq!(choices[2].as_str(), Some("out\nput\n"));
        assert_eq!(question["explanation"].as_str(), Some("<Because.>"));
    }

    #[test]
    fn an_experiment_s_prose_is_translated_and_its_edit_and_outcome_are_not() {
        let mut file: toml::Table = r#"
            [[experiment]]
            id = "x"
            title = "Remove the close"
            command = "cd go && go run ./x"
            file = "go/x.go"
            find = "close(x)"
            replace = "x := 1"
            question = "What happens?"
            choices = ["It hangs.", "0"]
            answer = 0
            explanation = "Because."
            [experiment.outcome]
            contains = ["deadlock here"]
            exit = 2
        "#
        .parse()
        .unwrap();
        map_strings(&mut file, &EXPERIMENTS, |_, text| format!("<{text}>"));
        let e = &file["experiment"][0];
        assert_eq!(e["title"].as_str(), Some("<Remove the close>"));
        assert_eq!(e["question"].as_str(), Some("<What happens?>"));
        assert_eq!(e["choices"][0].as_str(), Some("<It hangs.>"));
        assert_eq!(e["choices"][1].as_str(), Some("0"));
        assert_eq!(e["explanation"].as_str(), Some("<Because.>"));
        for key in ["id", "command", "file", "find", "replace"] {
            assert!(!e[key].as_str().unwrap().starts_with('<'), "{key}");
        }
        assert_eq!(e["outcome"]["contains"][0].as_str(), Some("deadlock here"));
    }
}
