//! Listings from files, whole or between mdBook-style anchors:
//! `// ANCHOR: name` … `// ANCHOR_END: name`. Anchor lines never reach the
//! reader, and an anchored region is dedented, so a method body reads like
//! top-level code.

use crate::pairs::{self, Mark};
use std::path::Path;

/// `path` or `path:anchor`, as written in a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub path: String,
    pub anchor: Option<String>,
}

impl Spec {
    pub fn parse(spec: &str) -> Spec {
        match spec.rsplit_once(':') {
            Some((path, anchor)) if !path.is_empty() && is_anchor_name(anchor) => Spec {
                path: path.to_owned(),
                anchor: Some(anchor.to_owned()),
            },
            _ => Spec {
                path: spec.to_owned(),
                anchor: None,
            },
        }
    }

    /// Reads the file below `root` and cuts out the anchor, if any.
    pub fn read(&self, root: &Path) -> Result<String, String> {
        let text = read_file(root, &self.path)?;
        extract(&text, self.anchor.as_deref()).map_err(|e| format!("{}: {e}", self.path))
    }

    /// Like `read`, with the pair marks the region carried (`pairs.rs`).
    pub fn read_marked(&self, root: &Path) -> Result<Shown, String> {
        let text = read_file(root, &self.path)?;
        extract_marked(&text, self.anchor.as_deref()).map_err(|e| format!("{}: {e}", self.path))
    }

    /// Like `read`, but for Rust that runs on the playground: the lines
    /// outside the anchor come along as hidden `# ` lines (as with mdBook's
    /// `{{#rustdoc_include}}`), so the anchored fragment still compiles.
    pub fn read_runnable_rust(&self, root: &Path) -> Result<String, String> {
        let text = read_file(root, &self.path)?;
        let Some(anchor) = self.anchor.as_deref() else {
            return extract(&text, None);
        };
        let shown = extract(&text, Some(anchor)).map_err(|e| format!("{}: {e}", self.path))?;
        let mut shown = shown.lines();
        let mut out = Vec::new();
        let mut inside = false;
        for line in text.lines() {
            match marker(line) {
                Some(Marker::Start(name)) if name == anchor && !inside => {
                    inside = true;
                    // The anchor's lines, already dedented, in one go.
                    out.extend(shown.by_ref().map(str::to_owned));
                }
                Some(Marker::End(name)) if name == anchor && inside => inside = false,
                Some(_) => {}
                None if inside => {}
                None => out.push(format!("# {}", pairs::strip(line))),
            }
        }
        let out: Vec<(usize, &str)> = out.iter().map(|l| (0, l.as_str())).collect();
        Ok(region(&out, false)?.code)
    }
}

impl std::fmt::Display for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.anchor {
            Some(anchor) => write!(f, "{}:{anchor}", self.path),
            None => f.write_str(&self.path),
        }
    }
}

/// Reads a file named relative to `root`, with an error that says where it looked.
pub fn read_file(root: &Path, path: &str) -> Result<String, String> {
    let full = root.join(path);
    if !full.is_file() {
        return Err(format!(
            "`{path}` does not exist (looked in {})",
            root.display()
        ));
    }
    std::fs::read_to_string(&full).map_err(|e| format!("`{path}`: cannot read: {e}"))
}

fn is_anchor_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Marker<'a> {
    Start(&'a str),
    End(&'a str),
}

pub(crate) fn marker(line: &str) -> Option<Marker<'_>> {
    let name_after = |tag: &str| {
        let at = line.find(tag)?;
        let rest = line[at + tag.len()..].trim_start();
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (len > 0).then(|| &rest[..len])
    };
    if let Some(name) = name_after("ANCHOR_END:") {
        Some(Marker::End(name))
    } else {
        name_after("ANCHOR:").map(Marker::Start)
    }
}

/// The lines of `text` inside `anchor` (or all of it), anchor lines removed.
pub fn extract(text: &str, anchor: Option<&str>) -> Result<String, String> {
    extract_marked(text, anchor).map(|shown| shown.code)
}

/// A region as the reader sees it, and the pair marks its lines carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    pub code: String,
    pub marks: Vec<Mark>,
}

