//! The commands the book shows are data. Every `run=`, `go_run=`, `rust_run=`
//! and `cmd=` is parsed into a program and its arguments, checked against the
//! repository (the Go package or the Rust example must exist), and collected
//! with the page and line that shows it. The result, [`CommandManifest`], is
//! what `cargo dev test` runs once each and the only thing the local runner
//! (`runner/`) may run. No shell ever sees the text: `cd go && go run ./x` is
//! the directory `go`, the program `go` and the arguments `run ./x`.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// `[preprocessor.runnable] commands = "PATH"`: where the build writes the
/// manifest (relative to the book root). Unset: the build writes none.
pub const CONFIG_KEY: &str = "preprocessor.runnable.commands";

/// Every command the book shows, and every exercise card's grading command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommandManifest {
    pub commands: Vec<BookCommand>,
    pub exercises: Vec<ExerciseCheck>,
}

/// One command, however many times the book shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BookCommand {
    /// Stable and readable: the program and its arguments as a slug,
    /// e.g. `go-run-leak-cmd-oneshot`. The page's buttons carry it.
    pub id: String,
    /// The command as the book shows it (its first appearance).
    pub text: String,
    /// The directory it runs in, relative to the book root (`.` or `go`).
    pub dir: String,
    pub program: String,
    pub args: Vec<String>,
    /// Every place the book shows it.
    pub shown_at: Vec<Place>,
    /// The output blocks that show what it prints.
    pub outputs: Vec<ExpectedOutput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    /// The page, e.g. `src/leak/index.md`.
    pub file: String,
    /// The line of the directive's `{{`.
    pub line: usize,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// An `{{#output FILE cmd="..."}}` block, and how its file compares with what
/// the command prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedOutput {
    pub file: String,
    pub compare: Compare,
    pub shown_at: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Compare {
    /// A Rust program: its standard output equals the file (cargo's own
    /// lines go to standard error).
    Stdout,
    /// A Go program: standard output, then standard error with its stack
    /// traces made reproducible ([`go_transcript`]), as `go/internal/leaktest`
    /// writes its golden transcripts. A file ending in `exit status N` is a
    /// program that fails on purpose: `go run` then exits with status 1.
    GoTranscript,
    /// A `.txt` file is a measurement (times, memory; see go/README.md): the
    /// command must succeed, its numbers are not compared.
    Measurement,
}

impl Compare {
    pub fn for_output(file: &str, program: &str) -> Compare {
        if file.ends_with(".txt") {
            Compare::Measurement
        } else if program == "go" {
            Compare::GoTranscript
        } else {
            Compare::Stdout
        }
    }
}

/// An exercise card: the runner grades it by its id, never by this text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseCheck {
    pub id: String,
    pub command: String,
    pub shown_at: Place,
}

/// A command split into what a process needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub dir: String,
    pub program: String,
    pub args: Vec<String>,
}

impl Parsed {
    pub fn id(&self) -> String {
        let mut id = String::new();
        for word in std::iter::once(&self.program).chain(&self.args) {
            for c in word.chars() {
                if c.is_ascii_alphanumeric() || c == '_' {
                    id.push(c.to_ascii_lowercase());
                } else if !id.ends_with('-') {
                    id.push('-');
                }
            }
            if !id.ends_with('-') {
                id.push('-');
            }
        }
        id.trim_matches('-').to_owned()
    }
}

const SHAPES: &str = "the book can show `cd go && go run ./PACKAGE [ARGS]` \
     (a main package under go/) or `cargo run [--release] -p CRATE --example NAME [-- ARGS]` \
     (CRATE/examples/NAME.rs)";

