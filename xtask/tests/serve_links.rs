//! What the terminal commands print for the book and the runner, on a small
//! workbook of one exercise made for each test: the links of `progress`,
//! `hint` and `check` follow `my-work/serve.json` while its `serve` lives
//! (and fall back to 127.0.0.1:3000 when it does not), and `check ID --json`
//! says on stderr what it is doing (`building ID...`, a wait for another
//! build's lock) while stdout stays one JSON object.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const GRADER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../support/grader");
const WRONG: &str = "pub fn answer() -> u32 {\n    41\n}\n";

const RIGHT: &str = "pub fn answer() -> u32 {\n    42\n}\n";

fn checks(id: &str) -> String {
    format!(
        "const ID: &str = {id:?};\n\
         #[test]\nfn answers_42() {{\n    \
         let a = grader::run(ID, \"`answer()`\", \"is it stuck?\", exercise::answer);\n    \
         grader::ensure(a == 42, ID, format!(\"`answer()` returned {{a}}, expected 42\"));\n}}\n"
    )
}

fn manifest_entry(id: &str) -> String {
    format!(
        "[[exercise]]\nid = {id:?}\ntitle = \"The answer\"\nchapter = \"leak/index.md\"\n\
         file = \"exercises/src/{id}.rs\"\ntask = \"Return 42.\"\n\
         failing_checks = [\"answers_42\"]\nhints = [\"one\", \"two\", \"three\"]\n\n"
    )
}

