//! A save graded with rustc alone, without a second Cargo run.
//!
//! Grading one exercise after an edit of its file needs one thing from Cargo:
//! rustc run on the exercise's crate with the same arguments as last time.
//! Before it runs rustc, Cargo reads the workspace, the lock and the
//! fingerprint of every dependency: about 20 ms on every save, a quarter of
//! the floor the loop is measured against (`xtask/BENCH.md`).
//!
//! So when Cargo compiles an exercise crate (`-vv` prints the command and
//! the environment it sets), the command is recorded in
//! `target/grade/rustc-alone/<package>.json` with a stamp of what Cargo
//! looked at besides the crate's own sources: the manifests, the lock, the
//! config files, the local crates' files, the environment that steers a
//! build, the compiler and the dependencies' artifacts. The next grading of
//! that exercise alone runs the recorded command itself, under Cargo's own
//! lock on the build folder, when the stamp is unchanged; when the sources
//! are older than the last compile it only replays that compile's messages,
//! as Cargo replays a fresh crate's warnings.
//!
//! Anything else goes through Cargo, which records again: no record, a
//! changed stamp, a crate that reads the environment at compile time (its
//! dep-info lists an `env-dep`), a compiler that rejects the dependencies,
//! or rustc failing without an error of the learner's code.
//!
//! `WORKBOOK_GRADE_LOG=1` says on stderr which way each grading took.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

/// Where the records live, inside the generated workspace.
const RECORDS: &str = "rustc-alone";

/// The environment that steers a build: a change sends the next grading
/// through Cargo. Not `RUST_TEST_THREADS` or `RUST_BACKTRACE`: they reach
/// the test programs, not the compiler. Not `RUSTUP_TOOLCHAIN` or
/// `CARGO_HOME` either: rustup sets them for whatever it starts (`cargo
/// test`, `cargo xtask`) and not for a program started directly (the
/// runner's), so they would send every other grading through Cargo; the
/// compiler itself is in the stamp (its path and time), and so is the
/// config file under Cargo's home.
fn steers_the_build(name: &str) -> bool {
    const PREFIXES: [&str; 5] = [
        "RUSTC",
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "CARGO_BUILD_",
        "CARGO_PROFILE_",
    ];
    const NAMES: [&str; 3] = [
        "CARGO_ENCODED_RUSTFLAGS",
        "CARGO_INCREMENTAL",
        "CARGO_TARGET_DIR",
    ];
    PREFIXES.iter().any(|p| name.starts_with(p)) || NAMES.contains(&name)
}

/// A file's modification time in nanoseconds since the epoch; `None` when
/// it does not exist (so creating it changes the stamp too).
fn mtime(path: &Path) -> Option<u128> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(
        modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .ok()?
            .as_nanos(),
    )
}

/// When a compile starts, for "is this source in it?": a little earlier than
/// the clock says, because a file's time comes from the kernel's coarse
/// clock, up to a tick behind: a save just after the start must not count as
/// compiled (at worst, a source saved just before is compiled once more).
fn compile_start() -> u128 {
    const COARSE_CLOCK: u128 = 20_000_000; // 20 ms, in ns
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
        .saturating_sub(COARSE_CLOCK)
}

/// What Cargo would look at besides the exercise crate's own sources, taken
/// before Cargo runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// Manifests, locks, config files: path and modification time.
    files: Vec<(String, Option<u128>)>,
    /// Each local crate's folder: its newest file and its number of files.
    local_crates: Vec<(String, Option<u128>, usize)>,
    env: Vec<(String, String)>,
}

impl Inputs {
    /// `root` is the workbook, `dir` the generated workspace.
    pub fn now(root: &Path, dir: &Path) -> Inputs {
        let cargo_home = std::env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
        let mut paths: Vec<PathBuf> = [
            "Cargo.toml",
            "Cargo.lock",
            "exercises/Cargo.toml",
            ".cargo/config.toml",
            ".cargo/config",
            "rust-toolchain",
            "rust-toolchain.toml",
        ]
        .iter()
        .map(|f| root.join(f))
        .collect();
        paths.extend(["Cargo.toml", "Cargo.lock"].iter().map(|f| dir.join(f)));
        // Every exercise crate's manifest (they differ only in their name).
        let mut crates: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("Cargo.toml"))
            .filter(|p| p.exists())
            .collect();
        crates.sort();
        paths.extend(crates);
        if let Some(home) = cargo_home {
            paths.extend([home.join("config.toml"), home.join("config")]);
        }
        let files = paths
            .iter()
            .map(|p| (p.display().to_string(), mtime(p)))
            .collect();
        let local_crates = local_crate_folders(root)
            .into_iter()
            .map(|folder| {
                let (newest, count) = newest_file(&folder);
                (folder.display().to_string(), newest, count)
            })
            .collect();
        let mut env: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| steers_the_build(k))
            .collect();
        env.sort();
        Inputs {
            files,
            local_crates,
            env,
        }
    }
}

