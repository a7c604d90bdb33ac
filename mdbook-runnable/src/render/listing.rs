//! `{{#listing PATH[:ANCHOR] run="..." playground=true|false}}`: one listing
//! with the local command that runs it. A playground listing with an anchor
//! carries the rest of its file as hidden lines, so its Run button works.

use crate::anchors::Spec;
use crate::attrs::Attrs;
use crate::env::{Env, Found, Site};
use crate::markdown::{escape_html, fenced, info_string, language_of, run_line};

const ATTRIBUTES: &[&str] = &["run", "playground"];

pub fn render(
    mut attrs: Attrs,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    let spec = attrs.one_positional(
        "listing",
        "a path, e.g. {{#listing go/leak/pipeline.go:leaky_job}}",
    )?;
    let run = attrs.take("run");
    let playground = attrs.take_bool("playground")?.unwrap_or(false);
    attrs.finish("listing", ATTRIBUTES)?;
    let spec = Spec::parse(&spec);
    let lang = language_of(&spec.path);
    if playground && lang != "rust" {
        return Err(format!(
            "playground=true needs a Rust listing; `{}` is {lang}",
            spec.path
        ));
    }
    let code = if playground {
        spec.read_runnable_rust(&env.book_root)?
    } else {
        spec.read(&env.book_root)?
    };
    let edit = match &run {
        Some(cmd) if !playground => found.edit_attribute(&env.book_root, site, &spec, cmd)?,
        _ => String::new(),
    };
    let mut out = format!(
        "<div class=\"runnable-listing\" data-lang=\"{lang}\"{edit}>\n\
         <p class=\"runnable-listing-label\"><code>{}</code></p>\n\n",
        escape_html(&spec.to_string())
    );
    out.push_str(&fenced(&info_string(lang, &code, playground), &code));
    out.push('\n');
    if let Some(cmd) = run {
        let id = found.run_command(&env.book_root, site, &cmd)?;
        out.push_str(&run_line(&cmd, &id, &env.catalogue));
    }
    out.push_str("</div>\n");
    Ok(out)
}