/// A workbook with exercises `leak_one` and `leak_two` (both wrong), on a
/// chapter whose title has quotes of its own.
fn workbook(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-links-{name}"));
    let _ = std::fs::remove_dir_all(&root);
    let files = [
        (
            "Cargo.toml".to_owned(),
            format!(
                "[workspace]\nmembers = []\n\n[workspace.package]\nedition = \"2024\"\n\n\
                 [workspace.dependencies]\ngrader = {{ path = {GRADER:?} }}\n"
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
            "# \"Go only leaks\": the answer\n\n## Exercises\n\n{{#exercise leak_one}}\n\n\
             {{#exercise leak_two}}\n"
                .to_owned(),
        ),
        ("checks/leak_one.rs".to_owned(), checks("leak_one")),
        ("checks/leak_two.rs".to_owned(), checks("leak_two")),
        ("exercises/src/leak_one.rs".to_owned(), WRONG.to_owned()),
        ("exercises/src/leak_two.rs".to_owned(), WRONG.to_owned()),
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
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn write_serve_json(root: &Path, pid: u32, port: u16) {
    std::fs::create_dir_all(root.join("my-work")).unwrap();
    std::fs::write(
        root.join("my-work/serve.json"),
        format!(
            "{{\"book_port\":{port},\"runner_port\":{},\"pid\":{pid},\
             \"book_url\":\"http://127.0.0.1:{port}\"}}\n",
            port + 1
        ),
    )
    .unwrap();
}

/// A pid no process has now.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn progress_and_hint_links_follow_the_running_serve() {
    let root = workbook("follow");
    let section = "/leak/index.html#exercises";

    // A live `serve` (this test stands in for it: its pid is alive).
    write_serve_json(&root, std::process::id(), 4567);
    let hint = stdout(&xtask(&root, &["hint"]));
    assert!(
        hint.contains(&format!("http://127.0.0.1:4567{section}")),
        "{hint}"
    );
    let progress = xtask(&root, &["progress"]);
    let text = stdout(&progress);
    assert!(
        text.contains(&format!("http://127.0.0.1:4567{section}")),
        "{text}{}",
        stderr(&progress)
    );
    // A title with quotes of its own is quoted once.
    assert!(
        text.contains("read '\"Go only leaks\": the answer'"),
        "{text}"
    );
    assert!(!text.contains("\"\""), "{text}");

    // A `serve` that died without cleaning up: the default port.
    write_serve_json(&root, dead_pid(), 4567);
    let hint = stdout(&xtask(&root, &["hint"]));
    assert!(
        hint.contains(&format!("http://127.0.0.1:3000{section}")),
        "{hint}"
    );
    assert!(!hint.contains("4567"), "{hint}");

    // No serve.json at all: the default port, never `localhost`.
    std::fs::remove_file(root.join("my-work/serve.json")).unwrap();
    let progress = stdout(&xtask(&root, &["progress"]));
    assert!(
        progress.contains(&format!("http://127.0.0.1:3000{section}")),
        "{progress}"
    );
    assert!(!progress.contains("localhost"), "{progress}");
}

#[test]
fn watch_names_the_section_and_does_not_say_to_start_watch() {
    let root = workbook("watch");
    std::fs::write(root.join("exercises/src/leak_one.rs"), RIGHT).unwrap();
    write_serve_json(&root, std::process::id(), 4567);
    let section = "http://127.0.0.1:4567/leak/index.html#exercises";

    let mut watch = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["watch", "leak_one", "--manual-run"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `q` ends it once it has graded (keys wait for the verdict).
    std::io::Write::write_all(watch.stdin.as_mut().unwrap(), b"q\n").unwrap();
    let out = watch.wait_with_output().unwrap();
    let text = stdout(&out);
    assert!(
        text.contains(&format!(
            "In the book: the section \"Exercises\" of '\"Go only leaks\": the answer' ({section})."
        )),
        "{text}{}",
        stderr(&out)
    );
    assert!(text.contains("all 1 checks pass"), "{text}");
    assert!(text.contains("Next: leak_two"), "{text}");
    assert!(!text.contains("Then: `cargo xtask watch"), "{text}");

    // `check` outside watch does say it, with the same link.
    let check = stdout(&xtask(&root, &["check", "leak_one"]));
    assert!(
        check.contains("Then: `cargo xtask watch leak_two`"),
        "{check}"
    );
    assert!(check.contains(section), "{check}");
}

#[test]
fn check_json_says_what_it_does_on_stderr_only() {
    let root = workbook("phases");
    let out = xtask(&root, &["check", "leak_one", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON object ({e}): {}", stdout(&out)));
    assert_eq!(json["status"], "failed");
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
    assert!(
        stderr(&out).starts_with("building leak_one...\n"),
        "{}",
        stderr(&out)
    );
    // Without --json, stdout is the verdict for a person, stderr quiet.
    let human = xtask(&root, &["check", "leak_one"]);
    assert!(!stderr(&human).contains("building"), "{}", stderr(&human));

    if !cfg!(target_os = "linux") || Command::new("flock").arg("-V").output().is_err() {
        println!("skipped: the lock wait needs Linux and flock(1)");
        return;
    }
    // Another build holds the grading crates' lock (as `serve`'s prebuild
    // would): check says it waits, in Cargo's words, and then grades.
    let lock = root.join("target/grade/target/debug/.cargo-lock");
    assert!(
        lock.exists(),
        "the first check built in target/grade/target"
    );
    let mut holder = Command::new("flock")
        .arg(&lock)
        .args(["sleep", "4"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300)); // flock has taken it
    std::fs::write(root.join("exercises/src/leak_one.rs"), RIGHT).unwrap();
    let waited = xtask(&root, &["check", "leak_one", "--json"]);
    let _ = holder.kill();
    let _ = holder.wait();
    let err = stderr(&waited);
    assert!(
        err.contains("Blocking waiting for file lock on the grading build directory"),
        "{err}"
    );
    let after_wait = err.split("Blocking waiting").nth(1).unwrap();
    // Then back to building (or, on a fast machine, straight to the checks).
    assert!(
        after_wait.contains("building leak_one...") || after_wait.contains("grading leak_one..."),
        "{err}"
    );
    let json: serde_json::Value = serde_json::from_slice(&waited.stdout).unwrap();
    assert_eq!(json["status"], "passed", "{err}");

    // `watch` says so too (and only that: it shows the rest itself).
    let mut holder = Command::new("flock")
        .arg(&lock)
        .args(["sleep", "3"])
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let mut watch = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["watch", "leak_one", "--manual-run"])
        .current_dir(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(watch.stdin.as_mut().unwrap(), b"q\n").unwrap();
    let out = watch.wait_with_output().unwrap();
    let _ = holder.kill();
    let _ = holder.wait();
    let err = stderr(&out);
    assert!(err.contains("Blocking waiting for file lock"), "{err}");
    assert!(!err.contains("building leak_one"), "{err}");
    assert!(
        stdout(&out).contains("all 1 checks pass"),
        "{}",
        stdout(&out)
    );
}
