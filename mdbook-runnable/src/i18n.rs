//! The page in the book's language. A translated build (`book.language` is
//! not English, as `cargo dev i18n build` sets it) reads the catalogue,
//! `PO_DIR/LANG.po`, and looks up our own words (`strings.rs`), the exercise
//! manifest's titles, tasks and hints, and chapter titles in it; a message
//! without a translation stays English. The page scripts get their own
//! table's translations in the page (`script_tag`). `po/README.md` has the
//! workflow. The build's catalogue is `Env::catalogue`: every renderer gets
//! it with the `Env` it already takes.

use std::collections::BTreeMap;
use std::path::Path;

/// Translations by English message, from one PO file.
#[derive(Debug, Default, Clone)]
pub struct Catalogue {
    by_english: BTreeMap<String, String>,
    /// The messages whose `#:` references name a page script (`theme/`).
    for_scripts: BTreeMap<String, String>,
}

impl Catalogue {
    pub fn load(path: &Path) -> Result<Catalogue, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the catalogue {}: {e}", path.display()))?;
        Catalogue::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Reads the entries that matter here: translated, not fuzzy, not
    /// obsolete (`#~`), without a `msgctxt`.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let mut catalogue = Catalogue::default();
        let mut entry = PoEntry::default();
        let mut field: Option<&'static str> = None;
        for (n, line) in text.lines().map(str::trim_end).enumerate() {
            let at = |e: String| format!("line {}: {e}", n + 1);
            if line.is_empty() || line.starts_with("#~") {
                continue;
            }
            let starts_entry =
                line.starts_with('#') || line.starts_with("msgctxt ") || line.starts_with("msgid ");
            if starts_entry && field == Some("msgstr") {
                catalogue.add(std::mem::take(&mut entry));
                field = None;
            }
            if let Some(flags) = line.strip_prefix("#,") {
                entry.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
            } else if let Some(refs) = line.strip_prefix("#:") {
                entry.for_script |= refs.split_whitespace().any(|r| r.starts_with("theme/"));
            } else if line.starts_with('#') {
            } else if let Some((keyword, rest)) =
                line.split_once(' ').filter(|(k, _)| !k.starts_with('"'))
            {
                let keyword = match keyword {
                    "msgctxt" => "msgctxt",
                    "msgid" => "msgid",
                    "msgstr" => "msgstr",
                    other => return Err(at(format!("`{other}` is not supported"))),
                };
                field = Some(keyword);
                entry.push(keyword, &unquote(rest).map_err(at)?);
            } else if let Some(keyword) = field.filter(|_| line.starts_with('"')) {
                entry.push(keyword, &unquote(line).map_err(at)?);
            } else {
                return Err(at(format!("cannot read `{line}`")));
            }
        }
        catalogue.add(entry);
        Ok(catalogue)
    }

    fn add(&mut self, entry: PoEntry) {
        if entry.fuzzy || entry.ctxt.is_some() || entry.id.is_empty() || entry.str.is_empty() {
            return;
        }
        if entry.for_script {
            self.for_scripts.insert(entry.id.clone(), entry.str.clone());
        }
        self.by_english.insert(entry.id, entry.str);
    }

    pub fn is_empty(&self) -> bool {
        self.by_english.is_empty()
    }

    /// The translation of `english` (compared without surrounding blank
    /// lines, as the extractor writes it), or `english` itself.
    pub fn get(&self, english: &str) -> String {
        self.by_english
            .get(english.trim())
            .cloned()
            .unwrap_or_else(|| english.to_owned())
    }

    /// The page scripts' translations as a JSON script element, or nothing
    /// in English. The scripts fall back to English for any key not in it.
    pub fn script_tag(&self) -> String {
        if self.for_scripts.is_empty() {
            return String::new();
        }
        // `<` escaped: the JSON cannot end the script element early.
        let json = serde_json::to_string(&self.for_scripts)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        format!("\n<script type=\"application/json\" id=\"runnable-strings\">{json}</script>\n")
    }

    /// A table entry (`strings.rs`) translated, with each `{name}` filled.
    pub fn fill(&self, template: &str, values: &[(&str, &str)]) -> String {
        let mut out = self.get(template);
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }
}