/// Parses and checks one command the book shows. `root` is the book root.
pub fn parse(text: &str, root: &Path) -> Result<Parsed, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if let Some(bad) = words.iter().find(|w| !is_plain_word(w) && **w != "&&") {
        return Err(format!(
            "`{text}`: `{bad}` is not allowed in a command (no quotes, pipes, \
             redirections or variables); {SHAPES}"
        ));
    }
    match words.as_slice() {
        ["cd", "go", "&&", "go", "run", package, args @ ..] => {
            go_package(text, root, package)?;
            if let Some(bad) = args.iter().find(|a| **a == "&&") {
                return Err(format!("`{text}`: one command only (`{bad}`); {SHAPES}"));
            }
            Ok(Parsed {
                dir: "go".to_owned(),
                program: "go".to_owned(),
                args: ["run", package]
                    .iter()
                    .chain(args)
                    .map(|s| (*s).to_owned())
                    .collect(),
            })
        }
        ["cargo", "run", rest @ ..] => {
            let (release, rest) = match rest {
                ["--release", rest @ ..] => (true, rest),
                rest => (false, rest),
            };
            // Arguments for the program come after `--`, as plain words.
            let (rest, program_args) = match rest.iter().position(|w| *w == "--") {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let ["-p", krate, "--example", example] = rest else {
                return Err(format!(
                    "`{text}` is not a command the book can run: {SHAPES}"
                ));
            };
            if let Some(bad) = program_args.iter().find(|a| **a == "&&") {
                return Err(format!("`{text}`: one command only (`{bad}`); {SHAPES}"));
            }
            let file = format!("{krate}/examples/{example}.rs");
            if !root.join(krate).join("Cargo.toml").is_file() {
                return Err(format!(
                    "`{text}`: there is no crate `{krate}` (no {krate}/Cargo.toml)"
                ));
            }
            if !root.join(&file).is_file() {
                return Err(format!("`{text}`: there is no example {file}"));
            }
            let mut args = vec!["run"];
            if release {
                args.push("--release");
            }
            args.extend(["-p", krate, "--example", example]);
            if !program_args.is_empty() {
                args.push("--");
                args.extend(program_args.iter().copied());
            }
            Ok(Parsed {
                dir: ".".to_owned(),
                program: "cargo".to_owned(),
                args: args.into_iter().map(str::to_owned).collect(),
            })
        }
        _ => Err(format!(
            "`{text}` is not a command the book can run: {SHAPES}"
        )),
    }
}

/// Letters, digits and `_ . / = , : -`: enough for paths and flags, nothing
/// a shell would interpret.
fn is_plain_word(word: &str) -> bool {
    !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_./=,:-".contains(c))
}

