//! The template (what the English book says now) and how much of it a
//! catalogue translates, soundly.

use anyhow::{Result, anyhow};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use xtask::i18n::po::{self, Entry};

/// Spans `{{#...}}` in `text`, in order.
fn directives(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{#") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        found.push(&rest[start..start + len + 2]);
        rest = &rest[start + len + 2..];
    }
    found
}

/// A message that is nothing but directives: a translated page keeps it as it
/// is, so it stays out of the catalogue.
fn directive_only(id: &str) -> bool {
    let spans = directives(id);
    !spans.is_empty()
        && spans
            .iter()
            .fold(id.to_owned(), |left, span| left.replacen(span, "", 1))
            .trim()
            .is_empty()
}

/// A message with nothing a reader would translate, which a translated page
/// shows as it is because it is not in the catalogue: directive lines, a
/// string literal of a code block (`"{:?}"`), and text that is only code spans,
/// numbers and punctuation (`` `close(ch)` ``, `72.30, 1.00`).
fn nothing_to_translate(id: &str) -> bool {
    let inner = id.strip_prefix('"').and_then(|s| s.strip_suffix('"'));
    if inner.is_some_and(|s| !s.contains('"') && !s.contains('\n')) {
        return true;
    }
    let without_code: String = id.split('`').step_by(2).collect();
    directive_only(id) || !without_code.chars().any(char::is_alphabetic)
}

/// Markdown link targets `](...)`, sorted: a translation moves links, never
/// changes where they go.
fn link_targets(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            rest.find(')').map(|end| &rest[..end])
        })
        .collect();
    found.sort_unstable();
    found
}

/// `{name}` placeholders of our string tables (`i18n/ui.rs`), sorted: the
/// renderer fills them in, so a translation keeps every one.
fn placeholders(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = text
        .match_indices('{')
        .filter_map(|(at, _)| {
            let rest = &text[at + 1..];
            let end = rest.find('}')?;
            let name = &rest[..end];
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .then_some(name)
        })
        .collect();
    found.sort_unstable();
    found
}

/// The template: mdbook-xgettext's messages without the directive-only ones,
/// then the quizzes' messages it does not already have.
pub fn template(xgettext_pot: &str, quiz_messages: &[(String, Vec<String>)]) -> Result<String> {
    let entries =
        po::parse(xgettext_pot).map_err(|e| anyhow!("mdbook-xgettext's template: {e}"))?;
    let mut out = String::from(
        // Every field mdbook-gettext's PO reader (polib) insists on; no dates,
        // so that an update without an English change changes nothing.
        "msgid \"\"\nmsgstr \"\"\n\
         \"Project-Id-Version: Who Closes the Channel?\\n\"\n\
         \"POT-Creation-Date: \\n\"\n\
         \"PO-Revision-Date: \\n\"\n\
         \"Last-Translator: \\n\"\n\
         \"Language-Team: \\n\"\n\
         \"Language: \\n\"\n\
         \"MIME-Version: 1.0\\n\"\n\
         \"Content-Type: text/plain; charset=UTF-8\\n\"\n\
         \"Content-Transfer-Encoding: 8bit\\n\"\n\
         \"Plural-Forms: nplurals=1; plural=0;\\n\"\n\n",
    );
    let mut ids = HashSet::new();
    for entry in entries
        .iter()
        .filter(|e| !e.is_header() && !nothing_to_translate(&e.id))
    {
        if entry.ctxt.is_some() {
            return Err(anyhow!("unexpected msgctxt for {:?}", entry.id));
        }
        ids.insert(entry.id.as_str());
        out.push_str(&po::write_entry(&entry.references, &entry.id, ""));
    }
    for (id, files) in quiz_messages {
        if !ids.contains(id.as_str()) {
            out.push_str(&po::write_entry(files, id, ""));
        }
    }
    Ok(out)
}

/// One message that is not (soundly) translated, for the report.
pub struct Problem {
    what: &'static str,
    reference: String,
    id: String,
}

