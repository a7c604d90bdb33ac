//! Checks a built book for what book.toml promised. mdBook logs a misspelled
//! `[output.html]` key, exits 0 and silently renders with its default config,
//! which drops our CSS and JS: only the built HTML tells the truth.

use crate::render::DirectiveName;
use std::path::{Path, PathBuf};

/// The assets every book using this preprocessor needs.
const REQUIRED_CSS: &str = "theme/runnable.css";
const REQUIRED_JS: &str = "theme/runnable.js";

/// `book_dir` is the book root (holding book.toml; the output folder is read
/// from `[build] build-dir`) or the HTML output folder itself (holding
/// index.html). Returns every problem found, one line each.
pub fn check_built_html(book_dir: &Path) -> Result<(), Vec<String>> {
    let (out, config) = locate(book_dir).map_err(|e| vec![e])?;
    let index = std::fs::read_to_string(out.join("index.html")).map_err(|e| {
        vec![format!(
            "{}: cannot read: {e}",
            out.join("index.html").display()
        )]
    })?;
    let html = config.as_ref().and_then(|c| c.get("output")?.get("html"));
    let mut problems = Vec::new();

    let listed = |key: &str| -> Vec<String> {
        html.and_then(|h| h.get(key)?.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut css = listed("additional-css");
    let mut js = listed("additional-js");
    for (list, required) in [(&mut css, REQUIRED_CSS), (&mut js, REQUIRED_JS)] {
        if !list.iter().any(|p| p == required) {
            list.push(required.to_owned());
        }
    }
    for asset in css.iter().chain(&js) {
        if let Err(e) = linked(&index, &out, asset) {
            problems.push(e);
        }
    }
    problems.extend(loaded_before_helper(&js));

    for (key, constant) in [
        ("default-theme", "default_light_theme"),
        ("preferred-dark-theme", "default_dark_theme"),
    ] {
        if let Some(theme) = html.and_then(|h| h.get(key)?.as_str()) {
            let expected = format!("const {constant} = \"{}\"", theme.to_lowercase());
            if !index.contains(&expected) {
                problems.push(format!(
                    "index.html does not use {key} = \"{theme}\": the [output.html] config did not take effect"
                ));
            }
        }
    }

    let hidelines: Vec<(String, String)> = html
        .and_then(|h| h.get("code")?.get("hidelines")?.as_table())
        .map(|t| {
            t.iter()
                .filter_map(|(lang, p)| Some((lang.clone(), p.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();

    let mut pages = Vec::new();
    html_files(&out, &mut pages);
    pages.sort();
    for page in pages {
        if page.file_name().is_some_and(|n| n == "print.html") {
            continue; // every chapter again: its problems are already reported
        }
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        let name = page
            .strip_prefix(&out)
            .unwrap_or(&page)
            .display()
            .to_string();
        problems.extend(page_problems(&name, &text, &hidelines));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn locate(book_dir: &Path) -> Result<(PathBuf, Option<toml::Value>), String> {
    let read_config = |root: &Path| -> Result<Option<toml::Value>, String> {
        let path = root.join("book.toml");
        if !path.is_file() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        toml::from_str(&text)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    if book_dir.join("index.html").is_file() {
        let config = match book_dir.parent() {
            Some(parent) => read_config(parent)?,
            None => None,
        };
        return Ok((book_dir.to_path_buf(), config));
    }
    let config = read_config(book_dir)?;
    let build_dir = config
        .as_ref()
        .and_then(|c| c.get("build")?.get("build-dir")?.as_str())
        .unwrap_or("book");
    let out = book_dir.join(build_dir);
    // With more than one renderer, mdBook writes each into its own folder.
    let out = if out.join("html/index.html").is_file() {
        out.join("html")
    } else {
        out
    };
    if !out.join("index.html").is_file() {
        return Err(format!(
            "no index.html in {} or {}: run `mdbook build` first",
            book_dir.display(),
            out.display()
        ));
    }
    Ok((out, config))
}

/// mdBook may rename `theme/runnable.css` to `theme/runnable-1a2b3c4d.css`
/// (a content hash), so accept either name, and make sure the file is there.
fn linked(index: &str, out: &Path, asset: &str) -> Result<(), String> {
    let (stem, ext) = asset.split_once('.').unwrap_or((asset, ""));
    let matches = |url: &str| {
        url == asset
            || url
                .strip_prefix(stem)
                .and_then(|rest| rest.strip_prefix('-'))
                .and_then(|rest| rest.strip_suffix(ext))
                .and_then(|hash| hash.strip_suffix('.'))
                .is_some_and(|hash| hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()))
    };
    let url = attribute_values(index).into_iter().find(|url| matches(url));
    match url {
        None => Err(format!(
            "index.html does not link {asset}: [output.html] additional-css/additional-js did not take effect \
             (a misspelled key in [output.html] makes mdBook silently use its defaults)"
        )),
        Some(url) if !out.join(url).is_file() => Err(format!(
            "index.html links {url}, but the build has no such file"
        )),
        Some(_) => Ok(()),
    }
}

fn attribute_values(html: &str) -> Vec<&str> {
    let mut values = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            if let Some(end) = rest.find('"') {
                values.push(&rest[..end]);
            }
        }
    }
    values
}

fn page_problems(name: &str, html: &str, hidelines: &[(String, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let prose = without_code(html);
    for directive in DirectiveName::ALL.map(DirectiveName::as_str) {
        if prose.contains(&format!("{{{{#{directive}")) {
            problems.push(format!(
                "{name}: an unexpanded {{{{#{directive}}}}}: is [preprocessor.runnable] in book.toml?"
            ));
        }
    }
    if prose.contains("```") {
        problems.push(format!(
            "{name}: a literal ``` outside code: a code block inside raw HTML was not rendered as Markdown"
        ));
    }
    for (lang, prefix) in hidelines {
        let escaped = crate::markdown::escape_html(prefix);
        let shown = code_blocks(html, lang).into_iter().any(|code| {
            code.lines().any(|l| {
                l.trim_start().starts_with(prefix.as_str()) || l.trim_start().starts_with(&escaped)
            })
        });
        if shown {
            problems.push(format!(
                "{name}: a {lang} block shows lines starting with `{prefix}`: \
                 [output.html.code.hidelines] {lang} = \"{prefix}\" did not take effect"
            ));
        }
    }
    problems
}

/// The page with every `<pre>`, `<code>` and `<script>` element cut out.
fn without_code(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = ["<pre", "<code", "<script"]
            .iter()
            .filter_map(|tag| rest.find(tag).map(|at| (at, *tag)))
            .min();
        let Some((at, tag)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let close = format!("</{}>", &tag[1..]);
        match rest[at..].find(&close) {
            Some(end) => rest = &rest[at + end + close.len()..],
            None => return out,
        }
    }
}

/// The page scripts (`theme/runnable-*.js`) take their translation helper
/// from `theme/runnable.js` (`window.runnable`) as they load: one listed
/// before it would find none.
fn loaded_before_helper(js: &[String]) -> Vec<String> {
    let helper = js.iter().position(|p| p == REQUIRED_JS).unwrap_or(0);
    js[..helper]
        .iter()
        .filter(|p| p.starts_with("theme/runnable-") && p.ends_with(".js"))
        .map(|p| {
            format!(
                "additional-js lists {p} before {REQUIRED_JS}, whose translation helper it uses: list {REQUIRED_JS} first"
            )
        })
        .collect()
}

/// The contents of `<code class="language-LANG ...">` blocks whose hidden-line
/// prefix was not overridden by the block itself.
fn code_blocks<'a>(html: &'a str, lang: &str) -> Vec<&'a str> {
    let open = format!("<code class=\"language-{lang}");
    let mut blocks = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        rest = &rest[at..];
        let Some(tag_end) = rest.find('>') else { break };
        let class_ok = rest[open.len()..tag_end]
            .split(['"', ' '])
            .next()
            .is_some_and(str::is_empty);
        let overridden = rest[..tag_end].contains("hidelines=");
        let Some(end) = rest.find("</code>") else {
            break;
        };
        if class_ok && !overridden && tag_end < end {
            blocks.push(&rest[tag_end + 1..end]);
        }
        rest = &rest[end..];
    }
    blocks
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            html_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_and_hashed_asset_names() {
        let dir = std::env::temp_dir().join(format!("runnable-linked-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("theme")).unwrap();
        std::fs::write(dir.join("theme/runnable-0a1b2c3d.css"), "").unwrap();
        let index = r#"<link rel="stylesheet" href="theme/runnable-0a1b2c3d.css">"#;
        assert_eq!(linked(index, &dir, "theme/runnable.css"), Ok(()));
        let err = linked("<p>nothing</p>", &dir, "theme/runnable.css").unwrap_err();
        assert!(err.contains("does not link theme/runnable.css"), "{err}");
        let err = linked(
            r#"<script src="theme/runnable.js">"#,
            &dir,
            "theme/runnable.js",
        )
        .unwrap_err();
        assert!(err.contains("no such file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_page_scripts_load_after_the_helper() {
        let list = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let good = list(&[
            "theme/runnable.js",
            "theme/runnable-runner.js",
            "theme/lang.js",
        ]);
        assert!(loaded_before_helper(&good).is_empty());
        let bad = list(&[
            "theme/lang.js",
            "theme/runnable-align.js",
            "theme/runnable.js",
        ]);
        let problems = loaded_before_helper(&bad);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(problems[0].contains("theme/runnable-align.js before theme/runnable.js"));
    }

    #[test]
    fn finds_unexpanded_directives_and_shown_hidden_lines() {
        let hl = [("go".to_owned(), "~".to_owned())];
        let ok = "<p>x</p><pre><code class=\"language-markdown\">{{#exercise a}}\n```</code></pre>\
                  <pre><code class=\"language-go\"><span class=\"boring\">x\n</span>y\n</code></pre>";
        assert!(page_problems("a.html", ok, &hl).is_empty());
        let bad = "<p>{{#exercise a}}</p><p>```go</p><pre><code class=\"language-go\">~import \"fmt\"\n</code></pre>";
        let problems = page_problems("a.html", bad, &hl);
        assert_eq!(problems.len(), 3, "{problems:#?}");
    }
}
