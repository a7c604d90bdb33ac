//! `{{#progress}}`: the overview of every exercise, in book order, with a
//! link to its card and its chapter. The state column is filled by
//! theme/runnable-runner.js from the local runner (`GET /api/progress`); without
//! it the page names `cargo xtask progress`, which prints the same table.

use crate::attrs::Attrs;
use crate::env::{Env, Site};
use crate::markdown::{escape_html, inline_html};
use crate::strings;
use std::path::Path;

pub fn render(attrs: Attrs, env: &Env, site: Site) -> Result<String, String> {
    attrs.finish("progress", &[])?;
    let (_, manifest) = env.manifest()?;
    if manifest.exercises.is_empty() {
        return Err(format!("{} lists no exercise", manifest::MANIFEST_PATH));
    }
    let up = up_to_src(site.file);
    let mut out = format!(
        "<div class=\"runnable-progress-page\">\n\
         <p class=\"runnable-progress-cli\">{}</p>\n\
         <table class=\"runnable-progress-table\">\n\
         <thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        env.catalogue.fill(
            strings::PROGRESS_CLI,
            &[("command", "<code>cargo xtask progress</code>")]
        ),
        env.catalogue.get(strings::PROGRESS_EXERCISE),
        env.catalogue.get(strings::PROGRESS_STATE),
        env.catalogue.get(strings::PROGRESS_CHAPTER),
    );
    for ex in &manifest.exercises {
        let page = format!("{up}{}", html_path(&ex.chapter));
        let id = escape_html(&ex.id);
        out.push_str(&format!(
            "<tr data-exercise=\"{id}\">\
             <td><a href=\"{page}#exercise-{id}\">{}</a><br><code>{id}</code></td>\
             <td class=\"runnable-progress-state\">—</td>\
             <td><a href=\"{page}\">{}</a></td></tr>\n",
            inline_html(&env.catalogue.get(&ex.title)),
            inline_html(without_heading_id(&env.catalogue.get(&chapter_title(
                env,
                site,
                &ex.chapter
            )))),
        ));
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    Ok(out)
}

/// `../` for each folder between `src/` and the page holding the directive:
/// links in raw HTML are not rewritten by mdBook.
fn up_to_src(page: &str) -> String {
    let below_src = page.split_once('/').map_or("", |(_, rest)| rest);
    "../".repeat(below_src.matches('/').count())
}

/// `leak/index.md` -> `leak/index.html` (what mdBook writes).
fn html_path(chapter: &str) -> String {
    match chapter.strip_suffix(".md") {
        Some(stem) => format!("{stem}.html"),
        None => chapter.to_owned(),
    }
}

/// The chapter page's first `# ` heading, else its path.
fn chapter_title(env: &Env, site: Site, chapter: &str) -> String {
    let src = site.file.split('/').next().unwrap_or("src");
    std::fs::read_to_string(env.book_root.join(src).join(Path::new(chapter)))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_owned()))
        })
        .unwrap_or_else(|| chapter.to_owned())
}

/// A translated heading carries the English heading's anchor as `{#id}`
/// (po/README.md), which is not part of its title.
fn without_heading_id(title: &str) -> &str {
    match title.rfind(" {#") {
        Some(at) if title.ends_with('}') => title[..at].trim_end(),
        _ => title,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_climb_from_the_page_to_src() {
        assert_eq!(up_to_src("src/progress.md"), "");
        assert_eq!(up_to_src("src/appendix/progress.md"), "../");
        assert_eq!(html_path("leak/index.md"), "leak/index.html");
    }

    #[test]
    fn a_translated_chapter_title_loses_its_anchor() {
        assert_eq!(without_heading_id("找出泄漏 {#finding-leaks}"), "找出泄漏");
        assert_eq!(without_heading_id("Finding leaks"), "Finding leaks");
        assert_eq!(without_heading_id("`{#x}` in code"), "`{#x}` in code");
    }
}
