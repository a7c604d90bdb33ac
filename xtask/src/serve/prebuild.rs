//! Compiling in the background, at low priority, what the learner's first
//! Run and Check would otherwise compile while the page waits: the programs
//! the book runs (from the book's commands manifest, so exactly what the
//! runner will build) and the grading crates of the exercises.
//!
//! Each job runs in a process group of its own under `nice`, one at a time.
//! A build the learner starts meanwhile waits for Cargo's lock (the runner
//! shows "waiting") and then finds the work done. The book is already built
//! and served when this starts; only a rebuild (a page edited) could wait.

use super::children;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where the book build writes the commands the book shows (`book.toml`).
pub const COMMANDS: &str = "target/runnable/commands.json";
/// Where the jobs' output goes, relative to the root.
pub const LOG: &str = "target/serve/prebuild.log";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub program: String,
    pub args: Vec<String>,
    /// Relative to the root.
    pub dir: String,
    pub env: Vec<(&'static str, &'static str)>,
    /// The grading's JSON on stdout, not the log: it exits non-zero while
    /// an exercise fails (the learner's usual state), so success is JSON.
    pub grades: bool,
}

impl Job {
    fn line(&self) -> String {
        let cd = if self.dir.is_empty() || self.dir == "." {
            String::new()
        } else {
            format!("cd {} && ", self.dir)
        };
        format!("{cd}{} {}", self.program, self.args.join(" "))
    }

    /// The line for the screen: long lists of targets or packages counted.
    fn summary(&self) -> String {
        let program = Path::new(&self.program)
            .file_name()
            .map_or(self.program.as_str(), |name| name.to_str().unwrap_or("?"));
        let mut words: Vec<&str> = vec![program];
        let mut listed = 0;
        let mut args = self.args.iter();
        while let Some(arg) = args.next() {
            let target = matches!(arg.as_str(), "--example" | "--bin");
            if target || arg.starts_with("./") {
                listed += 1;
                if target {
                    args.next();
                }
                continue;
            }
            words.push(arg);
        }
        let mut line = words.join(" ");
        match listed {
            0 => {}
            1 => line.push_str(" (1 program)"),
            n => line.push_str(&format!(" ({n} programs)")),
        }
        if self.dir.is_empty() || self.dir == "." {
            line
        } else {
            format!("cd {} && {line}", self.dir)
        }
    }
}

/// As the runner and `cargo dev go` run Go: no module proxy, local toolchain.
const GO_ENV: [(&str, &str); 3] = [
    ("GOTOOLCHAIN", "local"),
    ("GOPROXY", "off"),
    ("GOFLAGS", "-mod=mod"),
];

/// One command the book shows: its program, arguments and folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookCommand {
    pub program: String,
    pub args: Vec<String>,
    pub dir: String,
}

