//! `mdbook-runnable`: the workbook's mdBook preprocessor. It expands
//! `{{#exercise}}`, `{{#compare}}`, `{{#listing}}`, `{{#output}}`,
//! `{{#quiz}}`, `{{#progress}}`, `{{#experiment}}` and `{{#experiments}}`
//! (see README.md) and fails the build, with `src/page.md:LINE`, on any
//! reference that does not resolve. `main.rs` speaks mdBook's preprocessor
//! protocol itself; [`process`] is the whole build.

mod anchors;
mod attrs;
pub mod commands;
mod diagnostic;
pub mod edit;
mod env;
mod expand;
pub mod experiments;
mod html_check;
mod i18n;
mod markdown;
mod pairs;
mod render;
mod scan;
mod starter;
pub mod strings;

pub use commands::CommandManifest;
pub use diagnostic::Diagnostic;
pub use experiments::ExperimentManifest;
pub use html_check::check_built_html;
pub use i18n::Catalogue;

use env::{Env, Found};
use mdbook_preprocessor::PreprocessorContext;
use mdbook_preprocessor::book::Book;
use std::path::Path;

pub struct Processed {
    pub book: Book,
    /// Not errors, but worth a line on stderr (an exercise without a card).
    pub warnings: Vec<String>,
}

/// Expands every chapter. Directive paths are relative to `ctx.root`; the
/// exercise manifest is found there or in a folder above it.
pub fn process(ctx: &PreprocessorContext, mut book: Book) -> Result<Processed, Vec<Diagnostic>> {
    let mut env = Env::new(&ctx.root);
    match ctx
        .config
        .get::<Vec<String>>("preprocessor.runnable.passthrough")
    {
        Ok(names) => env.passthrough = names.unwrap_or_default(),
        Err(e) => {
            return Err(vec![Diagnostic {
                file: "book.toml".to_owned(),
                line: 0,
                message: format!(
                    "[preprocessor.runnable] passthrough must be a list of names: {e:#}"
                ),
            }]);
        }
    }
    match ctx
        .config
        .get::<String>("preprocessor.runnable.experiments-dir")
    {
        Ok(dir) => env.experiments_dir = dir.map(|d| ctx.root.join(d)),
        Err(e) => {
            return Err(vec![Diagnostic {
                file: "book.toml".to_owned(),
                line: 0,
                message: format!("[preprocessor.runnable] experiments-dir must be a path: {e:#}"),
            }]);
        }
    }
    let mut found = Found::default();
    env.catalogue = catalogue(ctx, &mut found.warnings)?;
    let src = &ctx.config.book.src;
    let mut diagnostics = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let Some(page) = chapter.source_path.clone() else {
            return; // a draft chapter: no file, no content
        };
        let file = src.join(&page).to_string_lossy().replace('\\', "/");
        match expand::expand(&chapter.content, &file, &page, &env, &mut found) {
            // A page with our blocks also gets the page scripts' words.
            Ok(content) if content != chapter.content => {
                chapter.content = content + &env.catalogue.script_tag();
            }
            Ok(_) => {}
            Err(errors) => diagnostics.extend(errors.into_iter().map(|e| e.in_file(&file))),
        }
    });
    let commands = command_manifest(&found);
    diagnostics.extend(commands.as_ref().err().cloned().unwrap_or_default());
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let Found {
        exercises: shown,
        mut warnings,
        experiments,
        edits,
        ..
    } = found;
    if let Ok(commands) = &commands {
        let experiments = ExperimentManifest { experiments };
        let edits = edit::EditManifest { edits };
        write_manifests(ctx, commands, &experiments, &edits)?;
    }
    if let Some(manifest) = env.loaded_manifest() {
        for ex in manifest
            .exercises
            .iter()
            .filter(|ex| !shown.contains(&ex.id))
        {
            warnings.push(format!(
                "exercise `{}` has no {{{{#exercise {}}}}} card (its chapter is src/{})",
                ex.id, ex.id, ex.chapter
            ));
        }
    }
    Ok(Processed { book, warnings })
}

/// The catalogue of a translated build: `book.language` (not English) and
/// `PO_DIR/LANG.po`, PO_DIR from `[preprocessor.gettext] po-dir` as
/// mdbook-gettext reads it (default `po`). English, or a language without a
/// catalogue (with a warning), translates nothing.
fn catalogue(
    ctx: &PreprocessorContext,
    warnings: &mut Vec<String>,
) -> Result<Catalogue, Vec<Diagnostic>> {
    let lang = match ctx.config.book.language.as_deref() {
        None | Some("" | "en") => return Ok(Catalogue::default()),
        Some(lang) => lang,
    };
    let po_dir = ctx
        .config
        .get::<String>("preprocessor.gettext.po-dir")
        .ok()
        .flatten()
        .unwrap_or_else(|| "po".to_owned());
    let path = ctx.root.join(po_dir).join(format!("{lang}.po"));
    if !path.is_file() {
        warnings.push(format!(
            "book.language is {lang} but there is no {}: our own words stay English",
            path.display()
        ));
        return Ok(Catalogue::default());
    }
    Catalogue::load(&path).map_err(|message| {
        vec![Diagnostic {
            file: path.display().to_string(),
            line: 0,
            message,
        }]
    })
}