/// The folders of the path dependencies the root workspace declares
/// (`[workspace.dependencies] x = { path = ... }`): every local crate an
/// exercise crate can depend on, directly or not.
fn local_crate_folders(root: &Path) -> Vec<PathBuf> {
    let Ok(table) = crate::workspace::read_toml(&root.join("Cargo.toml")) else {
        return Vec::new();
    };
    let deps = table
        .get("workspace")
        .and_then(|w| w.get("dependencies"))
        .and_then(|d| d.as_table());
    deps.into_iter()
        .flatten()
        .filter_map(|(_, spec)| spec.get("path")?.as_str().map(|p| root.join(p)))
        .collect()
}

/// The newest modification time under `folder` (its `target/` and hidden
/// folders left out) and how many files there are: an edit, a new file and
/// a removed one all change the pair.
fn newest_file(folder: &Path) -> (Option<u128>, usize) {
    let mut newest = mtime(folder);
    let mut count = 0;
    let mut stack = vec![folder.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            let path = entry.path();
            newest = newest.max(mtime(&path));
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else {
                count += 1;
            }
        }
    }
    (newest, count)
}

/// One exercise crate's last compile: the command, what it was compiled
/// from, and the messages it printed.
#[derive(Debug, Serialize, Deserialize)]
struct Record {
    inputs: Inputs,
    /// The environment Cargo set for rustc.
    env: Vec<(String, String)>,
    program: String,
    args: Vec<String>,
    /// The compiler and every `--extern` artifact, after the compile.
    artifacts: Vec<(String, Option<u128>)>,
    /// When the last compile started: sources older than this are in it.
    compiled_at: u128,
    /// That compile's messages for this crate, as Cargo prints them.
    messages: Vec<String>,
}

impl Record {
    fn path(dir: &Path, package: &str) -> PathBuf {
        dir.join(RECORDS).join(format!("{package}.json"))
    }

    fn load(dir: &Path, package: &str) -> Option<Record> {
        let text = std::fs::read_to_string(Record::path(dir, package)).ok()?;
        serde_json::from_str(&text).ok()
    }

