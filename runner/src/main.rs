//! `runner`: started by `cargo xtask serve` next to `mdbook serve`. Prints the
//! book's URL with this start's single-use link token in its fragment (the
//! page exchanges it for a session; a fragment is never sent to a server),
//! then serves until stopped.

use runner::exec::Limits;
use runner::{Config, Runner};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "\
usage: runner [OPTIONS]
  --root DIR          the workspace root (default: .)
  --port N            the runner's port on 127.0.0.1 (default: 3001)
  --book-port N       the port mdbook serves the book on; its origin is the only
                      one allowed (default: 3000)
  --commands PATH     the commands manifest the book build writes, from the root
                      (default: target/runnable/commands.json)
  --check CMD         the grader, `{id}` is the exercise id
                      (default: cargo xtask check {id} --json)
  --progress CMD      progress as JSON (default: cargo xtask progress --json)
  --time-limit SECS   per run of a program, then it and everything it started
                      is killed (default: 60)
  --build-time-limit SECS
                      per build: a Rust or Go listing before it runs, the
                      grader until it grades (default: 600)
  --check-time-limit SECS
                      per Check or progress once it grades (default: 120)
  --output-cap BYTES  per run, stdout and stderr together (default: 1048576)
";

fn main() -> ExitCode {
    // First, while this is the only thread: every later one inherits the
    // blocked stop signals, so only the signal thread takes them.
    if let Err(e) = runner::hygiene::end_runs_on_signal() {
        eprintln!("runner: {e}; a run may outlive the runner if it is stopped");
    }
    match parse(std::env::args().skip(1).collect()).and_then(start) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("runner: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: Vec<String>) -> Result<Config, String> {
    let mut config = Config {
        root: PathBuf::from("."),
        commands: PathBuf::from("target/runnable/commands.json"),
        port: 3001,
        book_port: 3000,
        check: words("cargo xtask check {id} --json"),
        progress: words("cargo xtask progress --json"),
        limits: Limits {
            time: Duration::from_secs(60),
            output: 1 << 20,
        },
        build_time: Duration::from_secs(600),
        grade_limits: Limits {
            time: Duration::from_secs(120),
            output: 1 << 20,
        },
        link_token: runner::guard::new_token()?,
        http: runner::http::Limits::default(),
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "-h" || flag == "--help" {
            print!("{USAGE}");
            std::process::exit(0);
        }
        let value = args
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))?;
        let number = |v: &str| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: `{v}` is not a number"))
        };
        match flag.as_str() {
            "--root" => config.root = PathBuf::from(value),
            "--port" => config.port = port(&flag, &value)?,
            "--book-port" => config.book_port = port(&flag, &value)?,
            "--commands" => config.commands = PathBuf::from(value),
            "--check" => config.check = words(&value),
            "--progress" => config.progress = words(&value),
            "--time-limit" => config.limits.time = Duration::from_secs(number(&value)?),
            "--build-time-limit" => config.build_time = Duration::from_secs(number(&value)?),
            "--check-time-limit" => {
                config.grade_limits.time = Duration::from_secs(number(&value)?);
            }
            "--output-cap" => {
                config.limits.output =
                    usize::try_from(number(&value)?).map_err(|e| e.to_string())?;
            }
            _ => return Err(format!("unknown option `{flag}`\n\n{USAGE}")),
        }
    }
    if config.check.is_empty() || config.progress.is_empty() {
        return Err("--check and --progress need a command".to_owned());
    }
    Ok(config)
}

fn port(flag: &str, value: &str) -> Result<u16, String> {
    value
        .parse()
        .map_err(|_| format!("{flag}: `{value}` is not a port"))
}

fn words(command: &str) -> Vec<String> {
    command.split_whitespace().map(str::to_owned).collect()
}

fn start(config: Config) -> Result<(), String> {
    let book_port = config.book_port;
    let runner = Runner::bind(config)?;
    println!(
        "runner: listening on http://127.0.0.1:{} for the book on http://127.0.0.1:{book_port}",
        runner.port()
    );
    // The one line `cargo xtask serve` relays and the browser test reads:
    // its wording is part of the protocol (runner/README.md).
    println!(
        "Open the book with Run and Check buttons: {}",
        runner.link()
    );
    runner.serve();
    Ok(())
}