#[derive(Debug, Default)]
struct PoEntry {
    ctxt: Option<String>,
    id: String,
    str: String,
    fuzzy: bool,
    for_script: bool,
}

impl PoEntry {
    fn push(&mut self, field: &str, text: &str) {
        match field {
            "msgctxt" => self.ctxt.get_or_insert_with(String::new).push_str(text),
            "msgid" => self.id.push_str(text),
            _ => self.str.push_str(text),
        }
    }
}

fn unquote(s: &str) -> Result<String, String> {
    let inner = s
        .trim()
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("expected a quoted string, found `{s}`"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        out.push(match (c, c == '\\') {
            (_, false) => c,
            (_, true) => match chars.next() {
                Some('n') => '\n',
                Some('t') => '\t',
                Some(c @ ('"' | '\\')) => c,
                other => return Err(format!("unknown escape `\\{}`", other.unwrap_or(' '))),
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PO: &str = "msgid \"\"\nmsgstr \"Language: zh-CN\\n\"\n\n\
        #: src/a.md\nmsgid \"Plain.\"\nmsgstr \"平常。\"\n\n\
        #: exercises/exercises.toml:3\nmsgid \"\"\n\"Two\\n\"\n\"lines \\\"quoted\\\"\"\nmsgstr \"\"\n\"两\\n\"\n\"行\"\n\n\
        #, fuzzy\nmsgid \"Changed.\"\nmsgstr \"旧的。\"\n\n\
        msgid \"Empty.\"\nmsgstr \"\"\n\n\
        msgctxt \"button\"\nmsgid \"Check\"\nmsgstr \"检查\"\n\n\
        #: theme/runnable.js:9 mdbook-runnable/src/strings.rs:3\nmsgid \"Try again\"\nmsgstr \"再试一次\"\n\n\
        #~ msgid \"Gone.\"\n#~ msgstr \"没了。\"\n";

    #[test]
    fn reads_translations_and_skips_fuzzy_empty_context_and_obsolete_ones() {
        let c = Catalogue::parse(PO).unwrap();
        assert_eq!(c.get("Plain."), "平常。");
        assert_eq!(c.get("\nTwo\nlines \"quoted\"\n"), "两\n行");
        for english in ["Changed.", "Empty.", "Check", "Gone.", "Unknown."] {
            assert_eq!(c.get(english), english);
        }
    }

    #[test]
    fn only_the_scripts_messages_reach_the_page_as_json() {
        let tag = Catalogue::parse(PO).unwrap().script_tag();
        assert!(tag.contains(r#"{"Try again":"再试一次"}"#), "{tag}");
        assert_eq!(Catalogue::default().script_tag(), "");
        let mut c = Catalogue::default();
        c.for_scripts.insert("a".into(), "</script>".into());
        assert!(
            !c.script_tag().contains("</script>\"}"),
            "{}",
            c.script_tag()
        );
    }

    #[test]
    fn fill_translates_then_fills_placeholders_and_english_is_the_default() {
        let values = [("number", "2"), ("total", "5")];
        assert_eq!(
            Catalogue::default().fill("Question {number} of {total}", &values),
            "Question 2 of 5"
        );
        let c = Catalogue::parse(
            "msgid \"Question {number} of {total}\"\nmsgstr \"第 {number} 题，共 {total} 题\"\n",
        )
        .unwrap();
        assert_eq!(
            c.fill("Question {number} of {total}", &values),
            "第 2 题，共 5 题"
        );
    }

    #[test]
    fn a_broken_catalogue_names_the_line() {
        let err = Catalogue::parse("msgid \"a\"\nmsgstr oops\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
        let err = Catalogue::parse("msgid \"a\"\nmsgid_plural \"b\"\n").unwrap_err();
        assert!(err.contains("msgid_plural"), "{err}");
    }
}
