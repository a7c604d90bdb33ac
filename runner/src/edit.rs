//! The page's edit of a listing (`POST /api/edit/ID`), made ready to build
//! and run: the listing's package copied to a scratch folder, the edited
//! text spliced into the listed file's region there
//! (`mdbook_runnable::edit::splice`), then planned like any book command.
//! Which file, which region and which program come from the book's edits
//! and commands manifests; the request brings only the text. Afterwards
//! [`map_output`] points compiler and panic locations in that file at the
//! pane's lines.

use crate::experiment::Ready;
use mdbook_runnable::commands::BookCommand;
use mdbook_runnable::edit::{self, Editable};
use mdbook_runnable::experiments::{self, check_inside, is_valid_id};
use serde_json::{Value, json};
use std::path::Path;

/// The copy, and where the edited text starts in its file.
pub struct Prepared {
    pub ready: Ready,
    pub first_line: usize,
    pub lines: usize,
    /// The indentation the region got back in the file (the pane shows it
    /// dedented): a compiler's column counts it.
    pub indent: usize,
}

/// `scratch` is this listing's own folder (emptied first); Rust edits share
/// `shared_target` with the experiments, so dependencies compile once.
pub fn ready(
    root: &Path,
    entry: &Editable,
    command: &BookCommand,
    text: &str,
    scratch: &Path,
    shared_target: &Path,
) -> Result<Prepared, String> {
    // The manifest is data on disk: checked again before anything is written.
    if !is_valid_id(&entry.id) {
        return Err(format!("`{}` is not a valid listing id", entry.id));
    }
    // Each part plain: `go` + `//etc/x` would pass as `go/etc/x`.
    if entry
        .file
        .split('/')
        .any(|p| p.is_empty() || p == "." || p == "..")
    {
        return Err(format!(
            "`{}` is not a plain path in its package",
            entry.file
        ));
    }
    let path = entry.path();
    check_inside(&path, &entry.package)?;
    let scratch =
        &std::path::absolute(scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let copy = scratch.join("copy");
    let prepared = experiments::copy_package(
        root,
        &entry.package,
        &command.dir,
        &copy,
        shared_target,
        &format!("edit.{}", entry.id),
    )?;
    let target = copy.join(&path);
    let original = std::fs::read_to_string(&target).map_err(|e| format!("{path}: {e}"))?;
    let (spliced, first_line) = edit::splice(&original, entry.anchor.as_deref(), text)
        .map_err(|e| format!("{path}: {e}"))?;
    let indent = indent_added(&spliced, first_line, text);
    std::fs::write(&target, spliced).map_err(|e| format!("{}: {e}", target.display()))?;
    let ready = Ready::in_copy(command, prepared, scratch);
    Ok(Prepared {
        ready,
        first_line,
        lines: text.lines().count(),
        indent,
    })
}

/// How many characters [`edit::splice`] put before the pane's first
/// non-blank line.
fn indent_added(spliced: &str, first_line: usize, text: &str) -> usize {
    let Some(offset) = text.lines().position(|l| !l.trim().is_empty()) else {
        return 0;
    };
    let in_file = spliced.lines().nth(first_line - 1 + offset).unwrap_or("");
    let in_pane = text.lines().nth(offset).unwrap_or("");
    in_file
        .chars()
        .count()
        .saturating_sub(in_pane.chars().count())
}

/// Where the pane's text is in the spliced file: its first line, how many
/// lines, and the indentation each line got.
#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub first: usize,
    pub count: usize,
    pub indent: usize,
}

/// One location in the edited file that a compiler or a panic named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The pane's line, from 1.
    pub line: usize,
    pub column: Option<usize>,
    /// `error` or `warning`.
    pub kind: &'static str,
    pub text: String,
}

