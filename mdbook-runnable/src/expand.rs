//! Expands one chapter: every directive of ours is replaced by its block;
//! mdBook's own (`{{#include}}`, ...) are left for mdBook's `links`.

use crate::diagnostic::LineError;
use crate::env::{Env, Found, Site};
use crate::render::{self, DirectiveName};
use crate::scan;
use std::path::Path;

/// mdBook's own, handled after us by its `links` preprocessor.
pub const MDBOOK: &[&str] = &[
    "include",
    "rustdoc_include",
    "playground",
    "playpen",
    "title",
];

/// Expands the page `file` (from the book root, `src/leak/index.md`);
/// `chapter` is the same page below `src/`, used to check that an exercise
/// card sits on the page the manifest names. What the page shows is
/// recorded in `found`.
pub fn expand(
    text: &str,
    file: &str,
    chapter: &Path,
    env: &Env,
    found: &mut Found,
) -> Result<String, Vec<LineError>> {
    let mut out = String::with_capacity(text.len());
    let mut errors = Vec::new();
    let mut copied_up_to = 0;
    for scanned in scan::directives(text, is_ours) {
        let directive = match scanned {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let name = directive.name;
        if MDBOOK.contains(&name) || env.passthrough.iter().any(|p| p == name) {
            continue;
        }
        let line = directive.line;
        let Ok(which) = name.parse::<DirectiveName>() else {
            errors.push(LineError::new(line, unknown(name)));
            continue;
        };
        let line_start = text[..directive.range.start]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let indent = &text[line_start..directive.range.start];
        let rest_of_line = text[directive.range.end..].split('\n').next().unwrap_or("");
        if !indent.trim().is_empty() || !rest_of_line.trim().is_empty() {
            errors.push(LineError::new(
                line,
                format!("{{{{#{name} ...}}}} must stand on a line of its own: it becomes a block"),
            ));
            continue;
        }
        let site = Site {
            file,
            chapter,
            line,
        };
        match render::render(which, directive.args, env, site, found) {
            Ok(block) => {
                out.push_str(&text[copied_up_to..directive.range.start]);
                out.push_str(&indented(&block, indent));
                copied_up_to = directive.range.end;
            }
            Err(message) => errors.push(LineError::new(line, message)),
        }
    }
    if errors.is_empty() {
        out.push_str(&text[copied_up_to..]);
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Keeps a block inside the list item (or other container) it was written in.
/// The block ends with a newline: with the directive's own line end that
/// leaves a blank line, which ends our last HTML block.
fn indented(block: &str, indent: &str) -> String {
    if indent.is_empty() {
        return block.to_owned();
    }
    let mut out = String::with_capacity(block.len());
    for (i, line) in block.split_inclusive('\n').enumerate() {
        if i > 0 && !line.trim().is_empty() {
            out.push_str(indent);
        }
        out.push_str(line);
    }
    out
}

fn is_ours(name: &str) -> bool {
    name.parse::<DirectiveName>().is_ok()
}

fn unknown(name: &str) -> String {
    let ours = DirectiveName::ALL.map(DirectiveName::as_str);
    let mut message = format!(
        "unknown directive `{{{{#{name}}}}}`: mdbook-runnable knows {} (and mdBook itself {})",
        ours.join(", "),
        MDBOOK.join(", ")
    );
    if let Some(close) = ours.iter().find(|known| edit_distance(name, known) <= 2) {
        message.push_str(&format!("; did you mean `{{{{#{close}}}}}`?"));
    } else {
        message.push_str(
            "; another preprocessor's directive can be allowed with \
             `passthrough = [\"NAME\"]` under [preprocessor.runnable]",
        );
    }
    message
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_directive_meant() {
        assert_eq!(edit_distance("excercise", "exercise"), 1);
        assert!(unknown("excercise").contains("did you mean `{{#exercise}}`"));
        assert!(unknown("tabs").contains("passthrough"));
    }

    #[test]
    fn indents_every_line_after_the_first() {
        assert_eq!(
            indented("<div>\n\ntext\n</div>\n", "  "),
            "<div>\n\n  text\n  </div>\n"
        );
    }
}