/// The commands of the manifest the book build wrote; empty if none yet.
pub fn book_commands(root: &Path) -> Vec<BookCommand> {
    let Ok(text) = std::fs::read_to_string(root.join(COMMANDS)) else {
        return Vec::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    json["commands"]
        .as_array()
        .map(|commands| {
            commands
                .iter()
                .map(|c| BookCommand {
                    program: c["program"].as_str().unwrap_or_default().to_owned(),
                    args: strings(&c["args"]),
                    dir: c["dir"].as_str().unwrap_or(".").to_owned(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The `cargo build` lines that compile what the book's `cargo run` lines
/// run: the same flags (`--release`, `-p`), every target of one flag set in
/// one build.
pub fn cargo_builds(commands: &[BookCommand]) -> Vec<Job> {
    let mut builds: Vec<(Vec<String>, String, Vec<String>)> = Vec::new();
    for c in commands.iter().filter(|c| c.program == "cargo") {
        let Some((first, rest)) = c.args.split_first() else {
            continue;
        };
        if first != "run" {
            continue;
        }
        let mut flags = Vec::new();
        let mut targets = Vec::new();
        let mut args = rest.iter().take_while(|a| *a != "--");
        while let Some(arg) = args.next() {
            if arg == "--example" || arg == "--bin" {
                targets.push(arg.clone());
                targets.extend(args.next().cloned());
            } else {
                flags.push(arg.clone());
            }
        }
        match builds
            .iter_mut()
            .find(|(f, dir, _)| *f == flags && *dir == c.dir)
        {
            Some((_, _, all)) => {
                for pair in targets.chunks(2) {
                    if !all.chunks(2).any(|p| p == pair) {
                        all.extend_from_slice(pair);
                    }
                }
            }
            None => builds.push((flags, c.dir.clone(), targets)),
        }
    }
    builds
        .into_iter()
        .map(|(flags, dir, targets)| Job {
            program: "cargo".to_owned(),
            args: ["build".to_owned()]
                .into_iter()
                .chain(flags)
                .chain(targets)
                .collect(),
            dir,
            env: Vec::new(),
            grades: false,
        })
        .collect()
}

/// `go build` of every package the book's `go run` lines run, per folder.
pub fn go_builds(commands: &[BookCommand]) -> Vec<Job> {
    let mut builds: Vec<Job> = Vec::new();
    for c in commands.iter().filter(|c| c.program == "go") {
        if c.args.first().map(String::as_str) != Some("run") {
            continue;
        }
        let Some(package) = c.args[1..].iter().find(|a| !a.starts_with('-')) else {
            continue;
        };
        let job = match builds.iter_mut().find(|j| j.dir == c.dir) {
            Some(job) => job,
            None => {
                builds.push(Job {
                    program: "go".to_owned(),
                    args: vec!["build".to_owned()],
                    dir: c.dir.clone(),
                    env: GO_ENV.to_vec(),
                    grades: false,
                });
                builds.last_mut().expect("just pushed")
            }
        };
        if !job.args.contains(package) {
            job.args.push(package.clone());
        }
    }
    builds
}

/// Every job, in the order a learner meets them: the listings' Run
/// buttons, then Check. Without a commands manifest (a book build that
/// failed), every listing and every Go package instead.
pub fn jobs(root: &Path, xtask: &Path) -> Vec<Job> {
    let commands = book_commands(root);
    let mut jobs = cargo_builds(&commands);
    if jobs.is_empty() && root.join("listings/Cargo.toml").exists() {
        jobs.push(Job {
            program: "cargo".to_owned(),
            args: ["build", "-p", "listings", "--examples"]
                .map(str::to_owned)
                .to_vec(),
            dir: String::new(),
            env: Vec::new(),
            grades: false,
        });
    }
    if crate::process::version("go").is_some() {
        let mut go = go_builds(&commands);
        if go.is_empty() && root.join("go/go.mod").exists() {
            go.push(Job {
                program: "go".to_owned(),
                args: ["build", "./..."].map(str::to_owned).to_vec(),
                dir: "go".to_owned(),
                env: GO_ENV.to_vec(),
                grades: false,
            });
        }
        jobs.extend(go);
    }
    jobs.push(Job {
        program: xtask.display().to_string(),
        args: ["check", "--all", "--json"].map(str::to_owned).to_vec(),
        dir: String::new(),
        env: Vec::new(),
        grades: true,
    });
    jobs
}

pub struct Prebuild {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Prebuild {
    /// Starts the jobs in a thread; each says on screen when it starts and
    /// how it ended.
    pub fn start(root: &Path, jobs: Vec<Job>) -> Prebuild {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let root = root.to_path_buf();
        let thread = std::thread::spawn(move || run_all(&root, &jobs, &flag));
        Prebuild {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Prebuild {
    /// Stops the job running now (its whole process group) and the rest.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run_all(root: &Path, jobs: &[Job], stop: &AtomicBool) {
    let log_path = root.join(LOG);
    let log = std::fs::create_dir_all(log_path.parent().expect("LOG is in a folder"))
        .and_then(|()| std::fs::File::create(&log_path));
    let Ok(log) = log else {
        println!("prebuild: cannot write {LOG}; skipped");
        return;
    };
    let nice = crate::process::version("nice").is_some();
    println!(
        "prebuild: compiling the book's programs and your exercises' grading crates in the \
         background{}, so that the first Run and Check need not wait for it. The book is \
         served meanwhile; a `cargo` command you start (or a rebuild of the book, if you edit \
         its pages) may print \"Blocking waiting for file lock\" and wait for a step to end. \
         (`--no-prebuild` skips this.)",
        if nice { " at low priority" } else { "" }
    );
    let started = Instant::now();
    let mut failed = 0;
    for job in jobs {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        println!("prebuild: {}...", job.summary());
        match run_one(root, job, nice, &log, stop) {
            Some(Ok(took)) => println!("prebuild: done in {} s: {}", took.as_secs(), job.summary()),
            Some(Err(status)) => {
                failed += 1;
                println!(
                    "prebuild: `{}` failed ({status}); its output is in {LOG}",
                    job.summary(),
                );
            }
            None => return, // stopped
        }
    }
    let total = started.elapsed().as_secs();
    if failed == 0 {
        println!("prebuild: all done in {total} s; the first Run and Check need not compile.");
    } else {
        println!("prebuild: done in {total} s, {failed} step(s) failed (see above).");
    }
}

/// Runs one job to its end; None if stopped meanwhile.
fn run_one(
    root: &Path,
    job: &Job,
    nice: bool,
    log: &std::fs::File,
    stop: &AtomicBool,
) -> Option<Result<Duration, String>> {
    let mut cmd = if nice {
        let mut cmd = Command::new("nice");
        cmd.args(["-n", "19", &job.program]);
        cmd
    } else {
        Command::new(&job.program)
    };
    let dir: PathBuf = root.join(&job.dir);
    cmd.args(&job.args)
        .envs(job.env.iter().copied())
        .current_dir(dir)
        .stdin(Stdio::null());
    let (Ok(out), Ok(err)) = (log.try_clone(), log.try_clone()) else {
        return Some(Err("cannot write its log".to_owned()));
    };
    cmd.stdout(if job.grades {
        Stdio::piped()
    } else {
        out.into()
    })
    .stderr(err);
    use std::io::Write;
    let _ = writeln!(&*log, "$ {}", job.line());
    let started = Instant::now();
    let mut child = match children::in_own_group(&mut cmd).spawn() {
        Ok(child) => child,
        Err(e) => return Some(Err(format!("cannot start it: {e}"))),
    };
    // Read on the side, so that a full pipe never stops the grading.
    let grades = child.stdout.take().map(|mut stdout| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
            text
        })
    });
    let status = loop {
        if stop.load(Ordering::Relaxed) {
            children::stop(&mut child, true);
            return None;
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Some(Err(e.to_string())),
        }
    };
    match grades.map(|reader| reader.join().unwrap_or_default()) {
        // An array of verdicts: everything was graded, whatever they say.
        Some(json) if json.trim_start().starts_with('[') => Some(Ok(started.elapsed())),
        Some(json) => {
            let _ = writeln!(&*log, "{}", json.trim());
            Some(Err(status.to_string()))
        }
        None if status.success() => Some(Ok(started.elapsed())),
        None => Some(Err(status.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command(line: &str) -> BookCommand {
        let (dir, line) = match line.strip_prefix("cd go && ") {
            Some(rest) => ("go", rest),
            None => (".", line),
        };
        let mut words = line.split_whitespace().map(str::to_owned);
        BookCommand {
            program: words.next().unwrap(),
            args: words.collect(),
            dir: dir.to_owned(),
        }
    }

    #[test]
    fn one_cargo_build_per_flag_set_with_every_target() {
        let commands: Vec<BookCommand> = [
            "cargo run -p listings --example leak_pipeline",
            "cargo run --release -p listings --example rayon_bench",
            "cargo run -p listings --example repro_service -- --mode leaky",
            "cargo run -p listings --example leak_pipeline",
            "cargo run -p plot --bin repro_figures",
            "cd go && go run ./leak/cmd/oneshot",
        ]
        .map(command)
        .to_vec();
        let builds = cargo_builds(&commands);
        let lines: Vec<String> = builds.iter().map(Job::line).collect();
        assert_eq!(
            lines,
            [
                "cargo build -p listings --example leak_pipeline --example repro_service",
                "cargo build --release -p listings --example rayon_bench",
                "cargo build -p plot --bin repro_figures",
            ]
        );
        let screen: Vec<String> = builds.iter().map(Job::summary).collect();
        assert_eq!(
            screen,
            [
                "cargo build -p listings (2 programs)",
                "cargo build --release -p listings (1 program)",
                "cargo build -p plot (1 program)",
            ]
        );
    }

    #[test]
    fn one_go_build_of_every_package_run() {
        let commands: Vec<BookCommand> = [
            "cd go && go run ./leak/cmd/oneshot",
            "cd go && go run ./leak/cmd/measure -n 1000",
            "cd go && go run ./leak/cmd/oneshot",
            "cd go && go run ./value/testdata/copylock",
            "cargo run -p listings --example leak_pipeline",
        ]
        .map(command)
        .to_vec();
        let jobs = go_builds(&commands);
        assert_eq!(jobs.len(), 1);
        assert_eq!(
            jobs[0].line(),
            "cd go && go build ./leak/cmd/oneshot ./leak/cmd/measure ./value/testdata/copylock"
        );
        assert_eq!(jobs[0].summary(), "cd go && go build (3 programs)");
        assert!(jobs[0].env.contains(&("GOPROXY", "off")));
    }

    #[test]
    fn reads_the_manifest_the_book_build_writes() {
        let root = std::env::temp_dir().join(format!("xtask-prebuild-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        assert!(book_commands(&root).is_empty(), "no book built yet");
        std::fs::create_dir_all(root.join("target/runnable")).unwrap();
        std::fs::write(
            root.join(COMMANDS),
            r#"{"commands":[{"id":"x","text":"cd go && go run ./a","dir":"go","program":"go",
                "args":["run","./a"],"shown_at":[],"outputs":[]}],"exercises":[]}"#,
        )
        .unwrap();
        assert_eq!(book_commands(&root), [command("cd go && go run ./a")]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
