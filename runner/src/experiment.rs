//! A guided experiment, made ready to build and run: its package copied to a
//! scratch folder and edited there (`mdbook_runnable::experiments::prepare`),
//! then planned like any book command (`plan.rs`). The runner's
//! `POST /api/experiment/ID` and `book-commands` both use it, and both judge
//! the result with the claim the page makes.

use crate::exec::Finished;
use crate::plan::{self, Plan};
use mdbook_runnable::commands::BookCommand;
use mdbook_runnable::experiments::{self, Experiment, Prepared};
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
        dir: String::new(),
        program: experiment.program.clone(),
        args: experiment.args.clone(),
        shown_at: vec![experiment.shown_at.clone()],
        outputs: Vec::new(),
    };
    Ok(Ready::in_copy(&command, prepared, scratch))
}

impl Ready {
    /// `command` made to run in a prepared scratch copy (the page's edits
    /// use this too); Go's binary goes to `scratch` (absolute).
    pub fn in_copy(command: &BookCommand, prepared: Prepared, scratch: &Path) -> Ready {
        let command = BookCommand {
            dir: prepared.dir.display().to_string(),
            ..command.clone()
        };
        let plan = plan::plan(&command, scratch);
        Ready {
            command,
            plan,
            extra_env: prepared.env,
        }
    }

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
    match experiment.outcome.judge(
        failed_step,
        done.code,
        done.timed_out,
        &[&output, &done.stdout(), &done.stderr()],
    ) {
        Ok(()) => json!({"matches": true, "why": "as the page claims"}),
        Err(why) => json!({"matches": false, "why": why}),
    }
}
