//! `cargo run -p runner --bin book-commands -- ROOT`, run by `cargo xtask
//! commands` (a step of `cargo dev test`): every command the book shows,
//! run once from the directory the book says. It lives here, not in xtask,
//! so that xtask (the learner's commands) does not build the preprocessor. It must exit as
//! its output block says (0, or `go run`'s 1 for a program that fails on
//! purpose), and print what the block shows, after the same normalisation
//! the block's checked file was made with (mdbook-runnable's `Compare`).
//!
//! Then every guided experiment: its edit applied to a scratch copy under
//! `target/experiments/`, built and run, and judged against the outcome its
//! page claims. Rust experiments share one Cargo target there, so the
//! dependencies compile once. `EXPERIMENTS=ID,ID` (or `only`) narrows a
//! maintainer's run to those experiments and skips the commands.

use crate::exec::{self, Limits};
use crate::experiment;
use mdbook_runnable::commands::{BookCommand, Compare, go_transcript};
use mdbook_runnable::experiments::Experiment;
use std::path::Path;
use std::time::Duration;

/// Generous: a cold `cargo run --release` compiles the listings first.
const LIMITS: Limits = Limits {
    time: Duration::from_secs(600),
    output: 16 << 20,
};

/// An experiment's program, once built: the runner's own limit for a Run.
const EXPERIMENT_RUN: Limits = Limits {
    time: Duration::from_secs(60),
    output: 1 << 20,
};

pub enum Outcome {
    Ran,
    /// Ran the Rust ones; Go is not installed.
    GoSkipped(usize),
}

pub fn run(root: &Path) -> Result<Outcome, String> {
    let (manifest, experiments) = mdbook_runnable::collect(root, "src").map_err(|diagnostics| {
        let lines: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        format!(
            "the book shows commands that cannot run:\n{}",
            lines.join("\n")
        )
    })?;
    let has_go = std::process::Command::new("go")
        .arg("version")
        .output()
        .is_ok_and(|out| out.status.success());
    let mut problems = Vec::new();
    let mut skipped = 0;
    let only = std::env::var("EXPERIMENTS").ok();
    let commands = if only.is_some() {
        &[][..]
    } else {
        &manifest.commands[..]
    };
    for command in commands {
        if command.program == "go" && !has_go {
            skipped += 1;
            continue;
        }
        println!("$ {}", command.text);
        match check(root, command) {
            Ok(note) => println!("  ok  {note}"),
            Err(problem) => {
                println!("  FAILED");
                problems.push(format!("{}: {problem}", command.shown_at[0]));
            }
        }
    }
    let wanted = |e: &Experiment| match only.as_deref() {
        None | Some("" | "only") => true,
        Some(list) => list.split(',').any(|id| id == e.id),
    };
    for e in experiments.experiments.iter().filter(|e| wanted(e)) {
        if e.program == "go" && !has_go {
            skipped += 1;
            continue;
        }
        println!("experiment {} ({}): {}", e.id, e.shown_at, e.title);
        match check_experiment(root, e) {
            Ok(note) => println!("  ok  {note}"),
            Err(problem) => {
                println!("  FAILED");
                problems.push(format!("{}: experiment `{}`: {problem}", e.shown_at, e.id));
            }
        }
    }
    if !problems.is_empty() {
        return Err(format!(
            "{} of the book's commands and experiments do not do what the book shows:\n{}",
            problems.len(),
            problems.join("\n")
        ));
    }
    if skipped > 0 {
        println!("skipped: go not found ({skipped} Go commands not run)");
        return Ok(Outcome::GoSkipped(skipped));
    }
    Ok(Outcome::Ran)
}

