//! `cargo dev <command>`: the maintainers' commands (CI, the exercises'
//! gates, mutation testing, the translation, benchmarks). The learner's are
//! `cargo xtask <command>` (the `xtask` crate, which this one uses as a
//! library and which never depends on this one).

mod bench;
mod book;
mod commands;
mod e2e;
mod go;
mod i18n;
mod mutants;
mod new_exercise;
mod process;
mod stress;
mod test_all;
mod verify;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::Path;
use std::process::ExitCode;

/// The workbook's maintainer commands (learners: `cargo xtask help`).
#[derive(Parser)]
#[command(name = "cargo dev", bin_name = "cargo dev")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Everything CI checks (this is what .ci/run calls)
    Test,
    /// Prove every starter fails exactly its declared checks, every solution
    /// passes them all, and every fixture is graded right
    Verify,
    /// Mutation testing of the checks (cargo-mutants, pinned): mutate each
    /// reference solution, run its checks, write mutants/ID.txt; fails on a
    /// surviving mutant that mutants/ID.toml does not explain
    Mutants {
        /// One exercise (default: all)
        id: Option<String>,
    },
    /// Run every command the book shows, once, and compare its output with
    /// the page's output block
    Commands,
    /// The Go side: gofmt, go vet, go test in go/
    Go,
    /// Build the English book and check its HTML for what book.toml promises
    Book,
    /// Build the book, then test it in headless Chromium (every chapter page
    /// at 1280 and 390 px, offline, in every theme), check every link, then
    /// prove each check can fail (e2e/selftest/); screenshots go to target/e2e/
    E2e {
        /// Passed to e2e/run.mjs (and the self-test is skipped): `--page leak`,
        /// `--links-only`
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Measure edit->verdict of `cargo xtask check ID` and `cargo test -p
    /// exercises ID` against a one-test crate, with the exercises as they are
    /// and twice as many (xtask/BENCH.md)
    BenchLoop {
        /// The exercises measured (default: leak_coordinator, slice_add_all,
        /// rayon_port)
        ids: Vec<String>,
        /// Rounds, interleaved
        #[arg(long, default_value_t = 7)]
        rounds: usize,
    },
    /// Run the starters', solutions' and fixtures' checks (of the exercises
    /// named, or all) N times (50) with a CPU hog per core; list every verdict
    /// that changed
    Stress {
        /// `[N] [ID..]`: the number of runs, then exercise ids
        #[arg(value_name = "N] [ID")]
        args: Vec<String>,
    },
    /// Translations (po/README.md)
    I18n {
        #[command(subcommand)]
        action: i18n::Action,
    },
    /// The skeleton of a new exercise in every place it lives (stanza,
    /// starter, solution, checks, fixtures, module lines, starter blessed);
    /// then write its real files
    NewExercise {
        /// `<chapter slug>_<name>`, e.g. leak_restart
        id: String,
        /// Its title (default: a TODO)
        #[arg(long)]
        title: Option<String>,
    },
    /// Write the module and checks lists of exercises/src/lib.rs and
    /// solutions/src/lib.rs from exercises/exercises.toml
    Codegen,
    /// Record the current starters as shipped (exercises/starters.txt)
    BlessStarters,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dev: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<()> {
    let root = manifest::find_root().context("cannot find the workbook's root")?;
    let root = root.as_path();
    match command {
        Command::Test => test_all::run(root),
        Command::Verify => verify::run(root),
        Command::Mutants { id } => mutants::run(root, id.as_deref()),
        Command::Commands => commands::run(root).map(|_| ()),
        Command::Go => go::run(root).map(|_| ()),
        Command::Book => book::build_and_check(root),
        Command::E2e { args } => e2e::run(root, &args),
        Command::BenchLoop { ids, rounds } => bench::run(root, &ids, rounds),
        Command::Stress { args } => stress::run(root, &args),
        Command::I18n { action } => i18n::run(root, action),
        Command::NewExercise { id, title } => new_exercise::run(root, &id, title),
        Command::Codegen => codegen(root),
        Command::BlessStarters => {
            let manifest = load_manifest(root)?;
            xtask::starters::bless(root, &manifest).map_err(anyhow::Error::msg)
        }
    }
}

/// `cargo dev codegen`: the generated module lists, from the manifest.
fn codegen(root: &Path) -> Result<()> {
    let manifest = load_manifest(root)?;
    let written = manifest::codegen::write(&manifest, root)
        .map_err(anyhow::Error::msg)
        .context("codegen")?;
    if written.is_empty() {
        println!("codegen: every generated file is up to date");
    } else {
        println!("codegen: wrote {}", written.join(", "));
    }
    Ok(())
}

/// The manifest, or why not.
fn load_manifest(root: &Path) -> Result<manifest::Manifest> {
    xtask::load_manifest(root).map_err(anyhow::Error::msg)
}

/// An exercise of the manifest, or the list of the known ids.
fn find_exercise<'m>(manifest: &'m manifest::Manifest, id: &str) -> Result<&'m manifest::Exercise> {
    xtask::find_exercise(manifest, id).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(words: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo dev").chain(words.iter().copied()))
    }

    #[test]
    fn the_command_line_definition_is_sound() {
        Cli::command().debug_assert();
    }

    #[test]
    fn unknown_flags_and_extra_words_are_errors() {
        for words in [
            &["verify", "--all"][..],
            &["test", "extra"],
            &["mutants", "leak_runner", "leak_sink"],
            &["codegen", "--json"],
            &["i18n", "check", "fr"],
            &["i18n", "chek"],
            &["new-exercise"],
            &["bench-loop", "--rounds", "many"],
            &["no-such-command"],
        ] {
            assert!(parse(words).is_err(), "{words:?} was accepted");
        }
    }

    #[test]
    fn the_commands_take_what_they_say() {
        assert!(matches!(
            parse(&["mutants", "leak_runner"]).unwrap().command,
            Command::Mutants { id: Some(ref id) } if id == "leak_runner"
        ));
        assert!(matches!(
            parse(&["bench-loop", "find_sum", "--rounds", "3"]).unwrap().command,
            Command::BenchLoop { ref ids, rounds: 3 } if ids == &["find_sum"]
        ));
        assert!(matches!(
            parse(&["e2e", "--page", "leak"]).unwrap().command,
            Command::E2e { ref args } if args == &["--page", "leak"]
        ));
        assert!(matches!(
            parse(&["new-exercise", "leak_restart", "--title", "T"]).unwrap().command,
            Command::NewExercise { ref id, title: Some(ref t) } if id == "leak_restart" && t == "T"
        ));
        assert!(matches!(
            parse(&["i18n", "update", "zh-CN"]).unwrap().command,
            Command::I18n { action: i18n::Action::Update { lang: Some(ref l) } } if l == "zh-CN"
        ));
    }
}