pub struct Stats {
    lang: String,
    total: usize,
    translated: usize,
    fuzzy: usize,
    untranslated: usize,
    unsound: usize,
    problems: Vec<Problem>,
}

impl Stats {
    /// Compares the template at `pot` with `po/LANG.po`.
    pub fn of(root: &Path, lang: &str, pot: &Path) -> Result<Stats> {
        let read = |path: &Path| -> Result<Vec<Entry>> {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
            po::parse(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
        };
        let template = read(pot)?;
        let catalogue = read(&root.join("po").join(format!("{lang}.po")))?;
        Ok(Stats::compare(lang, &template, &catalogue))
    }

    fn compare(lang: &str, template: &[Entry], catalogue: &[Entry]) -> Stats {
        let by_id: HashMap<&str, &Entry> = catalogue
            .iter()
            .filter(|e| !e.obsolete && !e.is_header())
            .map(|e| (e.id.as_str(), e))
            .collect();
        let mut stats = Stats {
            lang: lang.to_owned(),
            total: 0,
            translated: 0,
            fuzzy: 0,
            untranslated: 0,
            unsound: 0,
            problems: Vec::new(),
        };
        for wanted in template.iter().filter(|e| !e.is_header()) {
            stats.total += 1;
            let problem = match by_id.get(wanted.id.as_str()) {
                Some(found) if found.is_translated() => {
                    if directives(&found.translation) != directives(&wanted.id) {
                        stats.unsound += 1;
                        Some("a directive differs from the English")
                    } else if link_targets(&found.translation) != link_targets(&wanted.id) {
                        stats.unsound += 1;
                        Some("a link target differs from the English")
                    } else if placeholders(&found.translation) != placeholders(&wanted.id) {
                        stats.unsound += 1;
                        Some("a {placeholder} differs from the English")
                    } else {
                        stats.translated += 1;
                        None
                    }
                }
                Some(found) if found.fuzzy => {
                    stats.fuzzy += 1;
                    Some("fuzzy (the English changed)")
                }
                _ => {
                    stats.untranslated += 1;
                    Some("untranslated")
                }
            };
            if let Some(what) = problem {
                stats.problems.push(Problem {
                    what,
                    reference: wanted.references.join(" "),
                    id: wanted.id.clone(),
                });
            }
        }
        stats
    }

    pub fn complete(&self) -> bool {
        self.translated == self.total
    }

    fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            // Message counts are far below f64's exact integer range.
            #[allow(clippy::cast_precision_loss)]
            let ratio = self.translated as f64 / self.total as f64;
            ratio * 100.0
        }
    }

    /// "zh-CN 100.0 % translated", for the summary of `cargo dev test`.
    pub fn short(&self) -> String {
        format!("{} {:.1} % translated", self.lang, self.percent())
    }

    /// The first problems, one a line, with where the English is.
    pub fn problems(&self) -> String {
        const SHOWN: usize = 20;
        let mut out = String::new();
        for p in self.problems.iter().take(SHOWN) {
            let first_line: String = p.id.lines().next().unwrap_or("").chars().take(70).collect();
            out.push_str(&format!("  {}: {} {first_line:?}\n", p.what, p.reference));
        }
        if self.problems.len() > SHOWN {
            out.push_str(&format!("  ... and {} more\n", self.problems.len() - SHOWN));
        }
        out
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} of {} messages translated ({:.1} %); {} fuzzy, {} untranslated, \
             {} with a changed directive, link or placeholder",
            self.lang,
            self.translated,
            self.total,
            self.percent(),
            self.fuzzy,
            self.untranslated,
            self.unsound
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, translation: &str, fuzzy: bool) -> Entry {
        Entry {
            id: id.to_owned(),
            translation: translation.to_owned(),
            fuzzy,
            ..Entry::default()
        }
    }

    #[test]
    fn directive_lines_are_recognised() {
        assert!(directive_only(
            "{{#listing go/a.go:x run=\"cd go && go run ./a\"}}"
        ));
        assert!(directive_only(
            "{{#compare go=\"a\"\n           rust=\"b\"}}"
        ));
        assert!(directive_only(
            "{{#output a.out cmd=\"x\"}}\n\n{{#output b.out cmd=\"y\"}}"
        ));
        assert!(!directive_only("Run it: {{#listing a.go}}"));
        assert!(!directive_only("Plain text."));
    }

    #[test]
    fn code_and_numbers_are_left_out_and_prose_is_not() {
        for id in [
            "\"{:?}\"",
            "\"the consumer is still running\"",
            "`close(ch)`",
            "72.30, 1.00",
            "1",
        ] {
            assert!(nothing_to_translate(id), "{id}");
        }
        for id in [
            "\"Go only passes by value\" vs moves",
            "Slices and `Vec`",
            "209.29 ms, 611 reads",
            "// E0382: `tags` was moved into `with_tags`",
        ] {
            assert!(!nothing_to_translate(id), "{id}");
        }
    }

    #[test]
    fn counts_translated_fuzzy_missing_and_unsound() {
        let template = [
            entry("One.", "", false),
            entry("Two.", "", false),
            entry("Three.", "", false),
            entry("See [the leak](../leak/index.md#the-story).", "", false),
            entry("Five.", "", false),
        ];
        let catalogue = [
            entry("One.", "一。", false),
            entry("Two.", "二。", true),
            entry(
                "See [the leak](../leak/index.md#the-story).",
                "见[泄漏](../leak/index.md#故事)。",
                false,
            ),
            entry("Five.", "", false),
        ];
        let stats = Stats::compare("zh-CN", &template, &catalogue);
        assert_eq!(
            (
                stats.total,
                stats.translated,
                stats.fuzzy,
                stats.untranslated,
                stats.unsound
            ),
            (5, 1, 1, 2, 1)
        );
        assert!(!stats.complete());
        assert!(stats.problems().contains("fuzzy"), "{}", stats.problems());
        assert!(
            stats
                .to_string()
                .contains("1 of 5 messages translated (20.0 %)")
        );
    }

    #[test]
    fn a_translation_must_keep_every_placeholder() {
        assert_eq!(
            placeholders("Question {number} of {total}"),
            ["number", "total"]
        );
        assert!(placeholders("`HashMap{}` and {:?} and {Foo}").is_empty());
        let template = [entry("Question {number} of {total}", "", false)];
        let kept = [entry(
            "Question {number} of {total}",
            "第 {number} 题，共 {total} 题",
            false,
        )];
        assert!(Stats::compare("zh-CN", &template, &kept).complete());
        let lost = [entry(
            "Question {number} of {total}",
            "第 {number} 题",
            false,
        )];
        let stats = Stats::compare("zh-CN", &template, &lost);
        assert_eq!((stats.unsound, stats.complete()), (1, false));
        assert!(
            stats.problems().contains("placeholder"),
            "{}",
            stats.problems()
        );
    }

    #[test]
    fn a_complete_catalogue_is_complete() {
        let template = [entry("One.", "", false)];
        let catalogue = [entry("One.", "一。", false)];
        let stats = Stats::compare("zh-CN", &template, &catalogue);
        assert!(stats.complete());
        assert_eq!(stats.short(), "zh-CN 100.0 % translated");
    }

    #[test]
    fn the_template_drops_directives_and_adds_quizzes_once() {
        let pot = "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n\
                   #: src/a.md\nmsgid \"Prose.\"\nmsgstr \"\"\n\n\
                   #: src/a.md\nmsgid \"{{#listing go/a.go}}\"\nmsgstr \"\"\n";
        let quiz = vec![
            ("Prose.".to_owned(), vec!["src/a/quiz.toml".to_owned()]),
            ("Why?".to_owned(), vec!["src/a/quiz.toml".to_owned()]),
        ];
        let text = template(pot, &quiz).unwrap();
        let ids: Vec<String> = po::parse(&text)
            .unwrap()
            .into_iter()
            .filter(|e| !e.is_header())
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, ["Prose.", "Why?"]);
    }
}
