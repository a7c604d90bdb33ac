//! Aligned lines: a Go line and a Rust line that do the same thing carry the
//! same name in a trailing comment, `// pair: NAME` (several names are
//! separated by spaces; a name may mark several lines on each side).
//! rustfmt moves a comment that follows an opening `{` to a line of its own,
//! which would add a line, so a line ending in `{` is marked from below:
//! `^NAME` marks the line above the marker's, `^^NAME` the one above that. The
//! marker never reaches the reader: it is cut from every region shown, the
//! way anchor lines are. In a `{{#compare}}` the names become the panes'
//! `data-pairs` (theme/runnable-align.js highlights a line with its
//! counterparts), and a name marked in one pane only fails the build.
//!
//! A marker only ever trails code, so adding one never moves a line: program
//! outputs the book checks carry `file:line` positions.

use std::borrow::Cow;
use std::collections::BTreeMap;

/// The marker, after the code and its spaces.
pub const MARKER: &str = "// pair:";

/// One marked line of a shown region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub name: String,
    /// 1-based line as the reader sees it (the region's first line is 1).
    pub shown_line: usize,
    /// 1-based line in the source file, for error messages.
    pub source_line: usize,
}

/// Splits a source line into its code, the marker cut off, and the names it
/// marks (none for an unmarked line), each with its carets (see `up`).
pub fn split(line: &str) -> Result<(Cow<'_, str>, Vec<&str>), String> {
    let Some(at) = line.rfind(MARKER) else {
        return Ok((Cow::Borrowed(line), Vec::new()));
    };
    let code = unpadded(line[..at].trim_end());
    let names: Vec<&str> = line[at + MARKER.len()..].split_whitespace().collect();
    if code.trim().is_empty() {
        return Err(format!(
            "`{MARKER}` must trail a line of code (a marker on a line of its own \
             would move the lines after it)"
        ));
    }
    if names.is_empty() {
        return Err(format!("`{MARKER}` names no pair"));
    }
    if let Some(bad) = names.iter().find(|n| !is_name(n.trim_start_matches('^'))) {
        return Err(format!(
            "`{MARKER} {bad}`: a pair name is lower-case letters, digits, `_` and `-`"
        ));
    }
    Ok((code, names))
}

/// The line with any marker cut off; a malformed marker is left as it is.
pub fn strip(line: &str) -> Cow<'_, str> {
    split(line).map_or(Cow::Borrowed(line), |(code, _)| code)
}

/// Every line of `text` with its marker cut off (an experiment's edit, shown
/// as a diff).
pub fn strip_all(text: &str) -> String {
    text.lines().map(|l| strip(l) + "\n").collect()
}

/// gofmt aligns the trailing comments of neighbouring lines, so a marker
/// pads a comment the line already had (`x := 1      // why // pair: p`).
/// Without the marker the padding aligns nothing: one space is what the
/// reader saw before the marker was added.
fn unpadded(code: &str) -> Cow<'_, str> {
    let Some(comment) = code.find("  //") else {
        return Cow::Borrowed(code);
    };
    let before = code[..comment].trim_end();
    if before.trim().is_empty() {
        return Cow::Borrowed(code);
    }
    Cow::Owned(format!("{before} {}", code[comment..].trim_start()))
}

