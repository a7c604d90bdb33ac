//! Finds `{{#name args}}` directives in a chapter. Directives inside code
//! (fenced, indented or inline) and escaped ones (`\{{#...}}`) are text, so
//! the book and the README can show the syntax.

use crate::diagnostic::LineError;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive<'a> {
    pub name: &'a str,
    pub args: &'a str,
    /// Byte range of the whole `{{#...}}` in the chapter.
    pub range: Range<usize>,
    /// 1-based line of the opening `{{`.
    pub line: usize,
}

/// Every directive outside code, in order. A directive that opens but never
/// closes is an error only if `is_ours(name)`: other `{{` text is none of
/// our business.
pub fn directives<'a>(
    text: &'a str,
    is_ours: impl Fn(&str) -> bool,
) -> Vec<Result<Directive<'a>, LineError>> {
    let code = code_ranges(text);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = text[from..].find("{{") {
        let start = from + offset;
        from = start + 2;
        if in_code(start) || text[..start].ends_with('\\') {
            continue;
        }
        let after_braces = text[from..].trim_start();
        let Some(after_hash) = after_braces.strip_prefix('#') else {
            continue;
        };
        let name_len = after_hash
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after_hash.len());
        if name_len == 0 {
            continue;
        }
        let name = &after_hash[..name_len];
        let args_start = text.len() - after_hash.len() + name_len;
        let line = line_of(text, start);
        match closing_braces(&text[args_start..]) {
            Some(len) => {
                let args = &text[args_start..args_start + len];
                let end = args_start + len + 2;
                found.push(Ok(Directive {
                    name,
                    args,
                    range: start..end,
                    line,
                }));
                from = end;
            }
            None if is_ours(name) => {
                found.push(Err(LineError::new(
                    line,
                    format!("{{{{#{name} ...}}}} is never closed with `}}}}`"),
                )));
            }
            None => {}
        }
    }
    found
}

/// Offset of the `}}` that ends the arguments, skipping quoted values.
fn closing_braces(args: &str) -> Option<usize> {
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in args.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quote => escaped = true,
            '"' => in_quote = !in_quote,
            '}' if !in_quote && args[i..].starts_with("}}") => return Some(i),
            _ => {}
        }
    }
    None
}

pub fn line_of(text: &str, at: usize) -> usize {
    text[..at].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Byte ranges that mdBook will render as code, found with the same parser
/// and options that mdBook uses.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    Parser::new_ext(text, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &[&str] = &["listing", "exercise"];

    fn ours(name: &str) -> bool {
        OURS.contains(&name)
    }

    fn names(text: &str) -> Vec<(String, usize)> {
        directives(text, ours)
            .into_iter()
            .map(|d| {
                let d = d.unwrap();
                (d.name.to_owned(), d.line)
            })
            .collect()
    }

    #[test]
    fn finds_directives_with_their_lines() {
        let text = "# T\n\n{{#exercise leak_x}}\n\n{{#listing\n  a.rs\n  run=\"x }}\"}}\n";
        assert_eq!(
            names(text),
            [("exercise".to_owned(), 3), ("listing".to_owned(), 5)]
        );
        let d = directives(text, ours).pop().unwrap().unwrap();
        assert_eq!(d.args, "\n  a.rs\n  run=\"x }}\"");
        assert!(text[d.range].ends_with("\"}}"));
    }

    #[test]
    fn skips_code_and_escapes() {
        let text = "\
Use `{{#exercise a}}` inline, or

```markdown
{{#exercise b}}
```

    {{#exercise c}}

\\{{#exercise d}} and ``{{#listing e}}``

- item

  ~~~
  {{#listing f}}
  ~~~
";
        assert_eq!(names(text), []);
    }

    #[test]
    fn reports_unclosed_directives_of_ours_only() {
        let found = directives("{{#listing a.rs\n\nmore", ours);
        assert_eq!(found.len(), 1);
        let err = found[0].clone().unwrap_err();
        assert_eq!(err.line, 1);
        assert!(err.message.contains("never closed"), "{}", err.message);
        assert!(directives("{{#each items", ours).is_empty());
        assert!(directives("{{ not a directive }}", ours).is_empty());
    }
}
