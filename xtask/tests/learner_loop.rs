//! The learner's loop end to end, on a small workbook of two exercises made
//! for each test (the real exercises are graded by `cargo dev verify`):
//! `check` grades one exercise while another does not compile, `--json`
//! keeps its contract, `reset` restores the starter as shipped after a commit
//! and keeps the learner's version, a verdict has no backtrace whatever
//! `RUST_BACKTRACE` says, `watch` grades again on a save, and a save compiled
//! by rustc alone gets the verdict of what was saved.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const GRADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../support/grader");

const WRONG: &str = "pub fn answer() -> u32 {\n    41\n}\n";
const RIGHT: &str = "pub fn answer() -> u32 {\n    42\n}\n";
const PANICS: &str = "pub fn answer() -> u32 {\n    panic!(\"learner bug\")\n}\n";
const BROKEN: &str = "pub fn answer() -> u32 {\n    41 +\n}\n";

fn checks(id: &str) -> String {
    format!(
        "const ID: &str = {id:?};\n\
         #[test]\nfn answers_42() {{\n    \
         let a = grader::run(ID, \"`answer()`\", \"is it stuck?\", exercise::answer);\n    \
         grader::ensure(a == 42, ID, format!(\"`answer()` returned {{a}}, expected 42\"));\n}}\n\
         #[test]\nfn answers_a_number() {{\n    \
         let a = grader::run(ID, \"`answer()`\", \"is it stuck?\", exercise::answer);\n    \
         grader::ensure(a < 100, ID, format!(\"`answer()` returned {{a}}, expected 42\"));\n}}\n"
    )
}

fn manifest_entry(id: &str) -> String {
    format!(
        "[[exercise]]\nid = {id:?}\ntitle = \"The answer\"\nchapter = \"leak/index.md\"\n\
         file = \"exercises/src/{id}.rs\"\ntask = \"Return 42.\"\n\
         failing_checks = [\"answers_42\"]\nhints = [\"one\", \"two\", \"three\"]\n\n"
    )
}

/// A workbook with exercises `leak_one` and `leak_two`, both starters wrong.
fn workbook(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("learner-loop-{name}"));
    let _ = std::fs::remove_dir_all(&root);
    let files = [
        (
            "Cargo.toml".to_owned(),
            format!(
                "[workspace]\nmembers = []\n\n[workspace.package]\nedition = \"2024\"\n\n\
                 [workspace.dependencies]\ngrader = {{ path = {GRADER:?} }}\n\n\
                 [profile.dev.package.\"*\"]\nopt-level = 1\n"
            ),
        ),
        (
            "exercises/Cargo.toml".to_owned(),
            "[package]\nname = \"exercises\"\n\n[dependencies]\n".to_owned(),
        ),
        (
            "exercises/exercises.toml".to_owned(),
            manifest_entry("leak_one") + &manifest_entry("leak_two"),
        ),
        (
            "src/leak/index.md".to_owned(),
            "# The leak\n\n## Exercises\n\n{{#exercise leak_one}}\n\n{{#exercise leak_two}}\n"
                .to_owned(),
        ),
        ("checks/leak_one.rs".to_owned(), checks("leak_one")),
        ("checks/leak_two.rs".to_owned(), checks("leak_two")),
        ("exercises/src/leak_one.rs".to_owned(), WRONG.to_owned()),
        ("exercises/src/leak_two.rs".to_owned(), WRONG.to_owned()),
        (".gitignore".to_owned(), "/target\n/my-work/\n".to_owned()),
    ];
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}):\n{}", text(out)))
}

fn write(root: &Path, file: &str, content: &str) {
    std::fs::write(root.join(file), content).unwrap();
}

