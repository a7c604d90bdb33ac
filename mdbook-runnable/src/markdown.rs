//! Small helpers for writing Markdown that mdBook renders the way we mean it.

use std::path::Path;

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders one line of text that may hold `code spans` as HTML. Titles and quiz
/// choices live inside raw HTML blocks, where mdBook does not parse Markdown.
/// Newlines become `&#10;` so that a blank line can never end the HTML block.
pub fn inline_html(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('`') {
        let ticks = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + ticks..];
        let closing = "`".repeat(ticks);
        match after.find(&closing) {
            Some(end) => {
                out.push_str(&escape_html(&rest[..start]));
                out.push_str("<code>");
                out.push_str(&escape_html(after[..end].trim()));
                out.push_str("</code>");
                rest = &after[end + ticks..];
            }
            None => {
                out.push_str(&escape_html(&rest[..start + ticks]));
                rest = after;
            }
        }
    }
    out.push_str(&escape_html(rest));
    out.replace('\n', "&#10;")
}

/// A fenced code block whose fence is longer than any backtick run inside, so
/// a listing that itself shows Markdown cannot close the block early.
pub fn fenced(info: &str, code: &str) -> String {
    let longest = code
        .lines()
        .map(|l| l.trim_start().chars().take_while(|&c| c == '`').count())
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let code = code.trim_end_matches('\n');
    format!("{fence}{info}\n{code}\n{fence}\n")
}

/// The highlight.js language of a listing, from its file extension.
pub fn language_of(path: &str) -> &str {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    match ext {
        "rs" => "rust",
        "go" => "go",
        "sh" => "bash",
        "" | "txt" | "out" => "text",
        other => other,
    }
}

/// The info string for a listing. Rust that cannot run on the playground (it
/// uses the workspace's crates, or is a fragment) is also `ignore`d, because
/// `mdbook test` would otherwise compile it without those crates; the crates'
/// own tests already compile it.
pub fn info_string(lang: &str, code: &str, playground: bool) -> String {
    match lang {
        "rust" if playground => "rust".to_owned(),
        "rust" => "rust,ignore,noplayground".to_owned(),
        // `[output.html.code.hidelines] go = "~"` hides lines starting with `~`
        // in hand-written Go blocks. A real Go file can start a line with `~`
        // (a type-set constraint); override the prefix so that line stays.
        "go" if code.lines().any(|l| l.trim_start().starts_with('~')) => {
            "go,hidelines=<none>".to_owned()
        }
        other => other.to_owned(),
    }
}

/// The Markdown for "Run it: `cmd`", as HTML so backticks in `cmd` are safe.
/// `id` is the command's id in the commands manifest: with the local runner,
/// theme/runnable-runner.js turns the line into a Run button.
pub fn run_line(cmd: &str, id: &str, catalogue: &crate::i18n::Catalogue) -> String {
    format!(
        "<p class=\"runnable-run\" data-command=\"{}\">{}</p>\n",
        escape_html(id),
        catalogue.fill(
            crate::strings::RUN_IT,
            &[("command", &format!("<code>{}</code>", escape_html(cmd)))]
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_html_renders_code_spans_and_escapes() {
        assert_eq!(
            inline_html("drop `tx` <now> & ``a`b``"),
            "drop <code>tx</code> &lt;now&gt; &amp; <code>a`b</code>"
        );
        assert_eq!(inline_html("a `b"), "a `b");
        assert_eq!(inline_html("1\n\n2"), "1&#10;&#10;2");
    }

    #[test]
    fn fence_outgrows_backticks_in_the_code() {
        assert_eq!(fenced("go", "x\n"), "```go\nx\n```\n");
        assert_eq!(fenced("md", "````rust\n"), "`````md\n````rust\n`````\n");
    }

    #[test]
    fn languages_follow_extensions() {
        assert_eq!(language_of("go/leak/pipeline.go"), "go");
        assert_eq!(language_of("listings/examples/a.rs"), "rust");
        assert_eq!(language_of("go/slices/testdata/alias.out"), "text");
        assert_eq!(language_of("Cargo.toml"), "toml");
    }

    #[test]
    fn info_strings_keep_the_run_button_only_when_asked() {
        assert_eq!(info_string("rust", "", true), "rust");
        assert_eq!(info_string("rust", "", false), "rust,ignore,noplayground");
        assert_eq!(info_string("go", "x := 1", false), "go");
        assert_eq!(
            info_string("go", "type N interface {\n\t~int\n}", false),
            "go,hidelines=<none>"
        );
    }
}