/// `text` with each location in `file` (`slices/cmd/lost/main.go:12:5`,
/// `--> listings/src/slices.rs:12:5`, a Go panic's `.../main.go:12 +0x1d`)
/// that falls in the edited lines annotated with the pane's line, and the
/// marks for the editor. `file` is the path inside its package; a location
/// is recognised when that path ends a word (`/`, a space or the line's
/// start before it).
pub fn map_output(
    text: &str,
    file: &str,
    region: Region,
    marks: &mut Vec<Mark>,
    last_message: &mut String,
) -> String {
    let Region {
        first,
        count,
        indent,
    } = region;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match locate(line, file) {
            Some((end, row, column)) => {
                let Some(pane) = edit::pane_line(row, first, count) else {
                    out.push_str(line);
                    continue;
                };
                let rest = line[end..].trim_end_matches(['\r', '\n']);
                let message = rest.strip_prefix(": ").map(str::trim).unwrap_or("");
                let message = if message.is_empty() {
                    last_message.clone()
                } else {
                    message.to_owned()
                };
                let kind = if message.starts_with("warning") {
                    "warning"
                } else {
                    "error"
                };
                marks.push(Mark {
                    line: pane,
                    column: column.map(|c| c.saturating_sub(indent).max(1)),
                    kind,
                    text: message,
                });
                out.push_str(&line[..end]);
                out.push_str(&format!(" (line {pane} in the editor)"));
                out.push_str(&line[end..]);
            }
            None => {
                let trimmed = line.trim();
                if trimmed.starts_with("error")
                    || trimmed.starts_with("warning")
                    || trimmed.starts_with("panic:")
                {
                    *last_message = trimmed.to_owned();
                }
                out.push_str(line);
            }
        }
    }
    out
}

/// Where `file:LINE[:COLUMN]` ends in `line`, the line and the column.
fn locate(line: &str, file: &str) -> Option<(usize, usize, Option<usize>)> {
    let mut from = 0;
    while let Some(found) = line[from..].find(file) {
        let at = from + found;
        from = at + file.len();
        let before = line[..at].chars().next_back();
        if !matches!(before, None | Some('/' | ' ' | '\t')) {
            continue;
        }
        let rest = &line[from..];
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(row) = rest[..digits].parse::<usize>() else {
            continue;
        };
        let mut end = from + 1 + digits;
        let after = &line[end..];
        let column = after.strip_prefix(':').and_then(|c| {
            let n = c.bytes().take_while(u8::is_ascii_digit).count();
            let col = c[..n].parse::<usize>().ok()?;
            end += 1 + n;
            Some(col)
        });
        return Some((end, row, column));
    }
    None
}

/// The result's `edit` part: the listing, its file and the marks.
pub fn marks_json(entry: &Editable, first_line: usize, marks: &[Mark]) -> Value {
    json!({
        "id": entry.id,
        "file": entry.path(),
        "first_line": first_line,
        "marks": marks.iter().map(|m| json!({
            "line": m.line,
            "column": m.column,
            "kind": m.kind,
            "text": m.text,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(text: &str, file: &str, first: usize, count: usize) -> (String, Vec<Mark>) {
        let mut marks = Vec::new();
        let region = Region {
            first,
            count,
            indent: 1,
        };
        let out = map_output(text, file, region, &mut marks, &mut String::new());
        (out, marks)
    }

    #[test]
    fn a_go_error_in_the_region_names_the_pane_line() {
        let out = "# example.com/workbook/slices/cmd/lost\n\
                   slices/cmd/lost/main.go:25:9: syntax error: unexpected newline\n\
                   slices/cmd/lost/main.go:3:1: outside the region\n";
        // The region starts at file line 23 and has 5 lines: 25 is its 3rd.
        let (text, marks) = map(out, "slices/cmd/lost/main.go", 23, 5);
        assert!(
            text.contains("main.go:25:9 (line 3 in the editor): syntax error"),
            "{text}"
        );
        assert!(text.contains("main.go:3:1: outside"), "{text}");
        assert_eq!(
            marks,
            [Mark {
                line: 3,
                column: Some(8),
                kind: "error",
                text: "syntax error: unexpected newline".to_owned()
            }]
        );
    }

    #[test]
    fn a_rustc_location_takes_the_message_above_it() {
        let out = "error[E0425]: cannot find value `y` in this scope\n  \
                   --> listings/src/slices.rs:40:20\n   |\n";
        let (text, marks) = map(out, "src/slices.rs", 38, 10);
        assert!(
            text.contains("slices.rs:40:20 (line 3 in the editor)"),
            "{text}"
        );
        assert_eq!(marks[0].line, 3);
        assert_eq!(marks[0].column, Some(19));
        assert_eq!(
            marks[0].text,
            "error[E0425]: cannot find value `y` in this scope"
        );
    }

    #[test]
    fn a_panic_trace_and_other_files_are_told_apart() {
        let out = "panic: boom\n\t/tmp/s/copy/go/slices/cmd/lost/main.go:24 +0x1d\n\
                   \t/tmp/s/copy/go/slices/cmd/lost/xmain.go:24 +0x1d\n";
        let (_, marks) = map(out, "slices/cmd/lost/main.go", 23, 5);
        assert_eq!(marks.len(), 1, "{marks:?}");
        assert_eq!((marks[0].line, marks[0].column), (2, None));
        assert_eq!(marks[0].text, "panic: boom");
    }
}
