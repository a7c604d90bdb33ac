//! Our own words in the catalogue: the preprocessor's table
//! (`mdbook-runnable/src/strings.rs`), each page script's table (a
//! `var STRINGS = {...}` in a `theme/*.js`: every script that has one), and the
//! exercise manifest's titles, tasks and hints. They reach the page after
//! mdbook-gettext has run, so mdbook-xgettext never sees them: they are read
//! here, from the tables themselves, so that a string added to a table is a
//! message of the template and `i18n check` fails until it is translated.

use anyhow::{Context, Result, anyhow};
use std::path::Path;

/// The preprocessor's words: one `pub const NAME: &str = "...";` each.
pub const RUST_TABLE: &str = "mdbook-runnable/src/strings.rs";

/// Where the page scripts are. Each one with words of its own holds one
/// `var STRINGS = {...};` table, found by its opening line: a new script
/// with a table is extracted without being listed anywhere.
pub const SCRIPT_DIR: &str = "theme";
const TABLE_OPENING: &str = "var STRINGS = {";

/// The page scripts with a table, sorted, as paths from the root.
pub fn scripts(root: &Path) -> Result<Vec<String>> {
    let dir = root.join(SCRIPT_DIR);
    let entries = std::fs::read_dir(&dir).with_context(|| format!("cannot read {SCRIPT_DIR}/"))?;
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = format!("{SCRIPT_DIR}/{name}");
        if name.ends_with(".js")
            && read(root, &path)?
                .lines()
                .any(|l| l.trim() == TABLE_OPENING)
        {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// A message and where it comes from (`#:` references).
pub type Message = (String, Vec<String>);

/// Every message of ours, in the order: preprocessor, scripts, manifest.
pub fn messages(root: &Path) -> Result<Vec<Message>> {
    let mut out = Vec::new();
    out.extend(rust_table(RUST_TABLE, &read(root, RUST_TABLE)?)?);
    for script in scripts(root)? {
        out.extend(script_table(&script, &read(root, &script)?)?);
    }
    out.extend(manifest_texts(
        manifest::MANIFEST_PATH,
        &read(root, manifest::MANIFEST_PATH)?,
    )?);
    Ok(merge(out))
}

fn read(root: &Path, file: &str) -> Result<String> {
    std::fs::read_to_string(root.join(file)).with_context(|| format!("cannot read {file}"))
}

/// One message per English text, with every place it comes from.
fn merge(messages: Vec<Message>) -> Vec<Message> {
    let mut out: Vec<Message> = Vec::new();
    for (id, refs) in messages {
        match out.iter_mut().find(|(known, _)| *known == id) {
            Some((_, known_refs)) => known_refs.extend(refs),
            None => out.push((id, refs)),
        }
    }
    out
}

/// A double-quoted literal as JSON reads it (both tables keep to JSON's
/// escapes: `\"`, `\\`, `\n`).
fn literal(text: &str) -> Option<String> {
    serde_json::from_str::<String>(text.trim()).ok()
}

/// `pub const NAME: &str = "...";`, one a line (or its literal on the next
/// line, as rustfmt wraps a long one).
fn rust_table(file: &str, text: &str) -> Result<Vec<Message>> {
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line_no = i + 1;
        let mut line = lines[i].trim().to_owned();
        i += 1;
        if !line.starts_with("pub const ") {
            continue;
        }
        if line.ends_with('=') && i < lines.len() {
            line = format!("{line} {}", lines[i].trim());
            i += 1;
        }
        let value = line
            .split_once(": &str = ")
            .and_then(|(_, v)| v.strip_suffix(';'))
            .and_then(literal)
            .with_context(|| {
                format!("{file}:{line_no}: not `pub const NAME: &str = \"...\";`: {line}")
            })?;
        out.push((value, vec![format!("{file}:{line_no}")]));
    }
    if out.is_empty() {
        return Err(anyhow!("{file}: no `pub const NAME: &str = \"...\";`"));
    }
    Ok(out)
}

/// The entries `key: "English",` of a script's `var STRINGS = { ... };`.
fn script_table(file: &str, text: &str) -> Result<Vec<Message>> {
    let mut lines = text.lines().enumerate();
    lines
        .find(|(_, l)| l.trim() == TABLE_OPENING)
        .with_context(|| format!("{file}: no `{TABLE_OPENING}` table"))?;
    let mut out = Vec::new();
    for (n, raw) in lines {
        let line = raw.trim();
        if line == "};" {
            if out.is_empty() {
                return Err(anyhow!("{file}: the STRINGS table is empty"));
            }
            return Ok(out);
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        let value = line
            .split_once(": ")
            .filter(|(key, _)| key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .and_then(|(_, v)| literal(v.strip_suffix(',').unwrap_or(v)))
            .with_context(|| format!("{}:{}: not `key: \"English\",`: {line}", file, n + 1))?;
        out.push((value, vec![format!("{file}:{}", n + 1)]));
    }
    Err(anyhow!("{file}: the STRINGS table never ends with `}};`"))
}

/// Each exercise's title, task and hints, as the card shows them (trimmed),
/// referenced by the line where each begins.
fn manifest_texts(file: &str, text: &str) -> Result<Vec<Message>> {
    let data: toml::Table = text.parse().with_context(|| file.to_owned())?;
    let exercises = data
        .get("exercise")
        .and_then(toml::Value::as_array)
        .with_context(|| format!("{file}: no [[exercise]]"))?;
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut from = 0;
    for exercise in exercises {
        let str_of = |key: &str| exercise.get(key).and_then(toml::Value::as_str);
        let id = str_of("id").with_context(|| format!("{file}: an exercise without an id"))?;
        from = find_line(&lines, from, |l| l.trim() == format!("id = \"{id}\""))
            .with_context(|| format!("{file}: no line `id = \"{id}\"`"))?;
        for key in ["title", "task"] {
            if let Some(value) = str_of(key) {
                let at =
                    find_line(&lines, from, |l| l.starts_with(&format!("{key} ="))).unwrap_or(from);
                out.push((value.trim().to_owned(), vec![format!("{file}:{}", at + 1)]));
            }
        }
        let hints_at = find_line(&lines, from, |l| l.starts_with("hints =")).unwrap_or(from);
        let hints = exercise.get("hints").and_then(toml::Value::as_array);
        let mut at = hints_at;
        for hint in hints.into_iter().flatten().filter_map(toml::Value::as_str) {
            // The line where the hint's text begins: its opening quote and
            // first word (a long hint goes on over `\` continuations).
            let first_word = hint.split_whitespace().next().unwrap_or_default();
            let opening = format!("\"{first_word}");
            at = find_line(&lines, at, |l| l.contains(&opening)).unwrap_or(at);
            out.push((hint.trim().to_owned(), vec![format!("{file}:{}", at + 1)]));
            at += 1;
        }
    }
    Ok(out)
}

fn find_line(lines: &[&str], from: usize, wanted: impl Fn(&str) -> bool) -> Option<usize> {
    (from..lines.len()).find(|&i| wanted(lines[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rust_table_is_read_line_by_line_and_a_wrapped_constant_too() {
        let text = "//! doc\n\npub const A: &str = \"Run it: {command}\";\n\
                    pub const B: &str =\n    \"A long \\\"one\\\" — wrapped\";\nconst PRIVATE: u8 = 1;\n";
        let found = rust_table("s.rs", text).unwrap();
        assert_eq!(
            found,
            [
                ("Run it: {command}".to_owned(), vec!["s.rs:3".to_owned()]),
                (
                    "A long \"one\" — wrapped".to_owned(),
                    vec!["s.rs:4".to_owned()]
                ),
            ]
        );
        let err = rust_table("s.rs", "pub const A: &str = concat!(\"a\", \"b\");\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.rs:1:"), "{err}");
    }

    #[test]
    fn a_script_table_is_read_and_anything_else_in_it_is_an_error() {
        let text = "(function () {\n    var STRINGS = {\n        // the quiz\n        \
                    tryAgain: \"Try again\",\n        right: \"Right: {letter}.\"\n    };\n    var x = 1;\n";
        let found = script_table("t.js", text).unwrap();
        assert_eq!(
            found[0],
            ("Try again".to_owned(), vec!["t.js:4".to_owned()])
        );
        assert_eq!(found[1].0, "Right: {letter}.");
        let err = script_table("t.js", "var STRINGS = {\n    a: \"x\" + y,\n};\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.js:2:"), "{err}");
        let err = script_table("t.js", "var TABLE = {};\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no `var STRINGS"), "{err}");
        assert!(script_table("t.js", "var STRINGS = {\n};\n").is_err());
    }

    #[test]
    fn the_manifest_gives_titles_tasks_and_hints_with_their_lines() {
        let text = "[[exercise]]\nid = \"a\"\ntitle = \"First\"\ntask = \"\"\"\nDo it.\n\"\"\"\n\
                    hints = [\n    \"\"\"One \\\nmore.\"\"\",\n    \"Two.\",\n    \"Three.\",\n]\n\n\
                    [[exercise]]\nid = \"b\"\ntitle = \"Second\"\ntask = \"Again.\"\nhints = []\n";
        let found = manifest_texts("m.toml", text).unwrap();
        let shown: Vec<(&str, &str)> = found
            .iter()
            .map(|(m, r)| (m.as_str(), r[0].as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("First", "m.toml:3"),
                ("Do it.", "m.toml:4"),
                ("One more.", "m.toml:8"),
                ("Two.", "m.toml:10"),
                ("Three.", "m.toml:11"),
                ("Second", "m.toml:16"),
                ("Again.", "m.toml:17"),
            ]
        );
    }

    #[test]
    fn the_same_english_twice_is_one_message_with_both_places() {
        let merged = merge(vec![
            ("Exercise".into(), vec!["a:1".into()]),
            ("Other".into(), vec!["a:2".into()]),
            ("Exercise".into(), vec!["b:9".into()]),
        ]);
        assert_eq!(
            merged[0],
            (
                "Exercise".to_owned(),
                vec!["a:1".to_owned(), "b:9".to_owned()]
            )
        );
        assert_eq!(merged.len(), 2);
    }

    #[test]
    fn the_workbook_s_tables_are_all_readable() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert_eq!(
            scripts(root).unwrap(),
            [
                "theme/runnable-align.js",
                "theme/runnable-edit.js",
                "theme/runnable-experiments.js",
                "theme/runnable-runner.js",
                "theme/runnable.js"
            ]
        );
        let found = messages(root).unwrap();
        assert!(found.iter().any(|(m, _)| m == "Hint 1 — nudge"));
        assert!(found.iter().any(|(_, refs)| {
            refs.iter()
                .any(|r| r.starts_with("theme/runnable-runner.js:"))
        }));
    }
}
