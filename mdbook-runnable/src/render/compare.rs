//! `{{#compare go="path[:anchor]" rust="path[:anchor]" go_run="..." rust_run="..."}}`:
//! Go | Rust side by side (stacked on a narrow screen, see theme/runnable.css).

use crate::anchors::Spec;
use crate::attrs::Attrs;
use crate::env::Env;
use crate::markdown::{escape_html, fenced, info_string, run_line};

const ATTRIBUTES: &[&str] = &["go", "rust", "go_run", "rust_run"];

pub fn render(mut attrs: Attrs, env: &Env) -> Result<String, String> {
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
    let mut out = String::from("<div class=\"runnable-compare\">\n");
    out.push_str(&pane("go", "Go", &go, go_run.as_deref(), env)?);
    out.push_str(&pane("rust", "Rust", &rust, rust_run.as_deref(), env)?);
    out.push_str("</div>\n");
    Ok(out)
}

fn pane(
    lang: &str,
    label: &str,
    spec: &str,
    run: Option<&str>,
    env: &Env,
) -> Result<String, String> {
    let spec = Spec::parse(spec);
    let code = spec.read(&env.book_root)?;
    let edit = match run {
        Some(cmd) => env.edit_attribute(&spec, cmd)?,
        None => String::new(),
    };
    let mut out = format!(
        "<div class=\"runnable-pane\" data-lang=\"{lang}\"{edit}>\n\
         <p class=\"runnable-pane-label\"><span class=\"runnable-lang\">{label}</span> <code>{}</code></p>\n\n",
        escape_html(&spec.to_string())
    );
    out.push_str(&fenced(&info_string(lang, &code, false), &code));
    out.push('\n');
    if let Some(cmd) = run {
        let id = env.run_command(cmd)?;
        out.push_str(&run_line(cmd, &id));
    }
    out.push_str("</div>\n");
    Ok(out)
}