/// Like `extract`, also cutting the `// pair:` markers off (`pairs.rs`) and
/// returning where they were, in shown and in source lines.
pub fn extract_marked(text: &str, anchor: Option<&str>) -> Result<Shown, String> {
    let Some(anchor) = anchor else {
        let kept: Vec<(usize, &str)> = numbered(text)
            .filter(|(_, l)| marker(l).is_none())
            .collect();
        return region(&kept, false);
    };
    let mut lines = numbered(text);
    let start = lines
        .by_ref()
        .find(|(_, l)| marker(l) == Some(Marker::Start(anchor)))
        .map(|(n, _)| n)
        .ok_or_else(|| format!("no `ANCHOR: {anchor}` in the file"))?;
    let mut kept = Vec::new();
    for (n, line) in lines {
        match marker(line) {
            Some(Marker::End(name)) if name == anchor => {
                if kept
                    .iter()
                    .all(|(_, l): &(usize, &str)| l.trim().is_empty())
                {
                    return Err(format!("anchor `{anchor}` (line {start}) is empty"));
                }
                return region(&kept, true);
            }
            Some(_) => {}
            None => kept.push((n, line)),
        }
    }
    Err(format!(
        "`ANCHOR: {anchor}` (line {start}) has no `ANCHOR_END: {anchor}`"
    ))
}

/// Lines with their 1-based numbers in the file.
fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, l)| (i + 1, l))
}

/// Cuts the pair markers off, drops blank lines at both ends (gofmt wants a
/// blank line between a function's `}` and a following `// ANCHOR_END`, and
/// the book should not show it) and, for an anchor, removes the indentation
/// that every non-blank line shares.
fn region(lines: &[(usize, &str)], dedent: bool) -> Result<Shown, String> {
    let mut split = Vec::with_capacity(lines.len());
    for &(n, line) in lines {
        let (code, names) = pairs::split(line).map_err(|e| format!("line {n}: {e}"))?;
        split.push((n, code, names));
    }
    let first = split
        .iter()
        .position(|(_, l, _)| !l.trim().is_empty())
        .unwrap_or(0);
    let last = split
        .iter()
        .rposition(|(_, l, _)| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let split = &split[first..last.max(first)];
    let common = if dedent {
        common_indent(split.iter().map(|(_, l, _)| l.as_ref()))
    } else {
        ""
    };
    let mut code = split
        .iter()
        .map(|(_, l, _)| l.strip_prefix(common).unwrap_or(l.trim_start()))
        .collect::<Vec<_>>()
        .join("\n");
    code.push('\n');
    let mut marks = Vec::new();
    for (i, (n, _, names)) in split.iter().enumerate() {
        for written in names {
            let (up, name) = pairs::up(written);
            let Some(at) = i.checked_sub(up) else {
                return Err(format!(
                    "line {n}: `{written}` marks a line above the first one shown"
                ));
            };
            marks.push(Mark {
                name: name.to_owned(),
                shown_line: at + 1,
                source_line: split[at].0,
            });
        }
    }
    Ok(Shown { code, marks })
}

/// The indentation that every non-blank line shares.
pub(crate) fn common_indent<'a>(lines: impl Iterator<Item = &'a str>) -> &'a str {
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| &l[..l.len() - l.trim_start().len()])
        .reduce(|a, b| {
            let n = a
                .char_indices()
                .zip(b.chars())
                .find(|((_, x), y)| x != y)
                .map_or(a.len().min(b.len()), |((i, _), _)| i);
            &a[..n]
        })
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "\
package leak

// ANCHOR: job
func job() {
\t// ANCHOR: inner
\tx := 1
\t// ANCHOR_END: inner
\tif x > 0 {
\t\treturn
\t}
}
// ANCHOR_END: job

