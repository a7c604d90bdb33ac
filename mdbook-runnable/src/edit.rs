//! Editable listings: with the local runner, a listing or pane that the
//! build can tie to one runnable program gets Edit / Run / Reset. The build
//! decides which ones ([`editable`]), marks their element with
//! `data-edit-id`, and writes every one to `edits.json` beside the commands
//! manifest. The runner takes only the edited text from the page: the
//! program, the file and the region come from this manifest.
//!
//! A listing is editable when it has a run command (`run=`, or a pane's
//! `go_run=` / `rust_run=`) and the listed file is part of what that command
//! builds: for `go run ./PKG`, a non-test `.go` file of PKG or of a package
//! PKG imports directly; for `cargo run -p listings --example NAME`,
//! `listings/examples/NAME.rs` or a file of the crate's library
//! (`listings/src/`). A playground listing is not (mdBook's own Run button
//! owns it). The edit replaces the anchored region only (or the whole file),
//! in a scratch copy of the package ([`splice`]); line numbers map back by
//! the region's offset ([`pane_line`]).

use crate::anchors::{Marker, Spec, marker};
use crate::commands::{self, Place};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The manifest's file name, written next to the commands manifest.
pub const MANIFEST_NAME: &str = "edits.json";

/// The largest edited text the runner accepts (the request's body).
pub const MAX_TEXT: usize = 64 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditManifest {
    pub edits: Vec<Editable>,
}

/// One editable listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Editable {
    /// The page's `data-edit-id`, and the runner's `/api/edit/ID`.
    pub id: String,
    /// The program: a command id of the commands manifest.
    pub command: String,
    /// The folder copied to scratch: `go` or `listings`.
    pub package: String,
    /// The listed file, relative to `package` (`slices/cmd/lost/main.go`).
    pub file: String,
    /// The region the page shows; none: the whole file.
    pub anchor: Option<String>,
    /// The file's line (from 1) that the pane's first line becomes once
    /// the edit is spliced in.
    pub first_line: usize,
    pub shown_at: Place,
}

impl EditManifest {
    pub fn edit(&self, id: &str) -> Option<&Editable> {
        self.edits.iter().find(|e| e.id == id)
    }

    pub fn load(path: &Path) -> Result<EditManifest, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: {e} (it is written by `mdbook build` / `mdbook serve`)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Editable {
    /// The file from the book root (`go/slices/cmd/lost/main.go`).
    pub fn path(&self) -> String {
        format!("{}/{}", self.package, self.file)
    }
}

/// The listing's entry when `spec` (shown with `run`) is editable, `None`
/// when it is not (see the module's doc). `root` is the book root.
pub fn editable(
    root: &Path,
    spec: &Spec,
    run: &str,
    at: Place,
) -> Result<Option<Editable>, String> {
    let parsed = commands::parse(run, root)?;
    let Some(package) = builds(root, &parsed.program, &parsed.args, &spec.path) else {
        return Ok(None);
    };
    let text = crate::anchors::read_file(root, &spec.path)?;
    let (_, first_line) = splice(&text, spec.anchor.as_deref(), "")?;
    let file = spec.path[package.len() + 1..].to_owned();
    Ok(Some(Editable {
        id: listing_id(spec),
        command: parsed.id(),
        package: package.to_owned(),
        file,
        anchor: spec.anchor.clone(),
        first_line,
        shown_at: at,
    }))
}

/// The package copied to scratch, when the command's build includes `path`.
fn builds(root: &Path, program: &str, args: &[String], path: &str) -> Option<&'static str> {
    if crate::experiments::check_inside(path, "go").is_ok() && program == "go" {
        let pkg = args.get(1)?.strip_prefix("./")?;
        let file = Path::new(path);
        let name = file.file_name()?.to_str()?;
        if !name.ends_with(".go") || name.ends_with("_test.go") {
            return None;
        }
        let dir = file.parent()?.strip_prefix("go").ok()?;
        if dir == Path::new(pkg) || imports(root, pkg, dir) {
            return Some("go");
        }
        return None;
    }
    if crate::experiments::check_inside(path, "listings").is_ok()
        && program == "cargo"
        && args.windows(2).any(|w| w == ["-p", "listings"])
    {
        let example = args.windows(2).find(|w| w[0] == "--example")?[1].clone();
        let in_lib = path.starts_with("listings/src/");
        if (in_lib || path == format!("listings/examples/{example}.rs")) && path.ends_with(".rs") {
            return Some("listings");
        }
    }
    None
}

/// Whether a non-test file of `go/PKG` imports the package in `go/DIR`.
fn imports(root: &Path, pkg: &str, dir: &Path) -> bool {
    let Some(module) = std::fs::read_to_string(root.join("go/go.mod"))
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("module ").map(|s| s.trim().to_owned()))
        })
    else {
        return false;
    };
    let wanted = format!("\"{module}/{}\"", dir.display());
    std::fs::read_dir(root.join("go").join(pkg))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".go") && !name.ends_with("_test.go")
        })
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .any(|src| src.contains(&wanted))
}

/// `go/slices/cmd/lost/main.go:lost_main` → `go-slices-cmd-lost-main-go-lost_main`,
/// at most 64 characters (a long one keeps its end, which names the region).
pub fn listing_id(spec: &Spec) -> String {
    let mut id = String::new();
    for c in spec.to_string().chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-');
    let start = id.len().saturating_sub(64);
    id[start..].trim_start_matches('-').to_owned()
}

