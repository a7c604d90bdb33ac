//! Just enough of the gettext PO format for our catalogue: read entries
//! (context, id, translation, fuzzy flag, obsolete or not) and write new ones.
//! GNU gettext's `msgmerge` does the merging; this reads what it wrote.

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    pub ctxt: Option<String>,
    pub id: String,
    pub translation: String,
    pub fuzzy: bool,
    /// `#~` entries: kept by msgmerge for a message the English no longer has.
    pub obsolete: bool,
    /// `#:` lines: where the message comes from.
    pub references: Vec<String>,
}

impl Entry {
    pub fn is_header(&self) -> bool {
        self.id.is_empty() && self.ctxt.is_none()
    }

    pub fn is_translated(&self) -> bool {
        !self.translation.is_empty() && !self.fuzzy
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Ctxt,
    Id,
    Str,
}

/// Parses a PO file. Plural forms are not used by the book and are rejected.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries = Vec::new();
    let mut current = Entry::default();
    let mut field = Field::None;
    let mut started = false;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let (obsolete, line) = match raw.strip_prefix("#~") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, raw.trim_end()),
        };
        if line.is_empty() {
            continue;
        }
        let begins_entry = line.starts_with("msgctxt ")
            || (line.starts_with("msgid ") && field != Field::Ctxt)
            || (line.starts_with('#') && field == Field::Str);
        if begins_entry && started && field == Field::Str {
            entries.push(std::mem::take(&mut current));
            field = Field::None;
            started = false;
        }
        if obsolete {
            current.obsolete = true;
        }
        if let Some(rest) = line.strip_prefix("#,") {
            current.fuzzy |= rest.split(',').any(|flag| flag.trim() == "fuzzy");
        } else if let Some(rest) = line.strip_prefix("#:") {
            current
                .references
                .extend(rest.split_whitespace().map(str::to_owned));
        } else if line.starts_with('#') {
            // Translator and extracted comments, previous msgids: not needed.
        } else if let Some(rest) = line.strip_prefix("msgctxt ") {
            current.ctxt = Some(unquote(rest, line_no)?);
            field = Field::Ctxt;
            started = true;
        } else if let Some(rest) = line.strip_prefix("msgid ") {
            current.id = unquote(rest, line_no)?;
            field = Field::Id;
            started = true;
        } else if let Some(rest) = line.strip_prefix("msgstr ") {
            current.translation = unquote(rest, line_no)?;
            field = Field::Str;
        } else if line.starts_with("msgid_plural") || line.starts_with("msgstr[") {
            return Err(format!("line {line_no}: plural forms are not supported"));
        } else if line.starts_with('"') {
            let more = unquote(line, line_no)?;
            match field {
                Field::Ctxt => current.ctxt.get_or_insert_with(String::new).push_str(&more),
                Field::Id => current.id.push_str(&more),
                Field::Str => current.translation.push_str(&more),
                Field::None => return Err(format!("line {line_no}: a string outside an entry")),
            }
        } else {
            return Err(format!("line {line_no}: cannot read `{line}`"));
        }
    }
    if started {
        entries.push(current);
    }
    Ok(entries)
}

fn unquote(s: &str, line_no: usize) -> Result<String, String> {
    let inner = s
        .trim()
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("line {line_no}: expected a quoted string, found `{s}`"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            other => return Err(format!("line {line_no}: unknown escape `\\{other:?}`")),
        }
    }
    Ok(out)
}

/// A PO string literal, split after each newline the way gettext writes
/// long strings.
pub fn quote(s: &str) -> String {
    let escape = |part: &str| {
        part.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\t', "\\t")
            .replace('\n', "\\n")
    };
    if !s.contains('\n') {
        return format!("\"{}\"", escape(s));
    }
    let mut out = String::from("\"\"");
    for part in s.split_inclusive('\n') {
        out.push_str("\n\"");
        out.push_str(&escape(part));
        out.push('"');
    }
    out
}

/// One entry in PO syntax (without fuzzy flag: new entries are untranslated).
pub fn write_entry(references: &[String], id: &str, translation: &str) -> String {
    let mut out = String::new();
    for reference in references {
        out.push_str(&format!("#: {reference}\n"));
    }
    out.push_str(&format!(
        "msgid {}\nmsgstr {}\n\n",
        quote(id),
        quote(translation)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries_flags_and_multiline_strings() {
        let text = "msgid \"\"\nmsgstr \"Language: zh-CN\\n\"\n\n\
                    #: src/a.md:1\n#, fuzzy\nmsgid \"\"\n\"one \\\"two\\\"\\n\"\n\"three\"\nmsgstr \"一\"\n\n\
                    msgid \"plain\"\nmsgstr \"\"\n\n\
                    #~ msgid \"gone\"\n#~ msgstr \"没了\"\n";
        let entries = parse(text).unwrap();
        assert_eq!(entries.len(), 4);
        assert!(entries[0].is_header());
        assert_eq!(entries[1].id, "one \"two\"\nthree");
        assert!(entries[1].fuzzy && !entries[1].is_translated());
        assert_eq!(entries[1].references, ["src/a.md:1"]);
        assert!(!entries[2].is_translated());
        assert!(entries[3].obsolete);
        assert_eq!(entries[3].translation, "没了");
    }

    #[test]
    fn written_entries_read_back() {
        for id in [
            "one line",
            "two\nlines",
            "ends with newline\n",
            "a \"quote\" and \\",
        ] {
            let text = write_entry(&["x.toml".to_owned()], id, "译文");
            let back = parse(&text).unwrap();
            assert_eq!(back[0].id, id, "{text}");
            assert_eq!(back[0].translation, "译文");
        }
    }

    #[test]
    fn a_broken_line_is_an_error_with_its_number() {
        let err = parse("msgid \"a\"\nmsgstr oops\n").unwrap_err();
        assert!(err.starts_with("line 2:"), "{err}");
    }
}
