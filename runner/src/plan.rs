//! A book command as two steps: build, then run. So a run's time limit
//! counts the program only, not the compiler (a cold `cargo run --release`
//! compiles for minutes on 2 cores; the build has a limit of its own).
//!
//! - `cargo run ARGS [-- PROGRAM_ARGS]`: builds with `cargo build ARGS`, then
//!   runs the same `cargo run` line (Cargo then finds it fresh).
//! - `go run [FLAGS] ./PKG ARGS`: builds with `go build -o SCRATCH/bin
//!   [FLAGS] ./PKG`, then runs that binary with ARGS, from the same folder
//!   and with the same environment.
//! - anything else runs as it is, without a build step.

use mdbook_runnable::commands::BookCommand;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub program: String,
    pub args: Vec<String>,
}

impl Step {
    /// The step as a shell would show it, for the phase line.
    pub fn text(&self) -> String {
        std::iter::once(self.program.as_str())
            .chain(self.args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub build: Option<Step>,
    pub run: Step,
    /// For both steps: the command's own (Go's offline settings for `go`,
    /// the same when `go` is named by its path).
    pub env: &'static [(&'static str, &'static str)],
}

/// `scratch` is a folder of this command's own, for Go's binary.
pub fn plan(command: &BookCommand, scratch: &Path) -> Plan {
    let args = &command.args;
    let as_is = Step {
        program: command.program.clone(),
        args: args.clone(),
    };
    // By the program's file name, so a maintainer's (or a test's) full path
    // to `cargo` or `go` is planned the same way.
    let name = Path::new(&command.program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("");
    let env = BookCommand {
        program: name.to_owned(),
        ..command.clone()
    }
    .environment();
    match (name, args.first().map(String::as_str)) {
        ("cargo", Some("run")) => {
            let own: Vec<String> = args[1..]
                .iter()
                .take_while(|a| *a != "--")
                .cloned()
                .collect();
            Plan {
                build: Some(Step {
                    program: command.program.clone(),
                    args: std::iter::once("build".to_owned()).chain(own).collect(),
                }),
                run: as_is,
                env,
            }
        }
        ("go", Some("run")) => {
            let rest = &args[1..];
            let Some(pkg) = rest.iter().position(|a| !a.starts_with('-')) else {
                return Plan {
                    build: None,
                    run: as_is,
                    env,
                };
            };
            let binary: PathBuf = scratch.join("bin");
            let mut build = vec![
                "build".to_owned(),
                "-o".to_owned(),
                binary.display().to_string(),
            ];
            build.extend(rest[..=pkg].iter().cloned());
            Plan {
                build: Some(Step {
                    program: command.program.clone(),
                    args: build,
                }),
                run: Step {
                    program: binary.display().to_string(),
                    args: rest[pkg + 1..].to_vec(),
                },
                env,
            }
        }
        _ => Plan {
            build: None,
            run: as_is,
            env,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(line: &str) -> BookCommand {
        let mut words = line.split(' ').map(str::to_owned);
        BookCommand {
            id: "x".to_owned(),
            text: line.to_owned(),
            dir: ".".to_owned(),
            program: words.next().unwrap(),
            args: words.collect(),
            shown_at: Vec::new(),
            outputs: Vec::new(),
        }
    }

    fn words(line: &str) -> Vec<String> {
        line.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn a_rust_listing_is_built_with_the_same_line_then_run() {
        let p = plan(
            &command("cargo run --release -p listings --example leak_pipeline -- 3"),
            Path::new("/s"),
        );
        let build = p.build.unwrap();
        assert_eq!(build.program, "cargo");
        assert_eq!(
            build.args,
            words("build --release -p listings --example leak_pipeline")
        );
        assert_eq!(
            p.run.args,
            words("run --release -p listings --example leak_pipeline -- 3")
        );
    }

    #[test]
    fn a_go_program_is_built_into_the_scratch_folder_then_run_with_its_args() {
        let p = plan(
            &command("go run ./leak/cmd/oneshot -n 3"),
            Path::new("/s/id"),
        );
        let build = p.build.unwrap();
        assert_eq!(build.program, "go");
        assert_eq!(build.args, words("build -o /s/id/bin ./leak/cmd/oneshot"));
        assert_eq!(p.run.program, "/s/id/bin");
        assert_eq!(p.run.args, words("-n 3"));
        assert_eq!(p.run.text(), "/s/id/bin -n 3");
        assert!(p.env.contains(&("GOPROXY", "off")), "{:?}", p.env);
    }

    #[test]
    fn anything_else_runs_as_it_is() {
        for line in ["sh -c true", "cargo test", "go version"] {
            let p = plan(&command(line), Path::new("/s"));
            assert_eq!(p.build, None, "{line}");
            assert_eq!(p.run.text(), line);
        }
    }
}
