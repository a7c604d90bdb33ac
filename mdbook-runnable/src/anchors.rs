//! Listings from files, whole or between mdBook-style anchors:
//! `// ANCHOR: name` … `// ANCHOR_END: name`. Anchor lines never reach the
//! reader, and an anchored region is dedented, so a method body reads like
//! top-level code.

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
                None => out.push(format!("# {line}")),
            }
        }
        Ok(join(&out.iter().map(String::as_str).collect::<Vec<_>>()))
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
    let Some(anchor) = anchor else {
        let kept: Vec<&str> = text.lines().filter(|l| marker(l).is_none()).collect();
        return Ok(join(&kept));
    };
    let mut lines = text.lines().enumerate();
    let start = lines
        .by_ref()
        .find(|(_, l)| marker(l) == Some(Marker::Start(anchor)))
        .map(|(i, _)| i + 1)
        .ok_or_else(|| format!("no `ANCHOR: {anchor}` in the file"))?;
    let mut kept = Vec::new();
    for (_, line) in lines {
        match marker(line) {
            Some(Marker::End(name)) if name == anchor => {
                if kept.iter().all(|l: &&str| l.trim().is_empty()) {
                    return Err(format!("anchor `{anchor}` (line {start}) is empty"));
                }
                return Ok(dedent(&kept));
            }
            Some(_) => {}
            None => kept.push(line),
        }
    }
    Err(format!(
        "`ANCHOR: {anchor}` (line {start}) has no `ANCHOR_END: {anchor}`"
    ))
}

/// Joins lines, dropping blank lines at both ends: gofmt wants a blank line
/// between a function's `}` and a following `// ANCHOR_END`, and the book
/// should not show it.
fn join(lines: &[&str]) -> String {
    let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let last = lines
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let mut out = lines[first..last.max(first)].join("\n");
    out.push('\n');
    out
}

/// Removes the indentation that every non-blank line shares.
fn dedent(lines: &[&str]) -> String {
    let common = lines
        .iter()
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
        .unwrap_or("");
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.strip_prefix(common).unwrap_or(l.trim_start()))
        .collect();
    join(&lines)
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
