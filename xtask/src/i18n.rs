//! `cargo xtask i18n`: the book in other languages, kept in step with the
//! English by gettext. The workflow, for translators and maintainers, is in
//! `po/README.md`; the words, in `po/GLOSSARY.md`.
//!
//! - The template is every English message of the book: mdbook-xgettext's
//!   paragraphs, headings, list items and table cells, minus the directive
//!   lines (`{{#listing ...}}`: a translated page keeps them because they are
//!   not in the catalogue, so no translator can change one), plus the quizzes'
//!   prompts, choices and explanations and the guided experiments' titles,
//!   questions, choices and explanations (`quiz.rs`), plus our own words: the
//!   preprocessor's and the page scripts' string tables and the exercise
//!   manifest's titles, tasks and hints (`ui.rs`). It is generated into
//!   `target/i18n/messages.pot`, never committed: it is always the English as
//!   it is now.
//! - `po/LANG.po` is the catalogue, committed. `update` merges the template
//!   into it with GNU gettext's `msgmerge` (a changed English sentence becomes
//!   a fuzzy entry holding the old translation); `check` fails unless every
//!   message of the template is translated and none is fuzzy.
//! - `build` builds `book/LANG/` with mdbook-gettext as a preprocessor
//!   (`book.toml`), through a build copy of the catalogue that also maps each
//!   `{{#quiz src/CH/quiz.toml}}` to a translated copy of the quiz, and
//!   `[preprocessor.runnable] experiments-dir` pointing at translated copies
//!   of the experiments.

mod catalogue;
mod po;
mod quiz;
mod ui;

use crate::{book, process};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// mdbook-i18n-helpers (mdbook-xgettext, mdbook-gettext), built for mdBook 0.5.
pub const HELPERS_VERSION: &str = "0.4.0";

/// Every translation of the book; each has `po/LANG.po`.
pub const LANGUAGES: &[&str] = &["zh-CN"];

const USAGE: &str = "\
usage: cargo xtask i18n <update|check|build> [LANG]
  update [LANG]  after an English edit: extract the English messages and merge
                 them into po/LANG.po (changed ones become fuzzy); then
                 translate every fuzzy or empty entry and run `check`
  check [LANG]   fail unless every message is translated and none is fuzzy;
                 prints the translated percentage
  build [LANG]   build book/LANG/ (a partial translation builds too)
LANG: one of the languages in po/ (default: all of them)";

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let languages = match args.get(1) {
        Some(lang) if LANGUAGES.contains(&lang.as_str()) => vec![lang.as_str()],
        Some(lang) => {
            return Err(format!(
                "no translation `{lang}`; the languages are: {}",
                LANGUAGES.join(", ")
            ));
        }
        None => LANGUAGES.to_vec(),
    };
    match args.first().map(String::as_str) {
        Some("update") => languages.iter().try_for_each(|lang| update(root, lang)),
        Some("check") => languages
            .iter()
            .try_for_each(|lang| check(root, lang).map(|stats| println!("{stats}"))),
        Some("build") => languages.iter().try_for_each(|lang| {
            build(root, lang)?;
            println!("{}", catalogue::Stats::of(root, lang, &extract(root)?)?);
            Ok(())
        }),
        _ => Err(USAGE.to_owned()),
    }
}

/// The step of `cargo xtask test`, after the English book is built: every
/// translation builds, and its catalogue is complete. Returns the note for the
/// summary line, the translated percentage of each language.
pub fn build_and_check_all(root: &Path) -> Result<String, String> {
    let mut notes = Vec::new();
    for lang in LANGUAGES {
        build(root, lang)?;
        let stats = check(root, lang)?;
        println!("{stats}");
        notes.push(stats.short());
    }
    Ok(notes.join(", "))
}

/// Every translation into `book/LANG/`, after the English book (whose build
/// empties `book/`).
pub fn build_all(root: &Path) -> Result<(), String> {
    LANGUAGES.iter().try_for_each(|lang| build(root, lang))
}

fn work_dir(root: &Path) -> PathBuf {
    root.join("target").join("i18n")
}

/// Installs the pinned mdBook and mdbook-i18n-helpers unless they are there
/// (`cargo install --list` lists the helpers' version).
fn ensure_tools(root: &Path) -> Result<(), String> {
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

/// `update` merges with GNU gettext; `check` and `build` do not need it.
fn ensure_gettext() -> Result<(), String> {
    match process::version("msgmerge") {
        Some(_) => Ok(()),
        None => Err("GNU gettext's `msgmerge` is not installed: on Debian, \
                     `sudo bash .ci/install-i18n.sh` (package `gettext`)"
            .to_owned()),
    }
}

/// Runs `mdbook build` with configuration overrides (mdBook reads
/// `MDBOOK_*` variables as book.toml keys).
fn mdbook_build(root: &Path, dest: &Path, env: &[(String, String)]) -> Result<(), String> {
    let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
    println!("$ {} mdbook build -d {}", shown.join(" "), dest.display());
    let status = Command::new("mdbook")
        .args(["build", "-d"])
        .arg(dest)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot start `mdbook`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "`mdbook build -d {}` failed ({status})",
            dest.display()
        ))
    }
}