#[test]
fn a_broken_file_in_one_exercise_does_not_stop_grading_another() {
    let root = workbook("broken");
    write(&root, "exercises/src/leak_two.rs", BROKEN);
    write(&root, "exercises/src/leak_one.rs", RIGHT);

    // Both in one Cargo run first (as `progress` and `check --all` do, on a
    // workbook never graded before): the broken one must not take the other down.
    let all = text(&xtask(&root, &["check", "--all"]));
    assert!(all.contains("leak_one: all 2 checks pass"), "{all}");
    assert!(
        all.contains("exercises/src/leak_two.rs does not compile"),
        "{all}"
    );

    let one = xtask(&root, &["check", "leak_one", "--json"]);
    let v = json(&one);
    assert_eq!(v["status"], "passed", "{}", text(&one));
    assert_eq!(
        (v["passed"].as_u64(), v["total"].as_u64()),
        (Some(2), Some(2))
    );
    assert!(v["broken"].is_null());
    assert!(one.status.success(), "exit 0 exactly when passed");

    let two = xtask(&root, &["check", "leak_two", "--json"]);
    let v = json(&two);
    assert_eq!(v["status"], "broken", "{}", text(&two));
    let broken = v["broken"].as_str().unwrap();
    assert!(broken.contains("exercises/src/leak_two.rs:"), "{broken}");
    assert!(!two.status.success());

    let human = text(&xtask(&root, &["check", "leak_two"]));
    assert!(
        human.contains("exercises/src/leak_two.rs does not compile"),
        "{human}"
    );
}

/// `check ID` with the engine saying which way it compiled (see
/// `engine::rustc_alone`): its JSON verdict and that line.
fn graded(root: &Path, id: &str) -> (serde_json::Value, String) {
    graded_with(root, id, &[])
}

fn graded_with(root: &Path, id: &str, env: &[(&str, &str)]) -> (serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["check", id, "--json"])
        .current_dir(root)
        .env("WORKBOOK_GRADE_LOG", "1")
        // As the runner starts it; `env` adds what rustup's proxies set.
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO_HOME")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let how = String::from_utf8_lossy(&out.stderr)
        .lines()
        .find_map(|l| {
            l.strip_prefix(&format!("grade grade_{id}: "))
                .map(str::to_owned)
        })
        .unwrap_or_default();
    (json(&out), how)
}

#[test]
fn a_save_is_compiled_by_rustc_alone_and_every_verdict_follows_the_file() {
    let root = workbook("rustc-alone");
    let file = "exercises/src/leak_one.rs";
    let (v, _) = graded(&root, "leak_one"); // the first build: Cargo
    assert_eq!(v["status"], "failed");
    write(&root, file, RIGHT);
    let (v, how) = graded(&root, "leak_one");
    assert_eq!(
        (v["status"].as_str(), how.as_str()),
        (Some("passed"), "Cargo (no compile recorded yet)")
    );

    // Cargo recorded its command: every save from now on is rustc's alone,
    // and each verdict is the file's, whatever it holds.
    for (content, status) in [
        (WRONG, "failed"),
        (BROKEN, "broken"),
        (PANICS, "failed"),
        (RIGHT, "passed"),
    ] {
        write(&root, file, content);
        let (v, how) = graded(&root, "leak_one");
        assert_eq!(
            (v["status"].as_str(), how.as_str()),
            (Some(status), "rustc alone"),
            "{content}"
        );
        if status == "broken" {
            assert!(
                v["broken"]
                    .as_str()
                    .unwrap()
                    .contains("exercises/src/leak_one.rs:3"),
                "{v}"
            );
        }
    }
    // Started through rustup (`cargo test`, `cargo xtask`), a grading has
    // rustup's variables; started directly (the runner's), it has not: both
    // are the same build.
    write(&root, file, WRONG);
    // (rustup's CARGO_HOME is the folder Cargo would use anyway.)
    let home = std::env::var("CARGO_HOME")
        .unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    let rustup = [
        ("RUSTUP_TOOLCHAIN", "stable"),
        ("CARGO_HOME", home.as_str()),
    ];
    let (v, how) = graded_with(&root, "leak_one", &rustup);
    assert_eq!(
        (v["status"].as_str(), how.as_str()),
        (Some("failed"), "rustc alone")
    );
    write(&root, file, RIGHT);
    let (v, how) = graded(&root, "leak_one");
    assert_eq!(
        (v["status"].as_str(), how.as_str()),
        (Some("passed"), "rustc alone")
    );

    // Nothing saved: the last compile stands (or, within the coarse clock's
    // tick of it, is made again), and so does its verdict.
    let (v, how) = graded(&root, "leak_one");
    assert_eq!(v["status"], "passed");
    assert!(
        ["unchanged since the last compile", "rustc alone"].contains(&how.as_str()),
        "{how}"
    );

    // A changed manifest is Cargo's to read; it records again.
    let manifest = root.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text + "# edited\n").unwrap();
    write(&root, file, WRONG);
    let (v, how) = graded(&root, "leak_one");
    assert_eq!(v["status"], "failed");
    assert!(
        how.starts_with("Cargo (") && how.contains("Cargo.toml changed"),
        "{how}"
    );
    write(&root, file, RIGHT);
    let (v, how) = graded(&root, "leak_one");
    assert_eq!(
        (v["status"].as_str(), how.as_str()),
        (Some("passed"), "rustc alone")
    );
}

