//! `cargo xtask <command>`: the workbook's commands for learners and maintainers.

mod args;
mod bench;
mod book;
mod chapter;
mod check;
mod commands;
mod e2e;
mod go;
mod grade;
mod hint;
mod i18n;
mod mutants;
mod new_exercise;
mod phases;
mod process;
mod progress;
mod reset;
mod serve;
mod starters;
mod state;
mod stress;
mod test_all;
mod test_results;
mod verdict;
mod verify;
mod watch;

use std::process::ExitCode;

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

maintainer commands:
  test             everything CI checks (this is what .ci/run calls)
  verify           prove every starter fails exactly its declared checks, every
                   solution passes them all, and every fixture is graded right
  mutants [ID]     mutation testing of the checks (cargo-mutants, pinned): mutate
                   each reference solution, run its checks, write mutants/ID.txt;
                   fails on a surviving mutant that mutants/ID.toml does not explain
  commands         run every command the book shows, once, and compare its
                   output with the page's output block
  go               the Go side: gofmt, go vet, go test in go/
  bench-loop [ID..] measure edit->verdict of `check ID` and `cargo test -p
                   exercises ID` against a one-test crate, with the exercises
                   as they are and twice as many (`--rounds N`, default 7)
  stress [N] [ID..] run the starters', solutions' and fixtures' checks (of the
                   exercises named, or all) N times (50) with a CPU hog per core;
                   list every verdict that changed
  new-exercise ID [--title TEXT]
                   the skeleton of a new exercise in every place it lives
                   (stanza, starter, solution, checks, fixtures, module lines,
                   starter blessed); then write its real files
  codegen          write the module and checks lists of exercises/src/lib.rs and
                   solutions/src/lib.rs from exercises/exercises.toml
  bless-starters   record the current starters as shipped (exercises/starters.txt)
  e2e [ARGS..]     build the book, then test it in headless Chromium (every
                   chapter page at 1280 and 390 px, offline, in every theme)
                   and check every link, then prove each check can fail
                   (e2e/selftest/); screenshots go to target/e2e/. ARGS go to
                   e2e/run.mjs and skip the self-test: `--page leak`, `--links-only`
  i18n CMD [LANG]  translations (po/README.md): `update` after an English edit,
                   `check` (all translated, none fuzzy), `build` (book/LANG/)
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
        Some("test") => test_all::run(&root),
        Some("verify") => verify::run(&root),
        Some("mutants") => mutants::run(&root, args.get(1).map(String::as_str)),
        Some("go") => go::run(&root).map(|_| ()),
        Some("commands") => commands::run(&root).map(|_| ()),
        Some("e2e") => e2e::run(&root, rest),
        Some("bench-loop") => bench::run(&root, rest),
        Some("stress") => stress::run(&root, rest),
        Some("i18n") => i18n::run(&root, rest),
        Some("new-exercise") => new_exercise::run(&root, rest),
        Some("codegen") => CODEGEN_ARGS.parse(rest).and_then(|_| codegen(&root)),
        Some("bless-starters") => load_manifest(&root).and_then(|m| starters::bless(&root, &m)),
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

const CODEGEN_ARGS: args::Spec = args::Spec {
    command: "codegen",
    flags: &[],
    positional: "",
    max_positional: 0,
};

/// `cargo xtask codegen`: the generated module lists, from the manifest.
fn codegen(root: &std::path::Path) -> Result<(), String> {
    let manifest = load_manifest(root)?;
    let written = manifest::codegen::write(&manifest, root)?;
    if written.is_empty() {
        println!("codegen: every generated file is up to date");
    } else {
        println!("codegen: wrote {}", written.join(", "));
    }
    Ok(())
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

/// Loads the manifest or explains why not.
fn load_manifest(root: &std::path::Path) -> Result<manifest::Manifest, String> {
    manifest::Manifest::load(root).map_err(|e| e.to_string())
}

/// Looks an exercise up, listing the known ids when the name is wrong.
fn find_exercise<'m>(
    manifest: &'m manifest::Manifest,
    id: &str,
) -> Result<&'m manifest::Exercise, String> {
    manifest.get(id).ok_or_else(|| {
        let ids: Vec<&str> = manifest.ids().collect();
        format!("no exercise `{id}`; the exercises are: {}", ids.join(", "))
    })
}