fn command_manifest(found: &Found) -> Result<CommandManifest, Vec<Diagnostic>> {
    commands::manifest(&found.commands).map_err(|errors| {
        errors
            .into_iter()
            .map(|(at, message)| Diagnostic {
                file: at.file,
                line: at.line,
                message,
            })
            .collect()
    })
}

/// Writes the commands manifest where `[preprocessor.runnable] commands`
/// says (relative to the book root), for `cargo xtask` and the runner, and
/// the experiments and edits manifests beside it.
fn write_manifests(
    ctx: &PreprocessorContext,
    commands: &CommandManifest,
    experiments: &ExperimentManifest,
    edits: &edit::EditManifest,
) -> Result<(), Vec<Diagnostic>> {
    let fail = |message: String| {
        vec![Diagnostic {
            file: "book.toml".to_owned(),
            line: 0,
            message,
        }]
    };
    let path = match ctx.config.get::<String>(commands::CONFIG_KEY) {
        Ok(Some(path)) => ctx.root.join(path),
        Ok(None) => return Ok(()),
        Err(e) => {
            return Err(fail(format!(
                "[preprocessor.runnable] commands must be a path: {e:#}"
            )));
        }
    };
    let json = serde_json::to_string_pretty(commands).map_err(|e| fail(e.to_string()))?;
    write_if_changed(&path, &json).map_err(fail)?;
    let json = serde_json::to_string_pretty(experiments).map_err(|e| fail(e.to_string()))?;
    write_if_changed(&path.with_file_name(experiments::MANIFEST_NAME), &json).map_err(fail)?;
    let json = serde_json::to_string_pretty(edits).map_err(|e| fail(e.to_string()))?;
    write_if_changed(&path.with_file_name(edit::MANIFEST_NAME), &json).map_err(fail)
}

fn write_if_changed(path: &Path, json: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // Unchanged content is not rewritten: a runner reading it never sees a
    // half-written file on a rebuild that changed nothing.
    if std::fs::read_to_string(path).is_ok_and(|old| old == json) {
        return Ok(());
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, json)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Every command the book shows, collected the way a build collects them but
/// without mdBook: each `.md` file below `src_dir` (except SUMMARY.md) is
/// expanded. For `cargo dev test`, which runs them.
pub fn collect_commands(
    book_root: &Path,
    src_dir: &str,
) -> Result<CommandManifest, Vec<Diagnostic>> {
    collect(book_root, src_dir).map(|(commands, _)| commands)
}

/// Every command and every experiment the book shows, as a build collects
/// them (see [`collect_commands`]).
pub fn collect(
    book_root: &Path,
    src_dir: &str,
) -> Result<(CommandManifest, ExperimentManifest), Vec<Diagnostic>> {
    let env = Env::new(book_root);
    let mut found = Found::default();
    let src = book_root.join(src_dir);
    let mut pages = Vec::new();
    markdown_files(&src, &mut pages);
    pages.sort();
    let mut diagnostics = Vec::new();
    for path in pages {
        let page = path.strip_prefix(&src).unwrap_or(&path).to_path_buf();
        if page == Path::new("SUMMARY.md") {
            continue;
        }
        let file = Path::new(src_dir)
            .join(&page)
            .to_string_lossy()
            .replace('\\', "/");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                diagnostics.push(Diagnostic {
                    file,
                    line: 0,
                    message: e.to_string(),
                });
                continue;
            }
        };
        if let Err(errors) = expand::expand(&text, &file, &page, &env, &mut found) {
            diagnostics.extend(errors.into_iter().map(|e| e.in_file(&file)));
        }
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let commands = command_manifest(&found)?;
    let experiments = ExperimentManifest {
        experiments: found.experiments,
    };
    Ok((commands, experiments))
}

fn markdown_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
}

/// Expands one page's Markdown, as `process` does; `page` is its path below
/// `src/`. For tests and tools that have no mdBook context.
pub fn expand_page(
    book_root: &Path,
    page: &str,
    markdown: &str,
) -> Result<String, Vec<Diagnostic>> {
    let env = Env::new(book_root);
    let file = format!("src/{page}");
    expand::expand(
        markdown,
        &file,
        Path::new(page),
        &env,
        &mut Found::default(),
    )
    .map_err(|errors| errors.into_iter().map(|e| e.in_file(&file)).collect())
}
