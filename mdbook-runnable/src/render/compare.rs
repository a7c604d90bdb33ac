//! `{{#compare go="path[:anchor]" rust="path[:anchor]" go_run="..." rust_run="..."}}`:
//! Go | Rust side by side (stacked on a narrow screen, see theme/runnable.css),
//! with the lines each side marks `// pair: NAME` linked (`pairs.rs`).

use crate::anchors::{Shown, Spec};
use crate::attrs::Attrs;
use crate::env::{Env, Found, Site};
use crate::markdown::{escape_html, fenced, info_string, run_line};
use crate::pairs;

const ATTRIBUTES: &[&str] = &["go", "rust", "go_run", "rust_run"];

pub fn render(
    mut attrs: Attrs,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    attrs.no_positional("compare")?;
    let go = attrs.take("go");
    let rust = attrs.take("rust");
    let go_run = attrs.take("go_run");
    let rust_run = attrs.take("rust_run");
    attrs.finish("compare", ATTRIBUTES)?;
    let (Some(go), Some(rust)) = (go, rust) else {
        return Err(
            "{{#compare}} needs both go=\"path[:anchor]\" and rust=\"path[:anchor]\"".to_owned(),
        );
    };
    let go = Spec::parse(&go);
    let rust = Spec::parse(&rust);
    let go_shown = go.read_marked(&env.book_root)?;
    let rust_shown = rust.read_marked(&env.book_root)?;
    // A pair is a claim that two lines do the same thing: one side alone
    // means a marker was forgotten, or its line changed.
    let lonely = pairs::lonely(
        &side("Go", &go, &go_shown.marks),
        &side("Rust", &rust, &rust_shown.marks),
    );
    if !lonely.is_empty() {
        return Err(lonely.join("; "));
    }
    let mut out = String::from("<div class=\"runnable-compare\">\n");
    let panes = [
        Pane {
            lang: "go",
            label: "Go",
            spec: &go,
            shown: &go_shown,
            run: go_run.as_deref(),
        },
        Pane {
            lang: "rust",
            label: "Rust",
            spec: &rust,
            shown: &rust_shown,
            run: rust_run.as_deref(),
        },
    ];
    for side in panes {
        out.push_str(&pane(side, env, site, found)?);
    }
    out.push_str("</div>\n");
    Ok(out)
}

fn side<'a>(label: &'a str, spec: &'a Spec, marks: &'a [pairs::Mark]) -> pairs::Side<'a> {
    pairs::Side {
        label,
        path: &spec.path,
        spec: spec.to_string(),
        marks,
    }
}

/// One side of the comparison.
struct Pane<'a> {
    lang: &'a str,
    label: &'a str,
    spec: &'a Spec,
    shown: &'a Shown,
    run: Option<&'a str>,
}

fn pane(side: Pane, env: &Env, site: Site, found: &mut Found) -> Result<String, String> {
    let Pane {
        lang,
        label,
        spec,
        shown,
        run,
    } = side;
    let code = &shown.code;
    let edit = match run {
        Some(cmd) => found.edit_attribute(&env.book_root, site, spec, cmd)?,
        None => String::new(),
    };
    // `data-pairs="close:3,4 spawn:7"`: theme/runnable-align.js links the lines.
    let pairs = match pairs::attribute(&shown.marks) {
        none if none.is_empty() => String::new(),
        some => format!(" data-pairs=\"{some}\""),
    };
    let mut out = format!(
        "<div class=\"runnable-pane\" data-lang=\"{lang}\"{edit}{pairs}>\n\
         <p class=\"runnable-pane-label\"><span class=\"runnable-lang\">{label}</span> <code>{}</code></p>\n\n",
        escape_html(&spec.to_string())
    );
    out.push_str(&fenced(&info_string(lang, code, false), code));
    out.push('\n');
    if let Some(cmd) = run {
        let id = found.run_command(&env.book_root, site, cmd)?;
        out.push_str(&run_line(cmd, &id, &env.catalogue));
    }
    out.push_str("</div>\n");
    Ok(out)
}
