//! The translated book's build configuration, which `cargo xtask serve
//! --lang LANG` needs: the build copy of `po/LANG.po` and the translated
//! quizzes and experiments under `target/i18n/LANG/` (`prepare`). The rest
//! of the translation workflow (extract, `update`, `check`, `build`) is the
//! maintainers' `cargo dev i18n` (`devtools/src/i18n.rs`, `po/README.md`).

pub mod po;
pub mod quiz;

use crate::{book, process};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// mdbook-i18n-helpers (mdbook-xgettext, mdbook-gettext), built for mdBook 0.5.
pub const HELPERS_VERSION: &str = "0.4.0";

/// Every translation of the book; each has `po/LANG.po`.
pub const LANGUAGES: &[&str] = &["zh-CN"];

pub fn work_dir(root: &Path) -> PathBuf {
    root.join("target").join("i18n")
}

/// Installs the pinned mdBook and mdbook-i18n-helpers unless they are there
/// (`cargo install --list` lists the helpers' version).
pub fn ensure_tools(root: &Path) -> Result<(), String> {
    book::ensure_mdbook(root)?;
    let wanted = format!("mdbook-i18n-helpers v{HELPERS_VERSION}:");
    let installed = process::capture(root, "cargo", &["install", "--list"])?;
    let listed = String::from_utf8_lossy(&installed.stdout);
    if !listed.lines().any(|line| line.trim() == wanted) {
        println!("installing mdbook-i18n-helpers {HELPERS_VERSION} (about a minute, once)...");
        process::run(
            root,
            "cargo",
            &[
                "install",
                "mdbook-i18n-helpers",
                "--locked",
                "--version",
                HELPERS_VERSION,
            ],
        )?;
    }
    Ok(())
}

/// The configuration a translated build (or `mdbook serve` of one) needs,
/// as `MDBOOK_*` variables; prepares the build copy of the catalogue and the
/// translated quizzes under `target/i18n/LANG/` first.
pub fn prepare(root: &Path, lang: &str) -> Result<Vec<(String, String)>, String> {
    ensure_tools(root)?;
    let po_path = root.join("po").join(format!("{lang}.po"));
    let po_text = std::fs::read_to_string(&po_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (start a translation with `cargo dev i18n update {lang}`)",
            po_path.display()
        )
    })?;
    let entries = po::parse(&po_text).map_err(|e| format!("{}: {e}", po_path.display()))?;
    let translations: HashMap<String, String> = entries
        .iter()
        .filter(|e| e.is_translated() && !e.obsolete && !e.is_header())
        .map(|e| (e.id.clone(), e.translation.clone()))
        .collect();

    let work = work_dir(root).join(lang);
    let quizzes = quiz::write_translated(root, &quiz::QUIZ, &work.join("quiz"), &translations)?;
    // The experiments are read from this folder instead of the book root
    // (`[preprocessor.runnable] experiments-dir`): same paths, translated.
    let experiments_dir = work.join("experiments");
    quiz::write_translated(root, &quiz::EXPERIMENTS, &experiments_dir, &translations)?;
    // The quiz directives are not in the catalogue (no translator edits a
    // directive); the build copy maps each to its translated quiz.
    let mut build_po = po_text;
    build_po.push('\n');
    for (original, translated) in &quizzes {
        build_po.push_str(&po::write_entry(
            &[],
            &format!("{{{{#quiz {original}}}}}"),
            &format!("{{{{#quiz {translated}}}}}"),
        ));
    }
    let po_dir = work.join("po");
    std::fs::create_dir_all(&po_dir)
        .map_err(|e| format!("cannot create {}: {e}", po_dir.display()))?;
    std::fs::write(po_dir.join(format!("{lang}.po")), build_po)
        .map_err(|e| format!("cannot write the build catalogue: {e}"))?;

    let relative = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let mut env = vec![
        ("MDBOOK_BOOK__LANGUAGE".to_owned(), lang.to_owned()),
        (
            "MDBOOK_PREPROCESSOR__GETTEXT__PO_DIR".to_owned(),
            relative(&po_dir),
        ),
        // The English build's commands manifest stays the English build's.
        (
            "MDBOOK_PREPROCESSOR__RUNNABLE__COMMANDS".to_owned(),
            relative(&work.join("commands.json")),
        ),
        (
            "MDBOOK_PREPROCESSOR__RUNNABLE__EXPERIMENTS_DIR".to_owned(),
            relative(&experiments_dir),
        ),
    ];
    // The 404 page links its scripts from `site-url` (`<base href>`): the
    // translation's own, under the English one.
    env.push((
        "MDBOOK_OUTPUT__HTML__SITE_URL".to_owned(),
        format!("{}{lang}/", site_url(root)?),
    ));
    // mdbook-gettext translates the pages, not book.toml.
    for (key, english) in BOOK_KEYS.iter().zip(book_strings(root)?) {
        if let Some(translated) = translations.get(&english.0) {
            env.push((
                format!("MDBOOK_BOOK__{}", key.to_uppercase()),
                translated.clone(),
            ));
        }
    }
    Ok(env)
}

/// The `[book]` keys a reader sees: the title in every page's menu bar and
/// `<title>`, the description in its `<meta>`.
const BOOK_KEYS: [&str; 2] = ["title", "description"];

fn book_toml(root: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(root.join("book.toml"))
        .map_err(|e| format!("cannot read book.toml: {e}"))?;
    text.parse().map_err(|e| format!("book.toml: {e}"))
}

/// `[output.html] site-url`, with mdBook's default `/`, ending in `/`.
fn site_url(root: &Path) -> Result<String, String> {
    let config = book_toml(root)?;
    let url = config
        .get("output")
        .and_then(|o| o.get("html"))
        .and_then(|h| h.get("site-url"))
        .and_then(toml::Value::as_str)
        .unwrap_or("/");
    Ok(if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    })
}

/// `[book]`'s title and description, as messages of the template.
pub fn book_strings(root: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
    let config = book_toml(root)?;
    BOOK_KEYS
        .iter()
        .map(|key| {
            config
                .get("book")
                .and_then(|b| b.get(*key))
                .and_then(toml::Value::as_str)
                .map(|s| (s.to_owned(), vec!["book.toml".to_owned()]))
                .ok_or_else(|| format!("book.toml has no [book] {key}"))
        })
        .collect()
}