    fn save(&self, dir: &Path, package: &str) {
        let path = Record::path(dir, package);
        let Ok(text) = serde_json::to_string(self) else {
            return;
        };
        // Written whole and renamed: a reader never sees half a record.
        let partial = path.with_extension(format!("json.{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join(RECORDS));
        if std::fs::write(&partial, text).is_ok() {
            let _ = std::fs::rename(&partial, &path);
        }
    }

    fn forget(dir: &Path, package: &str) {
        let _ = std::fs::remove_file(Record::path(dir, package));
    }

    fn arg_after(&self, flag: &str) -> Option<&str> {
        let at = self.args.iter().position(|a| a == flag)?;
        self.args.get(at + 1).map(String::as_str)
    }

    /// The test program rustc writes: `--out-dir` / crate name + extra filename.
    fn executable(&self) -> Option<PathBuf> {
        let out_dir = self.arg_after("--out-dir")?;
        let name = self.arg_after("--crate-name")?;
        let extra = self
            .args
            .iter()
            .find_map(|a| a.strip_prefix("extra-filename="))
            .unwrap_or("");
        Some(Path::new(out_dir).join(format!("{name}{extra}")))
    }

    /// The dep-info rustc writes beside the program.
    fn dep_info(&self) -> Option<PathBuf> {
        self.executable().map(|e| e.with_extension("d"))
    }

    fn artifacts_now(program: &str, args: &[String]) -> Vec<(String, Option<u128>)> {
        let mut paths = vec![program.to_owned()];
        let mut words = args.iter();
        while let Some(a) = words.next() {
            if a == "--extern" {
                if let Some((_, path)) = words.next().and_then(|e| e.split_once('=')) {
                    paths.push(path.to_owned());
                }
            }
        }
        paths
            .into_iter()
            .map(|p| {
                let t = mtime(Path::new(&p));
                (p, t)
            })
            .collect()
    }
}

/// The last compile of `package` Cargo or this module ran: the rustc command
/// (as recorded, to run in `dir`) and the test program it writes. For
/// measuring the parts of a save (`cargo dev bench-loop`); grading uses
/// [`compile`].
pub fn recorded_compile(dir: &Path, package: &str) -> Option<(Command, PathBuf)> {
    let record = Record::load(dir, package)?;
    let mut rustc = Command::new(&record.program);
    rustc
        .args(&record.args)
        .envs(record.env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir);
    Some((rustc, record.executable()?))
}

/// The sources of the last compile, from its dep-info, and whether the crate
/// reads the environment at compile time.
fn sources(dep_info: &Path) -> Option<(Vec<PathBuf>, bool)> {
    let text = std::fs::read_to_string(dep_info).ok()?;
    let reads_env = text.lines().any(|l| l.starts_with("# env-dep:"));
    // The first rule lists every source; a space in a path is `\ `.
    let rule = text
        .lines()
        .find(|l| !l.is_empty() && !l.starts_with('#'))?;
    let (_, deps) = rule.split_once(": ")?;
    let mut files = Vec::new();
    let mut current = String::new();
    let mut chars = deps.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => current.extend(chars.next()),
            ' ' => {
                if !current.is_empty() {
                    files.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        files.push(PathBuf::from(current));
    }
    Some((files, reads_env))
}

/// Compiles `package` without Cargo when its record allows:
/// Cargo-shaped JSON lines (the compiler's messages and, when it built, the
/// test program's artifact), or `None` for "ask Cargo".
pub fn compile(root: &Path, dir: &Path, package: &str) -> Option<String> {
    let Some(record) = Record::load(dir, package) else {
        log(package, "Cargo (no compile recorded yet)");
        return None;
    };
    let inputs = Inputs::now(root, dir);
    let artifacts = Record::artifacts_now(&record.program, &record.args);
    let changed = record
        .inputs
        .files
        .iter()
        .chain(&record.artifacts)
        .zip(inputs.files.iter().chain(&artifacts))
        .find(|(was, is)| was != is)
        .map(|(was, _)| was.0.clone())
        .or_else(|| {
            let mut crates = record.inputs.local_crates.iter().zip(&inputs.local_crates);
            crates
                .find(|(was, is)| was != is)
                .map(|(was, _)| was.0.clone())
        });
    if record.inputs != inputs || record.artifacts != artifacts {
        let what = changed.unwrap_or_else(|| "the environment".to_owned());
        log(package, &format!("Cargo ({what} changed)"));
        return None;
    }
    let executable = record.executable()?;
    let dep_info = record.dep_info()?;
    let (files, reads_env) = sources(&dep_info)?;
    if reads_env {
        log(
            package,
            "Cargo (the crate reads the environment when compiled)",
        );
        return None;
    }
    // Cargo's lock on the build folder: no Cargo run and no other grading
    // writes these files meanwhile.
    let _lock = build_folder_lock(dir)?;

    let fresh = executable.exists()
        && files
            .iter()
            .all(|f| mtime(&dir.join(f)).is_some_and(|t| t < record.compiled_at));
    if fresh {
        log(package, "unchanged since the last compile");
        return Some(with_artifact(record.messages.clone(), package, &executable));
    }

    let started = compile_start();
    let out = Command::new(&record.program)
        .args(&record.args)
        .envs(record.env.iter().map(|(k, v)| (k, v)))
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut messages = Vec::new();
    let mut errors = 0;
    for line in stderr.lines() {
        let Ok(mut msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["$message_type"] != "diagnostic" {
            continue; // artifact notices, future-incompat reports
        }
        // rustc's closing count, which Cargo leaves out of its messages.
        let text = msg["message"].as_str().unwrap_or("");
        if text.starts_with("aborting due to")
            || text.ends_with("warning emitted")
            || text.ends_with("warnings emitted")
        {
            continue;
        }
        if msg["level"] == "error" {
            errors += 1;
            if rejects_the_dependencies(&msg) {
                log(package, "Cargo (rustc rejects the compiled dependencies)");
                Record::forget(dir, package);
                return None;
            }
        }
        if let Some(rendered) = msg["rendered"].as_str() {
            msg["rendered"] = strip_ansi(rendered).into();
        }
        let wrapped = serde_json::json!({
            "reason": "compiler-message",
            "target": { "name": package },
            "message": msg,
        });
        messages.push(wrapped.to_string());
    }
    if !out.status.success() && errors == 0 {
        // An internal error, a signal, a linker gone: let Cargo say it.
        log(package, "Cargo (rustc failed without an error in the code)");
        Record::forget(dir, package);
        return None;
    }
    log(package, "rustc alone");
    let record = Record {
        compiled_at: started,
        messages: messages.clone(),
        ..record
    };
    record.save(dir, package);
    Some(if out.status.success() {
        with_artifact(messages, package, &executable)
    } else {
        messages.join("\n")
    })
}

/// Cargo's lock on `target/debug` (an exclusive `flock` of its
/// `.cargo-lock`), held until dropped; `None` where that cannot be had, and
/// off Unix, where the next grading simply asks Cargo.
#[cfg(unix)]
fn build_folder_lock(dir: &Path) -> Option<nix::fcntl::Flock<std::fs::File>> {
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.join("target/debug/.cargo-lock"))
        .ok()?;
    nix::fcntl::Flock::lock(file, nix::fcntl::FlockArg::LockExclusive).ok()
}

#[cfg(not(unix))]
fn build_folder_lock(_dir: &Path) -> Option<()> {
    None
}

fn with_artifact(mut messages: Vec<String>, package: &str, executable: &Path) -> String {
    messages.push(
        serde_json::json!({
            "reason": "compiler-artifact",
            "target": { "name": package },
            "profile": { "test": true },
            "executable": executable,
        })
        .to_string(),
    );
    messages.join("\n")
}

/// E0460/E0461/E0462/E0463/E0514/E0519/E0523: a dependency compiled by
/// another rustc or missing, which only a Cargo run repairs.
fn rejects_the_dependencies(msg: &serde_json::Value) -> bool {
    const CODES: [&str; 7] = [
        "E0460", "E0461", "E0462", "E0463", "E0514", "E0519", "E0523",
    ];
    msg["code"]["code"]
        .as_str()
        .is_some_and(|c| CODES.contains(&c))
}

/// Cargo asks rustc for colours and takes them out of `rendered` itself.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// After a Cargo run (`-vv`, its stderr) that started at `started` with
/// `inputs`: records the command of each of `packages` Cargo compiled, with
/// the messages Cargo printed for it (`cargo_json`).
pub fn record(
    dir: &Path,
    packages: &[String],
    inputs: &Inputs,
    started: u128,
    stderr: &str,
    cargo_json: &str,
) {
    for package in packages {
        let Some((env, program, args)) = stderr.lines().find_map(|l| running(l, package)) else {
            continue;
        };
        let messages = cargo_json
            .lines()
            .filter(|l| l.starts_with('{'))
            .filter(|l| {
                serde_json::from_str::<serde_json::Value>(l).is_ok_and(|m| {
                    m["reason"] == "compiler-message" && m["target"]["name"] == package.as_str()
                })
            })
            .map(str::to_owned)
            .collect();
        let artifacts = Record::artifacts_now(&program, &args);
        let record = Record {
            inputs: inputs.clone(),
            env,
            program,
            args,
            artifacts,
            compiled_at: started,
            messages,
        };
        record.save(dir, package);
    }
}

/// A command as Cargo's `-vv` prints it: the environment it set, the
/// program and its arguments.
type Running = (Vec<(String, String)>, String, Vec<String>);

/// Cargo's `-vv` line for the test program of `package`.
fn running(line: &str, package: &str) -> Option<Running> {
    let command = line
        .trim_start()
        .strip_prefix("Running `")?
        .strip_suffix('`')?;
    let words = shell_words(command)?;
    let split = words.iter().position(|w| !is_assignment(w))?;
    let env = words[..split]
        .iter()
        .filter_map(|w| w.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let program = words[split].clone();
    let args = words[split + 1..].to_vec();
    let names_it = args
        .windows(2)
        .any(|w| w[0] == "--crate-name" && w[1] == package);
    (names_it && args.iter().any(|a| a == "--test")).then_some((env, program, args))
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    })
}

/// Splits a command line as a POSIX shell would, for what Cargo prints:
/// single quotes, double quotes and backslashes. `None` when a quote is
/// left open.
fn shell_words(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => current.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => current.push(chars.next()?),
                        c => current.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                current.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                current.push(c);
            }
        }
    }
    if in_word {
        words.push(current);
    }
    Some(words)
}