/// Writes the template, `target/i18n/messages.pot`, from the English as it is.
fn extract(root: &Path) -> Result<PathBuf, String> {
    ensure_tools(root)?;
    let dest = work_dir(root).join("xgettext");
    let _ = std::fs::remove_dir_all(&dest);
    // Only the xgettext renderer; no line numbers in the references, so that
    // an edit elsewhere in a page does not touch every entry below it.
    let output = r#"{"xgettext": {"pot-file": "messages.pot", "granularity": 0}}"#;
    // Without mdBook's own `links` preprocessor: mdbook-gettext runs before it
    // (book.toml), so it sees `{{#include ...}}` lines, not the files they
    // include, and the template must hold the messages it will look up.
    // (mdBook then warns that `runnable`'s `before = ["links"]` names a
    // preprocessor it does not run: harmless here.)
    mdbook_build(
        root,
        &dest,
        &[
            ("MDBOOK_OUTPUT".into(), output.into()),
            (
                "MDBOOK_BUILD__USE_DEFAULT_PREPROCESSORS".into(),
                "false".into(),
            ),
        ],
    )?;
    let book_pot = dest.join("messages.pot");
    let text = std::fs::read_to_string(&book_pot)
        .map_err(|e| format!("mdbook-xgettext wrote no {}: {e}", book_pot.display()))?;
    let mut extra = book_strings(root)?;
    extra.extend(quiz::messages(root, &quiz::QUIZ)?);
    extra.extend(quiz::messages(root, &quiz::EXPERIMENTS)?);
    extra.extend(ui::messages(root)?);
    let template = catalogue::template(&text, &extra)?;
    let pot = work_dir(root).join("messages.pot");
    std::fs::write(&pot, template).map_err(|e| format!("cannot write {}: {e}", pot.display()))?;
    Ok(pot)
}

/// `cargo xtask i18n update LANG`.
fn update(root: &Path, lang: &str) -> Result<(), String> {
    ensure_gettext()?;
    let pot = extract(root)?;
    let pot_arg = pot.display().to_string();
    let po = format!("po/{lang}.po");
    if root.join(&po).exists() {
        process::run(
            root,
            "msgmerge",
            &[
                "--quiet",
                "--update",
                "--backup=none",
                "--previous",
                &po,
                &pot_arg,
            ],
        )?;
    } else {
        let locale = lang.replace('-', "_");
        process::run(
            root,
            "msginit",
            &[
                "--no-translator",
                "--locale",
                &locale,
                "--input",
                &pot_arg,
                "--output-file",
                &po,
            ],
        )?;
    }
    let stats = catalogue::Stats::of(root, lang, &pot)?;
    println!("{stats}");
    if !stats.complete() {
        println!(
            "Translate every entry of {po} that is marked `#, fuzzy` (the English changed: \
             fix the translation, then delete the flag) or has an empty msgstr, then run \
             `cargo xtask i18n check {lang}`."
        );
    }
    Ok(())
}

/// `cargo xtask i18n check LANG`: the catalogue is complete and sound.
fn check(root: &Path, lang: &str) -> Result<catalogue::Stats, String> {
    let pot = extract(root)?;
    let stats = catalogue::Stats::of(root, lang, &pot)?;
    if stats.complete() {
        Ok(stats)
    } else {
        Err(format!(
            "{stats}\n{}\nAfter changing the English: `cargo xtask i18n update {lang}`, \
             translate what it marks in po/{lang}.po (po/README.md), then \
             `cargo xtask i18n check {lang}`.",
            stats.problems()
        ))
    }
}

/// The configuration a translated build (or `mdbook serve` of one) needs,
/// as `MDBOOK_*` variables; prepares the build copy of the catalogue and the
/// translated quizzes under `target/i18n/LANG/` first.
pub fn prepare(root: &Path, lang: &str) -> Result<Vec<(String, String)>, String> {
    ensure_tools(root)?;
    let po_path = root.join("po").join(format!("{lang}.po"));
    let po_text = std::fs::read_to_string(&po_path).map_err(|e| {
        format!(
            "cannot read {}: {e} (start a translation with `cargo xtask i18n update {lang}`)",
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
fn book_strings(root: &Path) -> Result<Vec<(String, Vec<String>)>, String> {
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

/// `cargo xtask i18n build LANG`: `book/LANG/`, checked like the English book.
pub fn build(root: &Path, lang: &str) -> Result<(), String> {
    let env = prepare(root, lang)?;
    let dest = root.join("book").join(lang);
    mdbook_build(root, &dest, &env)?;
    let dest_arg = dest.display().to_string();
    process::run(
        root,
        "cargo",
        &[
            "run",
            "-q",
            "-p",
            "mdbook-runnable",
            "--",
            "check-html",
            &dest_arg,
        ],
    )
    .map_err(|e| format!("book/{lang} does not look as book.toml promises: {e}"))?;
    println!("book/{lang}: built and checked");
    Ok(())
}
