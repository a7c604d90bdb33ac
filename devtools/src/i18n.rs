//! `cargo dev i18n`: the book in other languages, kept in step with the
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

use anyhow::{Context, Result, anyhow};
mod catalogue;
mod ui;

use crate::process;
use std::path::{Path, PathBuf};
use std::process::Command;
use xtask::i18n::{LANGUAGES, ensure_tools, quiz, work_dir};

/// `cargo dev i18n ACTION [LANG]`; LANG: one of the languages in po/
/// (default: all of them).
#[derive(clap::Subcommand)]
pub enum Action {
    /// After an English edit: extract the English messages and merge them
    /// into po/LANG.po (changed ones become fuzzy); then translate every fuzzy
    /// or empty entry and run `check`
    Update {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(LANGUAGES))]
        lang: Option<String>,
    },
    /// Fail unless every message is translated and none is fuzzy; prints the
    /// translated percentage
    Check {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(LANGUAGES))]
        lang: Option<String>,
    },
    /// Build book/LANG/ (a partial translation builds too)
    Build {
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(LANGUAGES))]
        lang: Option<String>,
    },
}

pub fn run(root: &Path, action: Action) -> Result<()> {
    let languages = |lang: Option<String>| match lang {
        Some(lang) => vec![lang],
        None => LANGUAGES.iter().map(|l| (*l).to_owned()).collect(),
    };
    match action {
        Action::Update { lang } => languages(lang)
            .iter()
            .try_for_each(|lang| update(root, lang)),
        Action::Check { lang } => languages(lang)
            .iter()
            .try_for_each(|lang| check(root, lang).map(|stats| println!("{stats}"))),
        Action::Build { lang } => languages(lang).iter().try_for_each(|lang| {
            build(root, lang)?;
            println!(
                "{}",
                catalogue::Stats::of(root, lang, &extract(root)?).map_err(anyhow::Error::msg)?
            );
            Ok(())
        }),
    }
}

/// The step of `cargo dev test`, after the English book is built: every
/// translation builds, and its catalogue is complete. Returns the note for the
/// summary line, the translated percentage of each language.
pub fn build_and_check_all(root: &Path) -> Result<String> {
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
pub fn build_all(root: &Path) -> Result<()> {
    LANGUAGES.iter().try_for_each(|lang| build(root, lang))
}

/// `update` merges with GNU gettext; `check` and `build` do not need it.
fn ensure_gettext() -> Result<()> {
    match process::version("msgmerge") {
        Some(_) => Ok(()),
        None => Err(anyhow!(
            "GNU gettext's `msgmerge` is not installed: on Debian, \
             `sudo bash .ci/install-i18n.sh` (package `gettext`)"
        )),
    }
}

/// Runs `mdbook build` with configuration overrides (mdBook reads
/// `MDBOOK_*` variables as book.toml keys).
fn mdbook_build(root: &Path, dest: &Path, env: &[(String, String)]) -> Result<()> {
    let shown: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
    println!("$ {} mdbook build -d {}", shown.join(" "), dest.display());
    let status = Command::new("mdbook")
        .args(["build", "-d"])
        .arg(dest)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .current_dir(root)
        .status()
        .context("cannot start `mdbook`")?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!(
            "`mdbook build -d {}` failed ({status})",
            dest.display()
        ))
    }
}

/// Writes the template, `target/i18n/messages.pot`, from the English as it is.
fn extract(root: &Path) -> Result<PathBuf> {
    ensure_tools(root).map_err(anyhow::Error::msg)?;
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
        .map_err(|e| anyhow!("mdbook-xgettext wrote no {}: {e}", book_pot.display()))?;
    let mut extra = xtask::i18n::book_strings(root).map_err(anyhow::Error::msg)?;
    extra.extend(quiz::messages(root, &quiz::QUIZ).map_err(anyhow::Error::msg)?);
    extra.extend(quiz::messages(root, &quiz::EXPERIMENTS).map_err(anyhow::Error::msg)?);
    extra.extend(ui::messages(root).map_err(anyhow::Error::msg)?);
    let template = catalogue::template(&text, &extra).map_err(anyhow::Error::msg)?;
    let pot = work_dir(root).join("messages.pot");
    std::fs::write(&pot, template).map_err(|e| anyhow!("cannot write {}: {e}", pot.display()))?;
    Ok(pot)
}

/// `cargo dev i18n update LANG`.
fn update(root: &Path, lang: &str) -> Result<()> {
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
    let stats = catalogue::Stats::of(root, lang, &pot).map_err(anyhow::Error::msg)?;
    println!("{stats}");
    if !stats.complete() {
        println!(
            "Translate every entry of {po} that is marked `#, fuzzy` (the English changed: \
             fix the translation, then delete the flag) or has an empty msgstr, then run \
             `cargo dev i18n check {lang}`."
        );
    }
    Ok(())
}

/// `cargo dev i18n check LANG`: the catalogue is complete and sound.
fn check(root: &Path, lang: &str) -> Result<catalogue::Stats> {
    let pot = extract(root)?;
    let stats = catalogue::Stats::of(root, lang, &pot).map_err(anyhow::Error::msg)?;
    if stats.complete() {
        Ok(stats)
    } else {
        Err(anyhow!(
            "{stats}\n{}\nAfter changing the English: `cargo dev i18n update {lang}`, \
             translate what it marks in po/{lang}.po (po/README.md), then \
             `cargo dev i18n check {lang}`.",
            stats.problems()
        ))
    }
}

/// `cargo dev i18n build LANG`: `book/LANG/`, checked like the English book.
pub fn build(root: &Path, lang: &str) -> Result<()> {
    let env = xtask::i18n::prepare(root, lang).map_err(anyhow::Error::msg)?;
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
    .with_context(|| format!("book/{lang} does not look as book.toml promises"))?;
    println!("book/{lang}: built and checked");
    Ok(())
}
