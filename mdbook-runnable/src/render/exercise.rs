//! `{{#exercise ID}}`: the exercise card, built from the manifest and the two
//! crates so the book, the starter and the solution cannot drift apart.

use crate::anchors;
use crate::attrs::Attrs;
use crate::env::{Env, Found, Site};
use crate::markdown::{escape_html, fenced, inline_html};
use crate::starter;
use crate::strings;
use std::path::Path;

const HINT_LABELS: [&str; 3] = [strings::HINT_1, strings::HINT_2, strings::HINT_3];

pub fn render(attrs: Attrs, env: &Env, site: Site, found: &mut Found) -> Result<String, String> {
    let id = attrs.one_positional(
        "exercise",
        "an exercise id, e.g. {{#exercise leak_coordinator}}",
    )?;
    attrs.finish("exercise", &[])?;
    let (root, manifest) = env.manifest()?;
    let Some(ex) = manifest.get(&id) else {
        let known: Vec<&str> = manifest.ids().collect();
        return Err(format!(
            "unknown exercise `{id}`: {} lists {}",
            manifest::MANIFEST_PATH,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        ));
    };
    if Path::new(&ex.chapter) != site.chapter {
        return Err(format!(
            "exercise `{id}` belongs on src/{} according to {}, not on this page: move the card or fix `chapter`",
            ex.chapter,
            manifest::MANIFEST_PATH
        ));
    }
    if ex.hints.len() != HINT_LABELS.len() {
        return Err(format!(
            "exercise `{id}` has {} hints in {}; the card needs three (nudge, concept, almost the answer)",
            ex.hints.len(),
            manifest::MANIFEST_PATH
        ));
    }
    let starter_path = ex.starter_path().display().to_string();
    let solution_path = ex.solution_path().display().to_string();
    // The starter as shipped, not the learner's file as it was at build time.
    let shipped = starter::shipped(root, &id, &starter_path)?;
    if let Some(warning) = shipped.warning {
        found.warnings.push(warning);
    }
    let starter =
        anchors::extract(&shipped.text, None).map_err(|e| format!("{starter_path}: {e}"))?;
    let solution = read_rust(root, &solution_path)?;
    found.exercise(site, &id, &ex.grade_command());

    let id_html = escape_html(&id);
    // A write-the-test exercise says so first: the learner's file is a test.
    let (tag, edit, starter_label) = match ex.kind {
        manifest::Kind::Fix => (
            strings::EXERCISE_TAG,
            strings::EXERCISE_EDIT,
            strings::EXERCISE_STARTER,
        ),
        manifest::Kind::Test => (strings::TEST_TAG, strings::TEST_EDIT, strings::TEST_STARTER),
    };
    let code = |text: &str| format!("<code>{}</code>", escape_html(text));
    let mut out = format!(
        "<div class=\"runnable-exercise\" id=\"exercise-{id_html}\" data-exercise=\"{id_html}\">\n\
         <p class=\"runnable-exercise-title\"><span class=\"runnable-tag\">{}</span> {}</p>\n\n",
        env.catalogue.get(tag),
        inline_html(&env.catalogue.get(&ex.title))
    );
    out.push_str(env.catalogue.get(&ex.task).trim());
    out.push_str(&format!(
        "\n\n<ul class=\"runnable-exercise-facts\">\n\
         <li>{}</li>\n\
         <li>{}</li>\n\
         </ul>\n\
         <p class=\"runnable-label\">{}</p>\n\n",
        env.catalogue.fill(edit, &[("file", &code(&ex.file))]),
        env.catalogue
            .fill(strings::GRADE, &[("command", &code(&ex.grade_command()))]),
        env.catalogue
            .fill(starter_label, &[("file", &code(&starter_path))]),
    ));
    out.push_str(&fenced("rust,ignore,noplayground", &starter));
    // theme/runnable-runner.js shows the learner's current file here, from the runner.
    out.push_str(&format!(
        "\n<div class=\"runnable-your-file\" data-file=\"{}\" hidden></div>\n\n",
        escape_html(&starter_path)
    ));
    for (label, hint) in HINT_LABELS.iter().zip(&ex.hints) {
        out.push_str(&format!(
            "<details class=\"runnable-hint\">\n<summary>{}</summary>\n\n{}\n\n</details>\n",
            env.catalogue.get(label),
            env.catalogue.get(hint).trim()
        ));
    }
    out.push_str(&format!(
        "<p class=\"runnable-hint-cli\">{}</p>\n\
         <details class=\"runnable-solution\">\n\
         <summary>{}</summary>\n\n",
        env.catalogue.fill(
            strings::HINT_CLI,
            &[("command", &code(&format!("cargo xtask hint {id}")))]
        ),
        env.catalogue
            .fill(strings::SOLUTION, &[("file", &code(&solution_path))]),
    ));
    out.push_str(&fenced("rust,ignore,noplayground", &solution));
    out.push_str("\n</details>\n</div>\n");
    Ok(out)
}

fn read_rust(root: &Path, path: &str) -> Result<String, String> {
    let text = anchors::read_file(root, path)?;
    anchors::extract(&text, None).map_err(|e| format!("{path}: {e}"))
}