fn log(package: &str, how: &str) {
    if std::env::var_os("WORKBOOK_GRADE_LOG").is_some() {
        eprintln!("grade {package}: {how}");
    }
}

/// When a Cargo run starts, for [`record`].
pub fn started() -> u128 {
    compile_start()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_quoting_is_read_back() {
        let words = shell_words(
            r#"A='' B='x y' rustc --check-cfg 'cfg(docsrs,test)' 'it'\''s' "q\"" a\ b"#,
        )
        .unwrap();
        assert_eq!(
            words,
            [
                "A=",
                "B=x y",
                "rustc",
                "--check-cfg",
                "cfg(docsrs,test)",
                "it's",
                "q\"",
                "a b"
            ]
        );
        assert_eq!(shell_words("rustc 'open"), None);
    }

    #[test]
    fn the_running_line_of_the_test_program_is_found() {
        let line = "     Running `CARGO_CRATE_NAME=grade_x CARGO_PKG_AUTHORS='' \
                    LD_LIBRARY_PATH='/t/deps:/tc/lib' /tc/bin/rustc --crate-name grade_x \
                    --edition=2024 x/src/lib.rs --test --check-cfg 'cfg(docsrs,test)' \
                    -C extra-filename=-abc --out-dir /t/deps --extern g=/t/deps/libg-1.rlib`";
        let (env, program, args) = running(line, "grade_x").unwrap();
        assert_eq!(program, "/tc/bin/rustc");
        assert_eq!(env[1], ("CARGO_PKG_AUTHORS".to_owned(), String::new()));
        assert_eq!(env[2].1, "/t/deps:/tc/lib");
        assert!(args.contains(&"cfg(docsrs,test)".to_owned()));
        assert!(running(line, "grade_y").is_none(), "another crate");
        let lib = line.replace(" --test", "");
        assert!(running(&lib, "grade_x").is_none(), "not the test program");

        let record = Record {
            inputs: Inputs {
                files: Vec::new(),
                local_crates: Vec::new(),
                env: Vec::new(),
            },
            env,
            program,
            args,
            artifacts: Vec::new(),
            compiled_at: 0,
            messages: Vec::new(),
        };
        assert_eq!(
            record.executable(),
            Some(PathBuf::from("/t/deps/grade_x-abc"))
        );
        assert_eq!(
            record.dep_info(),
            Some(PathBuf::from("/t/deps/grade_x-abc.d"))
        );
        let artifacts = Record::artifacts_now(&record.program, &record.args);
        let paths: Vec<&str> = artifacts.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["/tc/bin/rustc", "/t/deps/libg-1.rlib"]);
    }

    #[test]
    fn dep_info_lists_sources_and_env_reads() {
        let dir = std::env::temp_dir().join(format!("rustc-alone-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let d = dir.join("x.d");
        std::fs::write(
            &d,
            "/t/x: a/lib.rs /w/my\\ file.rs /w/checks.rs\n\na/lib.rs:\n",
        )
        .unwrap();
        let (files, env) = sources(&d).unwrap();
        assert_eq!(
            files,
            ["a/lib.rs", "/w/my file.rs", "/w/checks.rs"].map(PathBuf::from)
        );
        assert!(!env);
        std::fs::write(&d, "/t/x: a/lib.rs\n\n# env-dep:FOO=1\n").unwrap();
        assert!(sources(&d).unwrap().1);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn colours_are_taken_out_of_rendered_messages() {
        assert_eq!(
            strip_ansi("\u{1b}[0m\u{1b}[1m\u{1b}[38;5;9merror\u{1b}[0m: x"),
            "error: x"
        );
    }

    #[test]
    fn only_the_build_steering_environment_counts() {
        assert!(steers_the_build("RUSTFLAGS"));
        assert!(steers_the_build("CARGO_PROFILE_DEV_OPT_LEVEL"));
        assert!(steers_the_build("RUSTC_WRAPPER"));
        assert!(!steers_the_build("RUST_TEST_THREADS"));
        assert!(!steers_the_build("RUST_BACKTRACE"));
        assert!(!steers_the_build("CARGO_PKG_NAME"));
        assert!(
            !steers_the_build("RUSTUP_TOOLCHAIN"),
            "set by rustup's proxies only"
        );
        assert!(
            !steers_the_build("CARGO_HOME"),
            "set by rustup's proxies only"
        );
    }
}
