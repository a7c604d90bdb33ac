//! Where in the book an exercise is taught: the chapter's title, the section
//! that holds its card, and their URLs under `cargo xtask serve`: on the port
//! a running `serve` uses (`my-work/serve.json`), else the default one.

use manifest::Exercise;
use std::path::Path;

/// Where `cargo xtask serve` shows the book by default. `127.0.0.1`, not
/// `localhost`: that may resolve to `::1`, where mdBook does not listen.
pub const DEFAULT_BOOK_URL: &str = "http://127.0.0.1:3000";

/// The book's URL: the running `serve`'s, else the default.
pub fn book_url(root: &Path) -> String {
    crate::serve::info::live_book_url(root).unwrap_or_else(|| DEFAULT_BOOK_URL.to_owned())
}

pub struct Place {
    /// The chapter page's `# title`.
    pub chapter_title: String,
    /// The `##`/`###` heading above the exercise's card.
    pub section: String,
    /// The page's URL.
    pub page_url: String,
    /// The section's URL (the page with the heading's anchor).
    pub section_url: String,
}

impl Place {
    /// One line for the learner: what to read, and where.
    pub fn read_line(&self) -> String {
        format!(
            "read {} ({}); the exercise is in its section {} ({})",
            quoted(&self.chapter_title),
            self.page_url,
            quoted(&self.section),
            self.section_url
        )
    }

    /// Where the exercise's card is: its section, chapter and URL.
    pub fn section_line(&self) -> String {
        format!(
            "the section {} of {} ({})",
            quoted(&self.section),
            quoted(&self.chapter_title),
            self.section_url
        )
    }
}

pub fn place(root: &Path, ex: &Exercise) -> Place {
    let text = std::fs::read_to_string(root.join("src").join(&ex.chapter)).unwrap_or_default();
    let card = format!("{{{{#exercise {}}}}}", ex.id);
    let mut chapter_title = ex.chapter.clone();
    let mut section = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence {
            continue;
        }
        if let Some(title) = line.strip_prefix("# ") {
            chapter_title = title.trim().to_owned();
        } else if let Some(title) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            section = title.trim().to_owned();
        } else if line.trim() == card {
            break;
        }
    }
    let page_url = format!(
        "{}/{}",
        book_url(root),
        ex.chapter
            .strip_suffix(".md")
            .unwrap_or(&ex.chapter)
            .to_owned()
            + ".html"
    );
    let section_url = if section.is_empty() {
        page_url.clone()
    } else {
        format!("{page_url}#{}", anchor(&section))
    };
    if section.is_empty() {
        section = chapter_title.clone();
    }
    Place {
        chapter_title,
        section,
        page_url,
        section_url,
    }
}

/// A title in quotes; in single ones when it has double quotes of its own
/// (`"Go only passes by value": copies in Go, ...`).
fn quoted(title: &str) -> String {
    if title.contains('"') {
        format!("'{title}'")
    } else {
        format!("\"{title}\"")
    }
}

/// mdBook's heading id, as `id_from_content` in mdbook-html 0.5.4 makes it:
/// the text trimmed and lowercased, letters, digits, `_` and `-` kept,
/// spaces as `-`, everything else dropped.
pub fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_mdbook() {
        assert_eq!(anchor("Exercises"), "exercises");
        assert_eq!(
            anchor("Where Rust still deadlocks or leaks"),
            "where-rust-still-deadlocks-or-leaks"
        );
        assert_eq!(anchor("`Vec` and `&mut`"), "vec-and-mut");
    }

    #[test]
    fn titles_are_quoted_once() {
        assert_eq!(quoted("Exercises"), "\"Exercises\"");
        assert_eq!(
            quoted("\"Go only passes by value\": copies"),
            "'\"Go only passes by value\": copies'"
        );
    }

    #[test]
    fn finds_the_section_of_every_real_exercise() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let manifest = manifest::Manifest::load(&root).unwrap();
        for ex in &manifest.exercises {
            let p = place(&root, ex);
            assert!(!p.chapter_title.ends_with(".md"), "{}: no # title", ex.id);
            assert!(p.section_url.starts_with(&p.page_url), "{}", ex.id);
            assert!(p.page_url.ends_with(".html"), "{}", ex.id);
            assert!(
                !p.read_line().contains("\"\""),
                "{}: {}",
                ex.id,
                p.read_line()
            );
        }
    }
}