/// `text` with the region of `anchor` (every line between its markers, or
/// the whole file without one) replaced by `edited`, indented as the region
/// was (the page shows it dedented); and the line (from 1) where `edited`
/// starts.
pub fn splice(text: &str, anchor: Option<&str>, edited: &str) -> Result<(String, usize), String> {
    let lines: Vec<&str> = text.lines().collect();
    let (start, end) = match anchor {
        None => (0, lines.len()),
        Some(name) => {
            let open = lines
                .iter()
                .position(|l| marker(l) == Some(Marker::Start(name)))
                .ok_or_else(|| format!("no `ANCHOR: {name}` in the file"))?;
            let close = lines[open + 1..]
                .iter()
                .position(|l| marker(l) == Some(Marker::End(name)))
                .ok_or_else(|| format!("`ANCHOR: {name}` has no `ANCHOR_END: {name}`"))?;
            (open + 1, open + 1 + close)
        }
    };
    let indent = crate::anchors::common_indent(
        lines[start..end]
            .iter()
            .copied()
            .filter(|l| marker(l).is_none()),
    );
    let mut out: Vec<String> = lines[..start].iter().map(|l| (*l).to_owned()).collect();
    out.extend(edited.lines().map(|l| {
        if l.trim().is_empty() {
            String::new()
        } else {
            format!("{indent}{l}")
        }
    }));
    out.extend(lines[end..].iter().map(|l| (*l).to_owned()));
    let mut joined = out.join("\n");
    joined.push('\n');
    Ok((joined, start + 1))
}

/// The pane's line (from 1) for `line` of the spliced file, when it is one
/// of the `count` edited lines starting at `first`.
pub fn pane_line(line: usize, first: usize, count: usize) -> Option<usize> {
    (line >= first && line < first + count).then(|| line - first + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "package main\n\nfunc main() {\n\t// ANCHOR: body\n\tx := 1\n\n\tprintln(x)\n\t// ANCHOR_END: body\n}\n";

    #[test]
    fn a_region_is_replaced_reindented_and_its_first_line_counted() {
        let (out, first) = splice(SRC, Some("body"), "y := 2\nprintln(y)\n").unwrap();
        assert_eq!(
            out,
            "package main\n\nfunc main() {\n\t// ANCHOR: body\n\ty := 2\n\tprintln(y)\n\t// ANCHOR_END: body\n}\n"
        );
        assert_eq!(first, 5);
        assert_eq!(out.lines().nth(first - 1), Some("\ty := 2"));
        let (whole, first) = splice(SRC, None, "package main\n").unwrap();
        assert_eq!((whole.as_str(), first), ("package main\n", 1));
        assert!(splice(SRC, Some("nope"), "").is_err());
    }

    #[test]
    fn file_lines_map_back_to_pane_lines_by_the_region_offset() {
        // The region starts at line 5 and has 2 lines.
        assert_eq!(pane_line(5, 5, 2), Some(1));
        assert_eq!(pane_line(6, 5, 2), Some(2));
        assert_eq!(pane_line(4, 5, 2), None);
        assert_eq!(pane_line(7, 5, 2), None);
    }

    #[test]
    fn ids_are_slugs_of_the_spec_and_safe_as_a_path_part() {
        let id = listing_id(&Spec::parse("go/slices/cmd/lost/main.go:lost_main"));
        assert_eq!(id, "go-slices-cmd-lost-main-go-lost_main");
        let long = listing_id(&Spec::parse(&format!("go/{}/main.go:x", "a".repeat(80))));
        assert!(long.len() <= 64 && long.ends_with("main-go-x"), "{long}");
        assert!(crate::experiments::is_valid_id(&id));
        assert!(crate::experiments::is_valid_id(&long));
    }

    #[test]
    fn a_listing_with_its_program_is_marked_and_others_are_not() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let page = |md: &str| crate::expand_page(&root, "slices/index.md", md).unwrap();
        let marked = page(
            "{{#listing go/slices/cmd/alias/main.go:alias run=\"cd go && go run ./slices/cmd/alias\"}}\n",
        );
        assert!(
            marked.contains(
                "<div class=\"runnable-listing\" data-lang=\"go\" data-edit-id=\"go-slices-cmd-alias-main-go-alias\">"
            ),
            "{marked}"
        );
        let pane = page(
            "{{#compare go=\"go/slices/cmd/alias/main.go:alias\" rust=\"listings/src/slices.rs:alias\" \
             rust_run=\"cargo run -p listings --example slice_alias\"}}\n",
        );
        assert!(
            pane.contains("data-lang=\"rust\" data-edit-id=\"listings-src-slices-rs-alias\""),
            "{pane}"
        );
        assert!(
            pane.contains("<div class=\"runnable-pane\" data-lang=\"go\" data-pairs="),
            "a pane without a run command is not editable: {pane}"
        );
        for md in [
            "{{#listing go/slices/cmd/alias/main.go:alias}}\n",
            "{{#listing go/slices/cmd/lost/main.go:lost_main run=\"cd go && go run ./slices/cmd/alias\"}}\n",
        ] {
            assert!(!page(md).contains("data-edit-id"), "{md}");
        }
    }

    #[test]
    fn only_files_the_command_builds_are_editable() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let go = |file: &str, run: &str| {
            let p = commands::parse(run, &root).unwrap();
            builds(&root, &p.program, &p.args, file)
        };
        let lost = "cd go && go run ./slices/cmd/lost";
        assert_eq!(go("go/slices/cmd/lost/main.go", lost), Some("go"));
        assert_eq!(go("go/slices/cmd/alias/main.go", lost), None);
        assert_eq!(go("go/../Cargo.toml", lost), None);
        let rust = "cargo run -p listings --example slice_lost";
        assert_eq!(go("listings/src/slices.rs", rust), Some("listings"));
        assert_eq!(
            go("listings/examples/slice_lost.rs", rust),
            Some("listings")
        );
        assert_eq!(go("listings/examples/slice_alias.rs", rust), None);
        assert_eq!(go("go/slices/cmd/lost/main.go", rust), None);
    }
}