fn go_package(text: &str, root: &Path, package: &str) -> Result<(), String> {
    let Some(rel) = package.strip_prefix("./") else {
        return Err(format!(
            "`{text}`: write the package as a path from go/, e.g. `./leak/cmd/oneshot`"
        ));
    };
    if rel
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return Err(format!(
            "`{text}`: `{package}` must be a plain path below go/"
        ));
    }
    let dir = root.join("go").join(rel);
    let has_main = std::fs::read_dir(&dir)
        .map_err(|_| format!("`{text}`: there is no Go package go/{rel}"))?
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "go"))
        .filter(|e| !e.file_name().to_string_lossy().ends_with("_test.go"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .any(|src| src.lines().any(|l| l.trim() == "package main"));
    if has_main {
        Ok(())
    } else {
        Err(format!(
            "`{text}`: go/{rel} has no `package main`: `go run` cannot run it"
        ))
    }
}

/// What the book shows, in order; grouped into a manifest by [`manifest`].
#[derive(Debug, Clone)]
pub enum Shown {
    Run {
        parsed: Parsed,
        text: String,
        at: Place,
    },
    Output {
        parsed: Parsed,
        text: String,
        file: String,
        at: Place,
    },
    Exercise {
        id: String,
        command: String,
        at: Place,
    },
}

/// Groups what the book shows by command. Two different commands with the
/// same id would make a button ambiguous: an error at the second one.
pub fn manifest(shown: &[Shown]) -> Result<CommandManifest, Vec<(Place, String)>> {
    let mut out = CommandManifest::default();
    let mut errors = Vec::new();
    for item in shown {
        let (parsed, text, at) = match item {
            Shown::Exercise { id, command, at } => {
                out.exercises.push(ExerciseCheck {
                    id: id.clone(),
                    command: command.clone(),
                    shown_at: at.clone(),
                });
                continue;
            }
            Shown::Run { parsed, text, at }
            | Shown::Output {
                parsed, text, at, ..
            } => (parsed, text, at),
        };
        let id = parsed.id();
        let index = match out.commands.iter().position(|c| c.id == id) {
            Some(i) => {
                let known = &out.commands[i];
                if known.program != parsed.program
                    || known.args != parsed.args
                    || known.dir != parsed.dir
                {
                    errors.push((
                        at.clone(),
                        format!(
                            "`{text}` and `{}` ({}) get the same id `{id}`: change one",
                            known.text, known.shown_at[0]
                        ),
                    ));
                    continue;
                }
                i
            }
            None => {
                out.commands.push(BookCommand {
                    id,
                    text: text.clone(),
                    dir: parsed.dir.clone(),
                    program: parsed.program.clone(),
                    args: parsed.args.clone(),
                    shown_at: Vec::new(),
                    outputs: Vec::new(),
                });
                out.commands.len() - 1
            }
        };
        let command = &mut out.commands[index];
        match item {
            Shown::Output { file, .. } => command.outputs.push(ExpectedOutput {
                file: file.clone(),
                compare: Compare::for_output(file, &parsed.program),
                shown_at: at.clone(),
            }),
            _ => command.shown_at.push(at.clone()),
        }
    }
    // A command shown only as an output block's header is still shown.
    for command in &mut out.commands {
        if command.shown_at.is_empty() {
            command.shown_at = command.outputs.iter().map(|o| o.shown_at.clone()).collect();
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl CommandManifest {
    pub fn command(&self, id: &str) -> Option<&BookCommand> {
        self.commands.iter().find(|c| c.id == id)
    }

    pub fn load(path: &Path) -> Result<CommandManifest, String> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            format!(
                "{}: {e} (it is written by `mdbook build` / `mdbook serve`)",
                path.display()
            )
        })?;
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl BookCommand {
    /// The environment a command runs with, besides the caller's: Go must
    /// use the local toolchain and the Debian-packaged modules, never the
    /// network (the same as `cargo dev go`, see go/README.md).
    pub fn environment(&self) -> &'static [(&'static str, &'static str)] {
        if self.program == "go" {
            &[
                ("GOTOOLCHAIN", "local"),
                ("GOPROXY", "off"),
                ("GOFLAGS", "-mod=mod"),
            ]
        } else {
            &[]
        }
    }
}

/// What a terminal shows for `go run` of a program, made reproducible the way
/// `go/internal/leaktest` makes its golden transcripts: in stack traces,
/// goroutine numbers other than 1 become `N`, call arguments `...`, file
/// positions are dropped and main's stack ends at `main.main`.
pub fn go_transcript(stdout: &str, stderr: &str) -> String {
    let mut out = String::from(stdout);
    let mut skip = false; // below main.main, until the end of this goroutine's trace
    for line in stderr.split_inclusive('\n') {
        let text = line.strip_suffix('\n').unwrap_or(line);
        if text.is_empty() {
            skip = false;
            out.push_str(line);
        } else if skip || text.starts_with('\t') {
            continue;
        } else if text.starts_with("goroutine ") || text.starts_with("created by ") {
            out.push_str(&goroutine_numbers(text));
            out.push('\n');
        } else if let Some(call) = without_call_args(text) {
            skip = call.starts_with("main.main(");
            out.push_str(&call);
            out.push('\n');
        } else {
            skip = text == "main.main()";
            out.push_str(line);
        }
    }
    out
}

/// `goroutine 7 [x]` -> `goroutine N [x]`; `goroutine 1` stays.
fn goroutine_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("goroutine ") {
        let after = &rest[at + "goroutine ".len()..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        out.push_str(&rest[..at + "goroutine ".len()]);
        match &after[..digits] {
            "" | "1" => out.push_str(&after[..digits]),
            _ => out.push('N'),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// `pkg.f(0x1, 0x2)` -> `pkg.f(...)`: a frame whose last `(...)` holds
/// arguments, with no space before it.
fn without_call_args(text: &str) -> Option<String> {
    let inner = text.strip_suffix(')')?;
    let open = inner.rfind('(')?;
    let (name, args) = (&inner[..open], &inner[open + 1..]);
    let simple = !name.is_empty()
        && !name.contains(char::is_whitespace)
        && !args.is_empty()
        && !args.contains([')', '(']);
    simple.then(|| format!("{name}(...)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture-book")
    }

    #[test]
    fn parses_the_two_shapes() {
        let go = parse("cd go && go run ./demo -n 3", &repo()).unwrap();
        assert_eq!(go.dir, "go");
        assert_eq!(go.args, ["run", "./demo", "-n", "3"]);
        assert_eq!(go.id(), "go-run-demo-n-3");
        let with_args = parse(
            "cargo run -p listings --example demo -- --mode leaky",
            &repo(),
        )
        .unwrap();
        assert_eq!(
            with_args.args,
            [
                "run",
                "-p",
                "listings",
                "--example",
                "demo",
                "--",
                "--mode",
                "leaky"
            ]
        );
        let rust = parse("cargo run --release -p listings --example demo", &repo()).unwrap();
        assert_eq!(rust.dir, ".");
        assert_eq!(
            rust.args,
            ["run", "--release", "-p", "listings", "--example", "demo"]
        );
        assert_eq!(rust.id(), "cargo-run-release-p-listings-example-demo");
    }

    #[test]
    fn refuses_what_does_not_exist_or_is_not_a_shape() {
        let err = |cmd: &str| parse(cmd, &repo()).unwrap_err();
        assert!(
            err("cargo run -p listings --example nope")
                .contains("no example listings/examples/nope.rs")
        );
        assert!(err("cargo run -p nocrate --example demo").contains("no crate `nocrate`"));
        assert!(err("cd go && go run ./nope").contains("no Go package go/nope"));
        assert!(err("cd go && go run ../x").contains("path from go/"));
        assert!(err("cd go && go run ./demo/../demo").contains("plain path"));
        assert!(err("cd go && go run ./demo && rm -rf x").contains("one command only"));
        assert!(err("cd go && go run ./demo | tee x").contains("`|` is not allowed"));
        assert!(err("cd go && go run ./demo $HOME").contains("`$HOME` is not allowed"));
        assert!(err("rm -rf /").contains("not a command the book can run"));
        assert!(err("cargo test -p listings").contains("not a command the book can run"));
    }

    #[test]
    fn the_same_command_twice_is_one_entry_with_both_places() {
        let parsed = parse("cd go && go run ./demo", &repo()).unwrap();
        let at = |line| Place {
            file: "src/a.md".to_owned(),
            line,
        };
        let shown = vec![
            Shown::Run {
                parsed: parsed.clone(),
                text: "cd go && go run ./demo".to_owned(),
                at: at(1),
            },
            Shown::Output {
                parsed: parsed.clone(),
                text: "cd go &&  go run ./demo".to_owned(),
                file: "out/demo.out".to_owned(),
                at: at(3),
            },
        ];
        let m = manifest(&shown).unwrap();
        assert_eq!(m.commands.len(), 1);
        assert_eq!(m.commands[0].shown_at, [at(1)]);
        assert_eq!(m.commands[0].outputs[0].compare, Compare::GoTranscript);
        assert_eq!(m.commands[0].outputs[0].shown_at, at(3));
    }

    #[test]
    fn output_files_say_how_they_compare() {
        assert_eq!(Compare::for_output("a.out", "cargo"), Compare::Stdout);
        assert_eq!(Compare::for_output("a.out", "go"), Compare::GoTranscript);
        assert_eq!(
            Compare::for_output("measure.txt", "go"),
            Compare::Measurement
        );
    }

    #[test]
    fn go_transcripts_are_normalised_like_leaktest() {
        let stderr = "panic: boom\n\ngoroutine 7 [running]:\nmain.f(0xc000012345, 0x3)\n\t/tmp/x/main.go:9 +0x1d\n\
                      sync.(*WaitGroup).Wait(...)\ncreated by golang.org/x/sync/errgroup.(*Group).Go in goroutine 1\n\
                      \t/usr/share/x.go:75 +0x96\n\ngoroutine 1 [semacquire]:\nmain.main()\n\t/tmp/x/main.go:3 +0x1\n\
                      runtime.main()\n\nexit status 2\n";
        assert_eq!(
            go_transcript("out\n", stderr),
            "out\npanic: boom\n\ngoroutine N [running]:\nmain.f(...)\nsync.(*WaitGroup).Wait(...)\n\
             created by golang.org/x/sync/errgroup.(*Group).Go in goroutine 1\n\n\
             goroutine 1 [semacquire]:\nmain.main()\n\nexit status 2\n"
        );
    }
}
