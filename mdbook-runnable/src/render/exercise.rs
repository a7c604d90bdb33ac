//! `{{#exercise ID}}`: the exercise card, built from the manifest and the two
//! crates so the book, the starter and the solution cannot drift apart.

use crate::anchors;
use crate::attrs::Attrs;
use crate::env::Env;
use crate::markdown::{escape_html, fenced, inline_html};
use crate::starter;
use std::path::Path;

const HINT_LABELS: [&str; 3] = [
    "Hint 1 — nudge",
    "Hint 2 — concept",
    "Hint 3 — almost the answer",
];

pub fn render(attrs: Attrs, env: &Env, chapter: Option<&Path>) -> Result<String, String> {
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
    if let Some(chapter) = chapter {
        if Path::new(&ex.chapter) != chapter {
            return Err(format!(
                "exercise `{id}` belongs on src/{} according to {}, not on this page: move the card or fix `chapter`",
                ex.chapter,
                manifest::MANIFEST_PATH
            ));
        }
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
        env.warnings.borrow_mut().push(warning);
    }
    let starter =
        anchors::extract(&shipped.text, None).map_err(|e| format!("{starter_path}: {e}"))?;
    let solution = read_rust(root, &solution_path)?;
    env.shown_exercises.borrow_mut().insert(id.clone());
    env.exercise_command(&id, &ex.grade_command());

    let id_html = escape_html(&id);
    // A write-the-test exercise says so first: the learner's file is a test.
    let (tag, edit, starter_label) = match ex.kind {
        manifest::Kind::Fix => ("Exercise", "Edit", "Starter code (as shipped)"),
        manifest::Kind::Test => (
            "Write the test",
            "Write your test in",
            "Starter test (as shipped)",
        ),
    };
    let mut out = format!(
        "<div class=\"runnable-exercise\" id=\"exercise-{id_html}\" data-exercise=\"{id_html}\">\n\
         <p class=\"runnable-exercise-title\"><span class=\"runnable-tag\">{tag}</span> {}</p>\n\n",
        inline_html(&ex.title)
    );
    out.push_str(ex.task.trim());
    out.push_str(&format!(
        "\n\n<ul class=\"runnable-exercise-facts\">\n\
         <li>{edit} <code>{}</code></li>\n\
         <li>Grade <code>{}</code></li>\n\
         </ul>\n\
         <p class=\"runnable-label\">{starter_label}, <code>{}</code>:</p>\n\n",
        escape_html(&ex.file),
        escape_html(&ex.grade_command()),
        escape_html(&starter_path),
    ));
    out.push_str(&fenced("rust,ignore,noplayground", &starter));
    // theme/runnable.js shows the learner's current file here, from the runner.
    out.push_str(&format!(
        "\n<div class=\"runnable-your-file\" data-file=\"{}\" hidden></div>\n\n",
        escape_html(&starter_path)
    ));
    for (label, hint) in HINT_LABELS.iter().zip(&ex.hints) {
        out.push_str(&format!(
            "<details class=\"runnable-hint\">\n<summary>{label}</summary>\n\n{}\n\n</details>\n",
            hint.trim()
        ));
    }
    out.push_str(&format!(
        "<p class=\"runnable-hint-cli\">The same hints in your terminal: <code>cargo xtask hint {id_html}</code></p>\n\
         <details class=\"runnable-solution\">\n\
         <summary>Reference solution, <code>{}</code> (spoiler)</summary>\n\n",
        escape_html(&solution_path)
    ));
    out.push_str(&fenced("rust,ignore,noplayground", &solution));
    out.push_str("\n</details>\n</div>\n");
    Ok(out)
}

fn read_rust(root: &Path, path: &str) -> Result<String, String> {
    let text = anchors::read_file(root, path)?;
    anchors::extract(&text, None).map_err(|e| format!("{path}: {e}"))
}