#[test]
fn json_verdict_keeps_the_contract_and_the_exit_status() {
    let root = workbook("json");
    let out = xtask(&root, &["check", "leak_one", "--json"]);
    assert!(!out.status.success(), "a failed exercise exits non-zero");
    let v = json(&out);
    assert_eq!(v["id"], "leak_one");
    assert_eq!(v["status"], "failed");
    assert_eq!(
        (v["passed"].as_u64(), v["total"].as_u64()),
        (Some(1), Some(2))
    );
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks[0]["name"], "answers_42");
    assert_eq!(checks[0]["ok"], false);
    assert_eq!(checks[0]["message"], "`answer()` returned 41, expected 42");
    assert_eq!(checks[1]["ok"], true);

    let progress = xtask(&root, &["progress", "--json"]);
    let p = json(&progress);
    assert_eq!(p["current"], "leak_one", "{}", text(&progress));
    let rows = p["exercises"].as_array().unwrap();
    assert_eq!(rows[0]["chapter"], "leak/index.md");
    assert_eq!(
        (rows[0]["passed"].as_u64(), rows[0]["total"].as_u64()),
        (Some(1), Some(2))
    );
    assert!(["partial", "not_started"].contains(&rows[0]["state"].as_str().unwrap()));

    // `--all --json`: one array, a report per exercise, in book order.
    let all = xtask(&root, &["check", "--all", "--json"]);
    assert!(!all.status.success(), "a failed exercise exits non-zero");
    let reports = json(&all);
    let ids: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.first(), Some(&"leak_one"), "{}", text(&all));

    // Nothing to grade is still JSON on stdout.
    let unknown = xtask(&root, &["check", "no_such_exercise", "--json"]);
    assert!(!unknown.status.success());
    assert!(
        json(&unknown)["error"]
            .as_str()
            .unwrap()
            .contains("no_such_exercise")
    );
}

#[test]
fn a_verdict_carries_no_backtrace_with_rust_backtrace_set() {
    let root = workbook("backtrace");
    write(&root, "exercises/src/leak_one.rs", PANICS);
    let out = xtask(&root, &["check", "leak_one"]); // RUST_BACKTRACE=1
    let all = text(&out);
    assert!(
        all.contains("`answer()` panicked (at exercises/src/leak_one.rs:2): learner bug"),
        "{all}"
    );
    assert!(!all.contains("stack backtrace"), "{all}");
    assert!(!all.contains("RUST_BACKTRACE"), "{all}");
    assert_eq!(
        all.matches("learner bug").count(),
        1,
        "each message once:\n{all}"
    );
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", text(&out));
}