fn check(root: &Path, command: &BookCommand) -> Result<String, String> {
    let done = exec::run(exec::Job {
        dir: &root.join(&command.dir),
        program: &command.program,
        args: &command.args,
        env: command.environment(),
        limits: LIMITS,
    })?;
    let stderr: String = done
        .chunks
        .iter()
        .filter(|(s, _)| *s == exec::Stream::Stderr)
        .map(|(_, t)| t.as_str())
        .collect();
    let stdout = done.stdout();
    let tail = |text: &str| {
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(15)..].join("\n")
    };
    if done.timed_out {
        return Err(format!(
            "`{}` did not finish within {} s",
            command.text,
            LIMITS.time.as_secs()
        ));
    }
    let mut expected_exit = 0;
    let mut compared = Vec::new();
    for output in &command.outputs {
        let want = std::fs::read_to_string(root.join(&output.file))
            .map_err(|e| format!("{}: {e}", output.file))?;
        let got = match output.compare {
            Compare::Measurement => {
                compared.push(format!("{} is a measurement: not compared", output.file));
                continue;
            }
            Compare::Stdout => stdout.clone(),
            Compare::GoTranscript => {
                // A transcript that ends in `exit status N` is a program that
                // fails on purpose; `go run` itself then exits with 1.
                if want
                    .lines()
                    .last()
                    .is_some_and(|l| l.starts_with("exit status "))
                {
                    expected_exit = 1;
                }
                go_transcript(&stdout, &stderr)
            }
        };
        if got != want {
            return Err(format!(
                "`{}` prints something else than {} shows ({}):\n--- it printed:\n{got}--- the book shows:\n{want}",
                command.text, output.file, output.shown_at
            ));
        }
        compared.push(format!("prints {}", output.file));
    }
    if done.code != Some(expected_exit) {
        return Err(format!(
            "`{}` exited with {:?}, the book expects {expected_exit}; its last lines:\n{}\n{}",
            command.text,
            done.code,
            tail(&stdout),
            tail(&stderr)
        ));
    }
    Ok(format!(
        "exit {expected_exit}, {:.1} s{}",
        done.elapsed.as_secs_f64(),
        if compared.is_empty() {
            String::new()
        } else {
            format!("; {}", compared.join("; "))
        }
    ))
}

/// Builds and runs an experiment's edited copy with the runner's limits, and
/// compares what happened with its page's claim.
fn check_experiment(root: &Path, e: &Experiment) -> Result<String, String> {
    let scratch = root.join("target").join("experiments");
    let ready = experiment::ready(root, e, &scratch.join(&e.id), &scratch.join("target"))?;
    let env = ready.env();
    let step = |program: &str, args: &[String], limits| {
        exec::run(exec::Job {
            dir: Path::new(&ready.command.dir),
            program,
            args,
            env: &env,
            limits,
        })
    };
    let mut failed = None;
    let mut done = None;
    let mut build_secs = 0.0;
    if let Some(build) = &ready.plan.build {
        let built = step(&build.program, &build.args, LIMITS)?;
        build_secs = built.elapsed.as_secs_f64();
        if !built.succeeded() {
            failed = Some("build");
            done = Some(built);
        }
    }
    let done = match done {
        Some(done) => done,
        None => step(
            &ready.plan.run.program,
            &ready.plan.run.args,
            EXPERIMENT_RUN,
        )?,
    };
    let output: String = done.chunks.iter().map(|(_, t)| t.as_str()).collect();
    e.outcome
        .judge(
            failed,
            done.code,
            done.timed_out,
            &[&output, &done.stdout(), &done.stderr()],
        )
        .map_err(|why| {
            let lines: Vec<&str> = output.lines().collect();
            // The head too: a Go crash says what it is on its first line,
            // and its goroutine dump fills the tail.
            let head = lines.len().min(5);
            let tail = lines.len().saturating_sub(15).max(head);
            let gap = if tail > head { "\n…" } else { "" };
            format!(
                "{why}; exit {:?}, signal {:?}, {:.1} s; its first and last lines:\n{}{gap}\n{}",
                done.code,
                done.signal,
                done.elapsed.as_secs_f64(),
                lines[..head].join("\n"),
                lines[tail..].join("\n")
            )
        })?;
    Ok(match failed {
        Some(_) => format!("failed to build as claimed, build {build_secs:.1} s"),
        None => format!(
            "ran as claimed, build {build_secs:.1} s, run {:.1} s",
            done.elapsed.as_secs_f64()
        ),
    })
}
