//! Tidy check: every document the code and the docs cite is in the
//! repository. The design the project works to is written here
//! (ARCHITECTURE.md); a comment that cites a file outside the repository
//! points a maintainer at something they cannot open.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

/// The tracked text files a maintainer reads: code, docs, scripts.
fn tracked_text_files(root: &Path) -> Vec<PathBuf> {
    let out = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git ls-files failed");
    String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|p| {
            [".rs", ".md", ".js", ".mjs", ".toml", ".sh", ".css"]
                .iter()
                .any(|ext| p.ends_with(ext))
        })
        .map(PathBuf::from)
        .collect()
}

/// Document names as a maintainer writes them: `README.md`,
/// `go/README.md`, `xtask/BENCH.md`: an upper-case file name ending in
/// `.md`, with an optional relative folder before it.
fn cited_documents(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let is_path = |b: u8| b.is_ascii_alphanumeric() || b"_-./".contains(&b);
    let mut i = 0;
    while let Some(at) = text[i..].find(".md") {
        let end = i + at + 3;
        let after_ok = bytes.get(end).is_none_or(|b| !is_path(*b) || *b == b'.');
        let mut start = i + at;
        while start > 0 && is_path(bytes[start - 1]) {
            start -= 1;
        }
        let token = text[start..end].trim_start_matches("./");
        let name = token.rsplit('/').next().unwrap_or(token);
        let stem = &name[..name.len() - 3];
        let upper = !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-');
        let in_url = text[start..].starts_with("//") || text[..start].ends_with(':');
        if after_ok && upper && !in_url {
            found.push(token.to_owned());
        }
        i = end;
    }
    found
}

fn exists(root: &Path, file: &Path, cited: &str, tracked: &[PathBuf]) -> bool {
    let dir = file.parent().unwrap_or(Path::new(""));
    if root.join(cited).is_file() || root.join(dir).join(cited).is_file() {
        return true;
    }
    // A bare `README.md` may mean the one beside the file or any
    // crate's: enough that the repository has one.
    !cited.contains('/')
        && tracked
            .iter()
            .any(|t| t.file_name() == Some(cited.as_ref()))
}

#[test]
fn every_cited_document_is_in_the_repository() {
    let root = root();
    let files = tracked_text_files(&root);
    let mut missing = Vec::new();
    for file in &files {
        // This file names the forbidden citations to test the scanner.
        if file.ends_with("tidy_references.rs") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        for (n, line) in text.lines().enumerate() {
            if line.contains("DESIGN §") {
                missing.push(format!(
                    "{}:{}: cites `DESIGN §`, a design file outside the repository: cite ARCHITECTURE.md",
                    file.display(),
                    n + 1
                ));
            }
            for cited in cited_documents(line) {
                if !exists(&root, file, &cited, &files) {
                    missing.push(format!(
                        "{}:{}: cites `{cited}`, which is not in the repository",
                        file.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_scanner_finds_document_names_and_skips_the_rest() {
    assert_eq!(
        cited_documents("see DESIGN.md §11 and go/README.md, not src/leak/index.md"),
        ["DESIGN.md", "go/README.md"]
    );
    assert_eq!(
        cited_documents("(ARCHITECTURE.md). https://x.org/README.md"),
        ["ARCHITECTURE.md"]
    );
    assert!(cited_documents("a.md b.mdx README.mdx").is_empty());
}