#[test]
fn reset_after_a_commit_restores_the_shipped_starter_and_keeps_the_learners_version() {
    let root = workbook("reset");
    git(&root, &["init", "-q"]);
    // What the maintainers' `cargo dev bless-starters` does, through the
    // library it shares with this crate.
    let manifest = xtask::load_manifest(&root).unwrap();
    xtask::starters::bless(&root, &manifest).unwrap();
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-qm", "shipped"]);
    // The learner works and commits, as one should.
    write(&root, "exercises/src/leak_one.rs", RIGHT);
    git(&root, &["commit", "-qam", "my fix"]);

    let out = xtask(&root, &["reset", "leak_one"]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        std::fs::read_to_string(root.join("exercises/src/leak_one.rs")).unwrap(),
        WRONG
    );
    let backups: Vec<PathBuf> = std::fs::read_dir(root.join("my-work/backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("leak_one-20") && name.ends_with("Z.rs"),
        "{name}"
    );
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), RIGHT);
    assert!(
        text(&out).contains("my-work/backups/leak_one-"),
        "{}",
        text(&out)
    );

    // my-work/ is ignored by git, and `cargo clean` (target/) cannot touch it.
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&root)
        .output()
        .unwrap();
    let status = String::from_utf8_lossy(&status.stdout);
    assert!(!status.contains("my-work"), "{status}");
    let again = xtask(&root, &["reset", "leak_one"]);
    assert!(
        text(&again).contains("already the starter as shipped"),
        "{}",
        text(&again)
    );
}

#[test]
fn watch_grades_again_when_the_file_is_saved() {
    let root = workbook("watch");
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["watch", "leak_one"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    let wait_for = |wanted: &str| wait_for(&lines, wanted);
    wait_for("✗ leak_one: 1 of 2 checks pass");
    wait_for("Watching exercises/src/leak_one.rs");
    write(&root, "exercises/src/leak_one.rs", RIGHT);
    wait_for("✓ leak_one: all 2 checks pass");
    wait_for("Next: leak_two");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"n\n").unwrap();
    wait_for("Grading leak_two");
    stdin.write_all(b"q\n").unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn a_root_cargo_test_names_the_reference_solution() {
    let lib = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../solutions/src/lib.rs"
    ))
    .unwrap();
    let module = lib
        .find("mod reference_solution_not_your_exercise")
        .expect("the solutions' checks sit in a module whose name says whose they are");
    let first_check = lib.find("grader::checks!(").expect("solutions are graded");
    assert!(
        module < first_check,
        "every check of `solutions` is inside that module"
    );
}

/// On a terminal, `watch` reads each key as it is typed: no Enter. The
/// terminal is a pseudo-terminal from util-linux's `script` (skipped where it
/// is missing); the keys are `h`, then `q`, with no newline.
#[cfg(unix)]
#[test]
fn watch_on_a_terminal_takes_keys_without_enter() {
    let has_script = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("skipped: no `script` (util-linux) to make a terminal");
        return;
    }
    let root = workbook("keys");
    let watch = format!("{} watch leak_one", env!("CARGO_BIN_EXE_xtask"));
    let mut child = Command::new("script")
        .args(["-qec", &watch, "/dev/null"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = lines_of(&mut child);
    let wait_for = |wanted: &str| wait_for(&lines, wanted);
    wait_for("Keys: h = next hint");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"h").unwrap();
    wait_for("Hint 1 of");
    stdin.write_all(b"q").unwrap();
    assert!(child.wait().unwrap().success());
}

/// The lines `child` prints, as they come.
fn lines_of(child: &mut std::process::Child) -> mpsc::Receiver<String> {
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    lines
}

/// Waits until a line contains `wanted`. The bound is against a hang, not a
/// timing assertion: the first grading may compile the grader.
fn wait_for(lines: &mpsc::Receiver<String>, wanted: &str) {
    let mut seen = String::new();
    loop {
        match lines.recv_timeout(Duration::from_secs(300)) {
            Ok(line) if line.contains(wanted) => return,
            Ok(line) => seen.push_str(&(line + "\n")),
            Err(_) => panic!("`watch` never printed {wanted:?}; it printed:\n{seen}"),
        }
    }
}

#[test]
fn a_maintainer_command_names_cargo_dev_and_a_misspelled_flag_is_refused() {
    let root = workbook("maintainer");
    for command in ["verify", "test", "codegen", "bless-starters", "i18n"] {
        let out = xtask(&root, &[command]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr).trim(),
            format!("`{command}` is a maintainer command: `cargo dev {command}`")
        );
        assert!(out.stdout.is_empty(), "{}", text(&out));
    }
    // The learner's flags are still checked before anything is graded.
    let out = xtask(&root, &["check", "--jsn"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("unknown option `--jsn`"),
        "{}",
        text(&out)
    );
    assert!(!root.join("target/grade").exists(), "nothing was graded");
}
