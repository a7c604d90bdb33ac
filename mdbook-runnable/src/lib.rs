//! `mdbook-runnable`: the workbook's mdBook preprocessor. It expands
//! `{{#exercise}}`, `{{#compare}}`, `{{#listing}}`, `{{#output}}` and
//! `{{#quiz}}` (see README.md) and fails the build, with `src/page.md:LINE`,
//! on any reference that does not resolve.

mod anchors;
mod attrs;
mod diagnostic;
mod env;
mod expand;
mod html_check;
mod markdown;
mod render;
mod scan;

pub use diagnostic::Diagnostic;
pub use expand::OURS as DIRECTIVES;
pub use html_check::check_built_html;

use mdbook_preprocessor::book::Book;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use std::path::Path;

/// The preprocessor, for use as a library (`MDBook::with_preprocessor`).
pub struct Runnable;

impl Preprocessor for Runnable {
    fn name(&self) -> &str {
        "runnable"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        match process(ctx, book) {
            Ok(processed) => Ok(processed.book),
            Err(diagnostics) => Err(Error::msg(
                diagnostics
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"),
            )),
        }
    }
}

pub struct Processed {
    pub book: Book,
    /// Not errors, but worth a line on stderr (an exercise without a card).
    pub warnings: Vec<String>,
}

/// Expands every chapter. Directive paths are relative to `ctx.root`; the
/// exercise manifest is found there or in a folder above it.
pub fn process(ctx: &PreprocessorContext, mut book: Book) -> Result<Processed, Vec<Diagnostic>> {
    let mut env = env::Env::new(&ctx.root);
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
    let src = &ctx.config.book.src;
    let mut diagnostics = Vec::new();
    book.for_each_chapter_mut(|chapter| {
        let Some(page) = chapter.source_path.clone() else {
            return; // a draft chapter: no file, no content
        };
        let file = src.join(&page).to_string_lossy().replace('\\', "/");
        match expand::expand(&chapter.content, Some(&page), &env) {
            Ok(content) => chapter.content = content,
            Err(errors) => diagnostics.extend(errors.into_iter().map(|e| e.in_file(&file))),
        }
    });
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut warnings = Vec::new();
    if let Some(manifest) = env.loaded_manifest() {
        let shown = env.shown_exercises.borrow();
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

/// Expands one page's Markdown, as `process` does; `page` is its path below
/// `src/`. For tests and tools that have no mdBook context.
pub fn expand_page(
    book_root: &Path,
    page: &str,
    markdown: &str,
) -> Result<String, Vec<Diagnostic>> {
    let env = env::Env::new(book_root);
    let file = format!("src/{page}");
    expand::expand(markdown, Some(Path::new(page)), &env)
        .map_err(|errors| errors.into_iter().map(|e| e.in_file(&file)).collect())
}
