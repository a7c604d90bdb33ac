//! `cargo run -p runner --bin book-commands -- ROOT`, run by `cargo xtask
//! commands` (a step of `cargo xtask test`): every command the book shows,
//! run once from the directory the book says. It lives here, not in xtask,
//! so that xtask (the learner's commands) does not build the preprocessor. It must exit as
//! its output block says (0, or `go run`'s 1 for a program that fails on
//! purpose), and print what the block shows, after the same normalisation
//! the block's checked file was made with (mdbook-runnable's `Compare`).

use crate::exec::{self, Limits};
use mdbook_runnable::commands::{BookCommand, Compare, go_transcript};
use std::path::Path;
use std::time::Duration;

/// Generous: a cold `cargo run --release` compiles the listings first.
const LIMITS: Limits = Limits {
    time: Duration::from_secs(600),
    output: 16 << 20,
};

pub enum Outcome {
    Ran,
    /// Ran the Rust ones; Go is not installed.
    GoSkipped(usize),
}

pub fn run(root: &Path) -> Result<Outcome, String> {
    let manifest = mdbook_runnable::collect_commands(root, "src").map_err(|diagnostics| {
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
    for command in &manifest.commands {
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
    if !problems.is_empty() {
        return Err(format!(
            "{} of the book's commands do not do what the book shows:\n{}",
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
