//! A guided experiment, made ready to build and run: its package copied to a
//! scratch folder and edited there (`mdbook_runnable::experiments::prepare`),
//! then planned like any book command (`plan.rs`). The runner's
//! `POST /api/experiment/ID` and `book-commands` both use it, and both judge
//! the result with the claim the page makes.

use crate::exec::Finished;
use crate::plan::{self, Plan};
use mdbook_runnable::commands::BookCommand;
use mdbook_runnable::experiments::{self, Experiment};
use serde_json::{Value, json};
use std::path::Path;

pub struct Ready {
    /// The experiment's command, running in the scratch copy.
    pub command: BookCommand,
    pub plan: Plan,
    extra_env: Vec<(String, String)>,
}

/// `scratch` is this experiment's own folder (emptied first); Rust
/// experiments share `shared_target` so dependencies compile once.
pub fn ready(
    root: &Path,
    experiment: &Experiment,
    scratch: &Path,
    shared_target: &Path,
) -> Result<Ready, String> {
    // Absolute: the build runs in the copy, and Go's `-o` must not land there.
    let scratch =
        &std::path::absolute(scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let copy = scratch.join("copy");
    let prepared = experiments::prepare(root, experiment, &copy, shared_target)?;
    let command = BookCommand {
        id: experiment.id.clone(),
        text: experiment.command.clone(),
        dir: prepared.dir.display().to_string(),
        program: experiment.program.clone(),
        args: experiment.args.clone(),
        shown_at: vec![experiment.shown_at.clone()],
        outputs: Vec::new(),
    };
    let plan = plan::plan(&command, scratch);
    Ok(Ready {
        command,
        plan,
        extra_env: prepared.env,
    })
}

impl Ready {
    /// The command's own environment and the scratch workspace's.
    pub fn env(&self) -> Vec<(&str, &str)> {
        self.plan
            .env
            .iter()
            .copied()
            .chain(self.extra_env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .collect()
    }
}

/// Whether what happened is what the page claims: `{"matches", "why"}`.
pub fn judge(experiment: &Experiment, failed_step: Option<&str>, done: &Finished) -> Value {
    let output: String = done.chunks.iter().map(|(_, t)| t.as_str()).collect();
    match experiment
        .outcome
        .judge(failed_step, done.code, done.timed_out, &output)
    {
        Ok(()) => json!({"matches": true, "why": "as the page claims"}),
        Err(why) => json!({"matches": false, "why": why}),
    }
}
