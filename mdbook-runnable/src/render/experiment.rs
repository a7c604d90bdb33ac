//! `{{#experiment ID}}` and `{{#experiments}}`: guided experiments from the
//! page's own `experiments.toml` (see `experiments.rs`). The page shows the
//! question and its choices, the edit as a diff and the outcome CI checked;
//! theme/runnable-experiments.js reveals them step by step and, with the
//! runner on, runs the edited copy. Without JS everything stays readable.

use crate::attrs::Attrs;
use crate::env::{Env, Found, Site};
use crate::experiments::{FILE_NAME, Spec, diff};
use crate::markdown::{escape_html, fenced, inline_html};
use crate::pairs;
use crate::strings;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    #[serde(default)]
    experiment: Vec<Spec>,
}

pub fn render_one(
    attrs: Attrs,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    let id = attrs.one_positional(
        "experiment",
        "an experiment id, e.g. {{#experiment leak-no-close}}",
    )?;
    attrs.finish("experiment", &[])?;
    let (path, text, file) = load(env, site)?;
    let spec = file
        .experiment
        .iter()
        .find(|e| e.id == id)
        .ok_or_else(|| format!("{path} has no experiment with id `{id}`"))?;
    render_spec(spec, &path, &text, env, site, found)
}

pub fn render_all(
    attrs: Attrs,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    attrs.no_positional("experiments")?;
    attrs.finish("experiments", &[])?;
    let (path, text, file) = load(env, site)?;
    if file.experiment.is_empty() {
        return Err(format!("{path}: no [[experiment]]"));
    }
    let mut out = String::new();
    for spec in &file.experiment {
        out.push_str(&render_spec(spec, &path, &text, env, site, found)?);
        out.push('\n');
    }
    Ok(out)
}

/// The page's `experiments.toml`: its path from the book root, text and data.
fn load(env: &Env, site: Site) -> Result<(String, String, ExperimentFile), String> {
    let dir = Path::new(site.file)
        .parent()
        .ok_or("experiments need a page of the book")?;
    let path = dir.join(FILE_NAME).to_string_lossy().replace('\\', "/");
    let base = env.experiments_dir.as_ref().unwrap_or(&env.book_root);
    let text = std::fs::read_to_string(base.join(&path))
        .map_err(|e| format!("{path}: {e} (experiments live beside their page)"))?;
    let file: ExperimentFile = toml::from_str(&text)
        .map_err(|e| format!("{path}: {}", e.to_string().trim_end().replace('\n', " ")))?;
    Ok((path, text, file))
}

/// The line of `id = "ID"` in the TOML, for a message that points at it.
fn line_of(text: &str, id: &str) -> usize {
    let wanted = format!("\"{id}\"");
    text.lines()
        .position(|l| l.trim_start().starts_with("id") && l.contains(&wanted))
        .map_or(1, |i| i + 1)
}

fn render_spec(
    spec: &Spec,
    path: &str,
    text: &str,
    env: &Env,
    site: Site,
    found: &mut Found,
) -> Result<String, String> {
    let line = line_of(text, &spec.id);
    let checked = spec
        .check(&env.book_root, site.place())
        .map_err(|e| format!("{path}:{line}: experiment `{}`: {e}", spec.id))?;
    found
        .experiment(checked)
        .map_err(|e| format!("{path}:{line}: {e}"))?;
    let answer = spec.answer();
    let mut out = format!(
        "<div class=\"runnable-experiment\" data-experiment=\"{}\" data-answer=\"{answer}\">\n\
         <p class=\"runnable-experiment-label\">{}</p>\n\n{}\n\n\
         <ol class=\"runnable-choices runnable-experiment-choices\">\n",
        escape_html(&spec.id),
        env.catalogue
            .fill(strings::TRY_IT, &[("title", &inline_html(&spec.title))]),
        spec.question.trim()
    );
    for (i, choice) in spec.choices.iter().enumerate() {
        out.push_str(&format!(
            "<li><button type=\"button\" class=\"runnable-choice runnable-experiment-choice\" data-index=\"{i}\">\
             <span class=\"runnable-choice-key\">{}</span> \
             <span class=\"runnable-choice-text\">{}</span></button></li>\n",
            char::from(b'A' + u8::try_from(i).unwrap_or(0)),
            inline_html(choice.trim())
        ));
    }
    out.push_str(&format!(
        "</ol>\n\
         <p class=\"runnable-experiment-feedback\" role=\"status\" hidden></p>\n\
         <div class=\"runnable-experiment-edit\">\n\
         <p class=\"runnable-experiment-step\">{}</p>\n\n",
        env.catalogue.fill(
            strings::THE_EDIT,
            &[
                ("file", &format!("<code>{}</code>", escape_html(&spec.file))),
                (
                    "command",
                    &format!("<code>{}</code>", escape_html(&spec.command))
                )
            ]
        )
    ));
    // The edit as the reader knows the code: without `// pair:` markers.
    let (find, replace) = (
        pairs::strip_all(&spec.find),
        pairs::strip_all(&spec.replace),
    );
    out.push_str(&fenced("diff", &diff(&find, &replace)));
    out.push_str(&format!(
        "\n</div>\n<div class=\"runnable-experiment-claim\">\n\
         <p class=\"runnable-experiment-step\">{}</p>\n\
         <ul class=\"runnable-experiment-outcome\">\n",
        env.catalogue.get(strings::WHAT_HAPPENS)
    ));
    for line in spec.outcome.describe(&env.catalogue) {
        out.push_str(&format!("<li>{}</li>\n", inline_html(&line)));
    }
    out.push_str(&format!(
        "</ul>\n\n{}\n\n</div>\n\
         <div class=\"runnable-experiment-result\" hidden></div>\n</div>\n",
        spec.explanation.trim()
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_points_at_the_experiment_s_line() {
        let text = "[[experiment]]\nid = \"a\"\n\n[[experiment]]\nid = \"b\"\n";
        assert_eq!(line_of(text, "b"), 5);
        assert_eq!(line_of(text, "zz"), 1);
    }
}