// ANCHOR: empty
// ANCHOR_END: empty
// ANCHOR: open
";

    #[test]
    fn specs_split_an_optional_anchor() {
        let s = Spec::parse("go/leak/pipeline.go:leaky_job");
        assert_eq!(
            (s.path.as_str(), s.anchor.as_deref()),
            ("go/leak/pipeline.go", Some("leaky_job"))
        );
        assert_eq!(Spec::parse("go/leak/pipeline.go").anchor, None);
    }

    #[test]
    fn extracts_an_anchor_without_inner_markers() {
        assert_eq!(
            extract(SRC, Some("job")).unwrap(),
            "func job() {\n\tx := 1\n\tif x > 0 {\n\t\treturn\n\t}\n}\n"
        );
    }

    #[test]
    fn drops_blank_lines_at_the_ends_of_an_anchor() {
        let src = "// ANCHOR: f\n\nfunc f() {}\n\n// ANCHOR_END: f\n";
        assert_eq!(extract(src, Some("f")).unwrap(), "func f() {}\n");
    }

    #[test]
    fn dedents_a_nested_anchor() {
        assert_eq!(extract(SRC, Some("inner")).unwrap(), "x := 1\n");
    }

    #[test]
    fn whole_file_drops_every_marker() {
        let whole = extract(SRC, None).unwrap();
        assert!(!whole.contains("ANCHOR"), "{whole}");
        assert!(whole.starts_with("package leak\n\nfunc job() {\n\tx := 1\n"));
    }

    #[test]
    fn pair_markers_are_cut_and_their_lines_kept() {
        let src = "package p\n\n// ANCHOR: f\nfunc f() {\n\n\tdefer close(out) // pair: close\n\tg.Go(work) // why // pair: spawn close\n}\n// ANCHOR_END: f\n";
        let shown = extract_marked(src, Some("f")).unwrap();
        assert_eq!(
            shown.code,
            "func f() {\n\ndefer close(out)\ng.Go(work) // why\n}\n"
                .replace("\nd", "\n\td")
                .replace("\ng", "\n\tg")
        );
        let marks: Vec<(&str, usize, usize)> = shown
            .marks
            .iter()
            .map(|m| (m.name.as_str(), m.shown_line, m.source_line))
            .collect();
        assert_eq!(marks, [("close", 3, 6), ("spawn", 4, 7), ("close", 4, 7)]);
        let whole = extract(src, None).unwrap();
        assert!(!whole.contains("pair"), "{whole}");
    }

    #[test]
    fn a_caret_marks_the_line_above() {
        let src = "// ANCHOR: f\nfn f() {\n    for x in xs {\n        use_it(x); // pair: use ^loop ^^sig\n    }\n}\n// ANCHOR_END: f\n";
        let shown = extract_marked(src, Some("f")).unwrap();
        let marks: Vec<(&str, usize, usize)> = shown
            .marks
            .iter()
            .map(|m| (m.name.as_str(), m.shown_line, m.source_line))
            .collect();
        assert_eq!(marks, [("use", 3, 4), ("loop", 2, 3), ("sig", 1, 2)]);
        let too_high = "// ANCHOR: g\nfn g() {} // pair: ^sig\n// ANCHOR_END: g\n";
        let err = extract_marked(too_high, Some("g")).unwrap_err();
        assert!(err.contains("line 2: `^sig` marks a line above"), "{err}");
    }

    #[test]
    fn a_marker_alone_on_its_line_is_an_error_with_its_line() {
        let err = extract("fn f() {}\n// pair: close\n", None).unwrap_err();
        assert!(err.starts_with("line 2: "), "{err}");
    }

    #[test]
    fn anchor_errors_say_what_is_missing() {
        assert!(
            extract(SRC, Some("nope"))
                .unwrap_err()
                .contains("no `ANCHOR: nope`")
        );
        assert!(
            extract(SRC, Some("open"))
                .unwrap_err()
                .contains("has no `ANCHOR_END: open`")
        );
        assert!(
            extract(SRC, Some("empty"))
                .unwrap_err()
                .contains("is empty")
        );
    }

    #[test]
    fn runnable_rust_hides_what_is_outside_the_anchor() {
        let dir = std::env::temp_dir().join(format!("runnable-anchor-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let src = "use std::fmt;\n// ANCHOR: main\nfn main() {\n    helper();\n}\n// ANCHOR_END: main\n// ANCHOR: other\nfn helper() {}\n// ANCHOR_END: other\n";
        std::fs::write(dir.join("a.rs"), src).unwrap();
        let got = Spec::parse("a.rs:main").read_runnable_rust(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            got,
            "# use std::fmt;\nfn main() {\n    helper();\n}\n# fn helper() {}\n"
        );
    }

    #[test]
    fn a_missing_file_is_named_relative_to_the_root() {
        let err = Spec::parse("go/nope.go")
            .read(Path::new("/tmp"))
            .unwrap_err();
        assert!(err.contains("`go/nope.go` does not exist"), "{err}");
    }
}