/// A name as written after `// pair:`: how many lines above the marker's own
/// line it marks (one per leading `^`), and the name itself.
pub fn up(written: &str) -> (usize, &str) {
    let name = written.trim_start_matches('^');
    (written.len() - name.len(), name)
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// Shown lines by name, in order: `close:3,4 spawn:7`, the value of a pane's
/// `data-pairs` (names and digits only, so it needs no escaping).
pub fn attribute(marks: &[Mark]) -> String {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for mark in marks {
        let lines = by_name.entry(&mark.name).or_default();
        if !lines.contains(&mark.shown_line) {
            lines.push(mark.shown_line);
        }
    }
    by_name
        .iter()
        .map(|(name, lines)| {
            let mut lines = lines.clone();
            lines.sort_unstable();
            let lines: Vec<String> = lines.iter().map(ToString::to_string).collect();
            format!("{name}:{}", lines.join(","))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One pane's side of a comparison: which file its marks are in, for errors.
pub struct Side<'a> {
    pub label: &'a str,
    pub path: &'a str,
    pub spec: String,
    pub marks: &'a [Mark],
}

/// Every name marked on one side only, as `path:line: ...` messages.
pub fn lonely(a: &Side, b: &Side) -> Vec<String> {
    let mut problems = Vec::new();
    for (this, other) in [(a, b), (b, a)] {
        let mut reported: Vec<&str> = Vec::new();
        for mark in this.marks {
            if reported.contains(&mark.name.as_str())
                || other.marks.iter().any(|m| m.name == mark.name)
            {
                continue;
            }
            reported.push(&mark.name);
            problems.push(format!(
                "{}:{}: pair `{}` has no counterpart in the {} pane (`{}` marks no line `{MARKER} {}`)",
                this.path, mark.source_line, mark.name, other.label, other.spec, mark.name
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(name: &str, shown_line: usize, source_line: usize) -> Mark {
        Mark {
            name: name.to_owned(),
            shown_line,
            source_line,
        }
    }

    #[test]
    fn splits_the_marker_off_the_code() {
        assert_eq!(
            split("\tdefer close(out) // pair: close").unwrap(),
            ("\tdefer close(out)".into(), vec!["close"])
        );
        assert_eq!(
            split("    s.spawn(|| work(tx)); // pair: spawn send").unwrap(),
            ("    s.spawn(|| work(tx));".into(), vec!["spawn", "send"])
        );
        assert_eq!(
            split("x := 1 // a note").unwrap(),
            ("x := 1 // a note".into(), vec![])
        );
    }

    #[test]
    fn keeps_the_comment_before_the_marker() {
        let (code, names) =
            split("defer close(records) // the sender closes // pair: close").unwrap();
        assert_eq!(
            (code.as_ref(), names),
            ("defer close(records) // the sender closes", vec!["close"])
        );
    }

    #[test]
    fn drops_the_padding_gofmt_added_for_the_marker() {
        let (code, _) = split("\tb := append(a, 4)        // fits // pair: b").unwrap();
        assert_eq!(code, "\tb := append(a, 4) // fits");
        let (code, _) = split("\t\t// a comment line  // pair: b").unwrap();
        assert_eq!(code, "\t\t// a comment line");
        assert_eq!(
            strip("x := 1      // why"),
            "x := 1      // why",
            "unmarked lines keep theirs"
        );
    }

    #[test]
    fn a_malformed_marker_is_an_error() {
        assert!(split("// pair: close").unwrap_err().contains("must trail"));
        assert!(split("x() // pair:").unwrap_err().contains("names no pair"));
        assert!(
            split("x() // pair: Close!")
                .unwrap_err()
                .contains("lower-case")
        );
        assert_eq!(strip("x() // pair: Close!"), "x() // pair: Close!");
        assert_eq!(strip("x() // pair: close"), "x()");
        assert_eq!(strip_all("a() // pair: a\nb()\n"), "a()\nb()\n");
    }

    #[test]
    fn carets_count_lines_up() {
        assert_eq!(
            split("    self.hits += 1; // pair: inc ^receiver")
                .unwrap()
                .1,
            vec!["inc", "^receiver"]
        );
        assert_eq!(up("^^spawn"), (2, "spawn"));
        assert_eq!(up("send"), (0, "send"));
        assert!(split("x() // pair: ^").unwrap_err().contains("lower-case"));
    }

    #[test]
    fn the_attribute_lists_lines_by_name() {
        let marks = [
            mark("spawn", 7, 30),
            mark("close", 3, 10),
            mark("close", 4, 11),
        ];
        assert_eq!(attribute(&marks), "close:3,4 spawn:7");
        assert_eq!(attribute(&[]), "");
    }

    #[test]
    fn a_name_on_one_side_only_is_reported_once_with_its_source_line() {
        let go = [
            mark("close", 3, 40),
            mark("wait", 5, 42),
            mark("wait", 6, 43),
        ];
        let rust = [mark("close", 2, 20), mark("spawn", 4, 22)];
        let problems = lonely(
            &Side {
                label: "Go",
                path: "go/a.go",
                spec: "go/a.go:job".to_owned(),
                marks: &go,
            },
            &Side {
                label: "Rust",
                path: "listings/a.rs",
                spec: "listings/a.rs:job".to_owned(),
                marks: &rust,
            },
        );
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("go/a.go:42: pair `wait` has no counterpart in the Rust pane"),
            "{}",
            problems[0]
        );
        assert!(
            problems[1]
                .starts_with("listings/a.rs:22: pair `spawn` has no counterpart in the Go pane"),
            "{}",
            problems[1]
        );
    }
}
