//! `{{#quiz PATH.toml}}`: multiple-choice questions that work offline. The
//! buttons are wired by theme/runnable.js; without JS the answer and the
//! explanation stay readable in a `<details>`.
//!
//! A "what does it print" question names the program's checked output with
//! `answer_output`; the build fails if the right choice no longer matches it.

use crate::anchors::{self, Spec};
use crate::attrs::Attrs;
use crate::env::Env;
use crate::markdown::{escape_html, fenced, info_string, inline_html, language_of};
use crate::strings;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFile {
    #[serde(default)]
    question: Vec<Question>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Question {
    prompt: String,
    code: Option<String>,
    choices: Vec<String>,
    /// Signed so that `answer = -1` gets our message, not serde's.
    answer: i64,
    explanation: String,
    answer_output: Option<String>,
}

pub fn render(attrs: Attrs, env: &Env) -> Result<String, String> {
    let path = attrs.one_positional("quiz", "a quiz file, e.g. {{#quiz quizzes/leak.toml}}")?;
    attrs.finish("quiz", &[])?;
    let text = anchors::read_file(&env.book_root, &path)?;
    let quiz: QuizFile = toml::from_str(&text)
        .map_err(|e| format!("{path}: {}", e.to_string().trim_end().replace('\n', " ")))?;
    if quiz.question.is_empty() {
        return Err(format!("{path}: no [[question]]"));
    }
    let total = quiz.question.len();
    let mut out = format!(
        "<div class=\"runnable-quiz\" data-quiz=\"{}\">\n",
        escape_html(&path)
    );
    for (i, question) in quiz.question.iter().enumerate() {
        let html = render_question(question, i + 1, total, env)
            .map_err(|e| format!("{path}: question {}: {e}", i + 1))?;
        out.push_str(&html);
    }
    out.push_str("</div>\n");
    Ok(out)
}

fn render_question(q: &Question, number: usize, total: usize, env: &Env) -> Result<String, String> {
    if q.choices.len() < 2 {
        return Err("needs at least two choices".to_owned());
    }
    let answer = usize::try_from(q.answer)
        .ok()
        .filter(|&a| a < q.choices.len())
        .ok_or_else(|| {
            format!(
                "answer {} is out of range: choices are numbered 0 to {}",
                q.answer,
                q.choices.len() - 1
            )
        })?;
    if let Some(output_path) = &q.answer_output {
        check_answer_output(&q.choices[answer], answer, output_path, env)?;
    }

    let mut out = format!(
        "<div class=\"runnable-question\" data-answer=\"{answer}\">\n\
         <p class=\"runnable-question-label\">{}</p>\n\n{}\n\n",
        env.catalogue.fill(
            strings::QUESTION_OF,
            &[
                ("number", &number.to_string()),
                ("total", &total.to_string())
            ]
        ),
        q.prompt.trim()
    );
    if let Some(code) = &q.code {
        let spec = Spec::parse(code);
        let listing = spec.read(&env.book_root)?;
        let lang = language_of(&spec.path);
        out.push_str(&fenced(&info_string(lang, &listing, false), &listing));
        out.push('\n');
    }
    out.push_str("<ol class=\"runnable-choices\">\n");
    for (i, choice) in q.choices.iter().enumerate() {
        out.push_str(&format!(
            "<li><button type=\"button\" class=\"runnable-choice\" data-index=\"{i}\">\
             <span class=\"runnable-choice-key\">{}</span> \
             <span class=\"runnable-choice-text\">{}</span></button></li>\n",
            letter(i),
            choice_html(choice)
        ));
    }
    out.push_str(&format!(
        "</ol>\n\
         <p class=\"runnable-feedback\" role=\"status\" hidden></p>\n\
         <details class=\"runnable-explanation\">\n\
         <summary>{}</summary>\n\
         <p class=\"runnable-answer\">{}</p>\n\n{}\n\n</details>\n</div>\n",
        env.catalogue.fill(strings::ANSWER_AND_EXPLANATION, &[]),
        env.catalogue.fill(
            strings::THE_ANSWER_IS,
            &[
                ("letter", &format!("<strong>{}</strong>", letter(answer))),
                ("choice", &choice_html(&q.choices[answer]))
            ]
        ),
        q.explanation.trim()
    ));
    Ok(out)
}

fn check_answer_output(choice: &str, answer: usize, path: &str, env: &Env) -> Result<(), String> {
    let output =
        anchors::read_file(&env.book_root, path).map_err(|e| format!("answer_output: {e}"))?;
    if choice.trim() == output.trim() {
        return Ok(());
    }
    Err(format!(
        "the answer (choice {answer}, {:?}) differs from what the program prints, \
         answer_output `{path}` ({:?}): fix the choice or the answer index",
        choice.trim(),
        output.trim()
    ))
}

fn letter(i: usize) -> char {
    char::from(b'A' + u8::try_from(i % 26).unwrap_or(0))
}

/// Multi-line choices are program output: keep their lines and spacing.
fn choice_html(choice: &str) -> String {
    if choice.trim().contains('\n') {
        format!(
            "<span class=\"runnable-choice-output\">{}</span>",
            escape_html(choice.trim()).replace('\n', "&#10;")
        )
    } else {
        inline_html(choice.trim())
    }
}
