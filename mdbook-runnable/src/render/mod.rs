//! One renderer per directive. Each turns the directive's arguments into
//! Markdown with raw HTML around it: mdBook then renders the code blocks
//! (highlighting, Run buttons, hidden lines) exactly as it does its own.

mod compare;
mod exercise;
mod experiment;
mod listing;
mod output;
mod progress;
mod quiz;

use crate::attrs;
use crate::env::Env;
use std::path::Path;

pub fn render(name: &str, args: &str, env: &Env, chapter: Option<&Path>) -> Result<String, String> {
    let attrs = attrs::parse(args)?;
    match name {
        "exercise" => exercise::render(attrs, env, chapter),
        "compare" => compare::render(attrs, env),
        "listing" => listing::render(attrs, env),
        "output" => output::render(attrs, env),
        "quiz" => quiz::render(attrs, env),
        "progress" => progress::render(attrs, env),
        "experiment" => experiment::render_one(attrs, env, chapter),
        "experiments" => experiment::render_all(attrs, env, chapter),
        other => unreachable!("`{other}` is not in expand::OURS"),
    }
}
