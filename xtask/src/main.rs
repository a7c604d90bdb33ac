//! `cargo xtask <command>`: the learner's commands. The maintainers' are
//! `cargo dev <command>` (the `devtools` crate); a maintainer command typed
//! here is answered with the command to type instead.

use std::process::ExitCode;
use xtask::{args, check, hint, progress, reset, serve, watch};

const USAGE: &str = "\
usage: cargo xtask <command>

learner commands (ID defaults to the current exercise: the first not done):
  serve            install the pinned mdBook if missing, then serve the book on
                   http://127.0.0.1:3000 with the local runner (Run and Check
                   buttons) on 127.0.0.1:3001; open the link it prints.
                   `-p N` (book), `--runner-port N`, `--no-runner`,
                   `--no-prebuild`, `-- ARGS` for mdbook; `serve --help`
  watch [ID]       grade ID on every save of its file; keys: h hint, n next
                   exercise, r grade again, q quit (`--manual-run`: no file
                   events, grade on r only)
  check [ID]       grade ID once; exit status 0 exactly when every check passes
                   (`--json`: JSON, for tools; `--all`: every
                   exercise, verdicts in book order)
  progress         every exercise graded, and the chapter section to read next
                   (`--json` for tools)
  hint [ID]        the next hint (nudge, concept, almost the answer)
  reset ID         restore ID's starter as shipped; your version is kept in
                   my-work/backups/

maintainers: `cargo dev help` (test, verify, mutants, i18n, ...)
";

const HINT_ARGS: args::Spec = args::Spec {
    command: "hint",
    flags: &[],
    positional: "ID",
    max_positional: 1,
};

const RESET_ARGS: args::Spec = args::Spec {
    command: "reset",
    flags: &[],
    positional: "ID",
    max_positional: 1,
};

/// The commands of `cargo dev`, once `cargo xtask`'s: a learner or a script
/// that types one gets the right command, not "unknown command".
const MAINTAINER_COMMANDS: &[&str] = &[
    "test",
    "verify",
    "mutants",
    "commands",
    "go",
    "e2e",
    "book",
    "bench-loop",
    "stress",
    "i18n",
    "new-exercise",
    "codegen",
    "bless-starters",
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = match manifest::find_root() {
        Ok(root) => root,
        Err(e) => {
            eprintln!("xtask: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rest = &args[args.len().min(1)..];
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::run(&root, rest),
        Some("watch") => watch::run(&root, rest),
        Some("check") => match check::run(&root, rest) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::FAILURE, // the verdict said why
            Err(e) => Err(e),
        },
        Some("progress") => progress::run(&root, rest),
        Some("hint") => HINT_ARGS
            .parse(rest)
            .and_then(|a| hint::run(&root, a.first())),
        Some("reset") => RESET_ARGS
            .parse(rest)
            .and_then(|_| with_id(&args, |id| reset::run(&root, id))),
        Some(command) if MAINTAINER_COMMANDS.contains(&command) => {
            eprintln!("`{command}` is a maintainer command: `cargo dev {command}`");
            return ExitCode::from(2);
        }
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown or missing command\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn with_id(args: &[String], f: impl FnOnce(&str) -> Result<(), String>) -> Result<(), String> {
    match args.get(1) {
        Some(id) => f(id),
        None => Err(format!(
            "`{}` needs an exercise id, e.g. `cargo xtask {} leak_coordinator`",
            args[0], args[0]
        )),
    }
}
