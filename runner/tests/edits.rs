//! `POST /api/edit/ID`, the one request that carries code: the page's edited
//! text of a listing goes into a scratch copy of the listing's package under
//! `target/runner-scratch/PORT/edit/ID/`, never into the repository, and is
//! built and run like Run. Only with the session, the book's Origin and the
//! runner's Host; at most 64 KiB, with a Content-Length, read only after
//! those checks; one run per listing. The repository here is a folder of the
//! test's own; most tests use a fake `go` whose "binary" prints the edited
//! file and touches a marker, the last two a real `go` and a real `cargo` on
//! tiny programs.

#![cfg(unix)]

mod common;

use common::*;
use mdbook_runnable::commands::{BookCommand, CommandManifest, Place};
use mdbook_runnable::edit::{EditManifest, Editable};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MAIN_GO: &str = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\t// ANCHOR: body\n\tfmt.Println(\"hello\")\n\t// ANCHOR_END: body\n}\n";

fn place() -> Place {
    Place {
        file: "src/test.md".to_owned(),
        line: 1,
    }
}

/// A repository with `go/demo/main.go` and a fake `go` whose build writes a
/// program that touches `ROOT/ran`, prints `demo/main.go` and sleeps for the
/// seconds in `ROOT/run-sleep`.
fn repository(name: &str) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-root"));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("go/demo")).unwrap();
    std::fs::create_dir_all(root.join("tools")).unwrap();
    std::fs::write(
        root.join("go/go.mod"),
        "module example.com/demo\n\ngo 1.21\n",
    )
    .unwrap();
    std::fs::write(root.join("go/demo/main.go"), MAIN_GO).unwrap();
    std::fs::write(root.join("secret.txt"), "SECRET").unwrap();
    let go = root.join("tools/go");
    let r = root.display();
    std::fs::write(
        &go,
        format!(
            "#!/bin/sh\n[ \"$1\" = build ] && [ \"$2\" = -o ] || exit 2\n\
             printf '#!/bin/sh\\ntouch {r}/ran\\ncat demo/main.go\\nsleep $(cat {r}/run-sleep 2>/dev/null || echo 0)\\n' > \"$3\"\n\
             chmod +x \"$3\"\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
    (root, go.display().to_string())
}

fn go_command(go: &str) -> BookCommand {
    BookCommand {
        id: "go-run-demo".to_owned(),
        text: "cd go && go run ./demo".to_owned(),
        dir: "go".to_owned(),
        program: go.to_owned(),
        args: vec!["run".to_owned(), "./demo".to_owned()],
        shown_at: vec![place()],
        outputs: Vec::new(),
    }
}

fn go_edit(id: &str) -> Editable {
    Editable {
        id: id.to_owned(),
        command: "go-run-demo".to_owned(),
        package: "go".to_owned(),
        file: "demo/main.go".to_owned(),
        anchor: Some("body".to_owned()),
        first_line: 7,
        shown_at: place(),
    }
}

/// The book's two manifests as the build writes them, in the test's folder.
fn write_manifests(f: &Fixture, commands: Vec<BookCommand>, edits: Vec<Editable>) {
    let commands = CommandManifest {
        commands,
        exercises: Vec::new(),
    };
    std::fs::write(
        f.dir.join("commands.json"),
        serde_json::to_string(&commands).unwrap(),
    )
    .unwrap();
    std::fs::write(
        f.dir.join("edits.json"),
        serde_json::to_string(&EditManifest { edits }).unwrap(),
    )
    .unwrap();
}

fn start_in(name: &str, root: &Path) -> Fixture {
    start(
        name,
        Options {
            root: Some(root.to_path_buf()),
            ..Options::default()
        },
    )
}

fn scratch(root: &Path, f: &Fixture) -> PathBuf {
    root.join("target/runner-scratch")
        .join(f.port.to_string())
        .join("edit")
}

/// A POST with these headers and this body (Content-Length added unless
/// `headers` names one, or a Transfer-Encoding).
fn post(port: u16, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut text = format!("POST {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    let names_length = headers.iter().any(|(n, _)| {
        n.eq_ignore_ascii_case("content-length") || n.eq_ignore_ascii_case("transfer-encoding")
    });
    if !names_length {
        text.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    text.push_str("Content-Type: text/plain; charset=utf-8\r\n\r\n");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    exchange(port, &bytes)
}

/// What the page sends: Host, Origin, session, and the text.
fn page_edit(f: &Fixture, id: &str, text: &str) -> Answer {
    let bearer = format!("Bearer {}", f.session);
    post(
        f.port,
        &format!("/api/edit/{id}"),
        &[
            ("Host", &host(f.port)),
            ("Origin", BOOK),
            ("Authorization", &bearer),
        ],
        text.as_bytes(),
    )
}

fn assert_untouched(root: &Path) {
    assert_eq!(
        std::fs::read_to_string(root.join("go/demo/main.go")).unwrap(),
        MAIN_GO,
        "the repository's file was changed"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("secret.txt")).unwrap(),
        "SECRET"
    );
}

fn assert_nothing_written_or_run(root: &Path, f: &Fixture) {
    assert!(
        !scratch(root, f).exists(),
        "a refused request wrote into the scratch folder"
    );
    assert!(
        !root.join("ran").exists(),
        "a refused request ran the program"
    );
    assert_untouched(root);
}

#[test]
fn an_edit_runs_in_a_scratch_copy_and_the_repository_is_untouched() {
    let (root, go) = repository("edit_runs");
    let f = start_in("edit_runs", &root);
    write_manifests(&f, vec![go_command(&go)], vec![go_edit("demo-body")]);
    let answer = page_edit(&f, "demo-body", "fmt.Println(\"EDITED\")\n");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.phases(),
        ["building", "building", "running"],
        "{}",
        answer.body
    );
    let run = answer.result();
    assert_eq!(run["exit_code"], 0, "{run}");
    assert_eq!(run["command"], "cd go && go run ./demo");
    assert_eq!(run["edit"]["id"], "demo-body");
    assert_eq!(run["edit"]["first_line"], 7);
    let printed = run["output"][0]["text"].as_str().unwrap();
    assert!(
        printed.contains("\t// ANCHOR: body\n\tfmt.Println(\"EDITED\")\n\t// ANCHOR_END: body\n"),
        "the region is replaced, indented as it was: {printed}"
    );
    assert!(!printed.contains("hello"), "{printed}");
    assert_untouched(&root);
    let copy = scratch(&root, &f).join("demo-body/copy/go/demo/main.go");
    assert!(std::fs::read_to_string(copy).unwrap().contains("EDITED"));
}

#[test]
fn without_a_session_or_from_elsewhere_nothing_is_written_or_run() {
    let (root, go) = repository("edit_refused");
    let f = start_in("edit_refused", &root);
    write_manifests(&f, vec![go_command(&go)], vec![go_edit("demo-body")]);
    let h = host(f.port);
    let session = format!("Bearer {}", f.session);
    let link = format!("Bearer {LINK}");
    type Headers<'a> = &'a [(&'a str, &'a str)];
    let cases: [(Headers, u16, &str); 5] = [
        (&[("Host", &h), ("Origin", BOOK)], 401, "no_token"),
        (
            &[("Host", &h), ("Origin", BOOK), ("Authorization", &link)],
            403,
            "unknown_session",
        ),
        (
            &[
                ("Host", &h),
                ("Origin", BOOK),
                ("Authorization", "Bearer 00"),
            ],
            403,
            "unknown_session",
        ),
        (
            &[
                ("Host", &h),
                ("Origin", "http://evil.example"),
                ("Authorization", &session),
            ],
            403,
            "bad_origin",
        ),
        (
            &[
                ("Host", "evil.example:3001"),
                ("Origin", BOOK),
                ("Authorization", &session),
            ],
            403,
            "bad_host",
        ),
    ];
    for (headers, status, reason) in cases {
        let answer = post(f.port, "/api/edit/demo-body", headers, b"touch ran");
        assert_eq!(answer.status, status, "{headers:?}: {}", answer.body);
        assert_eq!(answer.reason(), reason, "{headers:?}");
    }
    assert_nothing_written_or_run(&root, &f);
}

#[test]
fn an_unknown_id_or_a_path_in_the_request_reaches_nothing_outside_scratch() {
    let (root, go) = repository("edit_paths");
    let f = start_in("edit_paths", &root);
    write_manifests(&f, vec![go_command(&go)], vec![go_edit("demo-body")]);
    for path in [
        "/api/edit/nope",
        "/api/edit/..",
        "/api/edit/../../secret.txt",
        "/api/edit/..%2f..%2fsecret.txt",
        "/api/edit/%2Fetc%2Fpasswd",
        "/api/edit//etc/passwd",
        "/api/edit/DEMO-BODY",
        "/api/edit/demo-body/x",
        "/api/edit/",
    ] {
        let answer = page_edit_path(&f, path, &[]);
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert_eq!(answer.reason(), "not_found", "{path}");
    }
    assert_nothing_written_or_run(&root, &f);
    // A path as a query or a header is not read: the manifest's file is
    // the one written, in the scratch copy.
    let answer = page_edit_path(
        &f,
        "/api/edit/demo-body?file=../../secret.txt",
        &[("X-File", "../../../secret.txt"), ("X-Path", "/etc/passwd")],
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.result()["exit_code"], 0, "{}", answer.body);
    assert_untouched(&root);
    // A manifest entry (data on disk) that names a path outside its package
    // or an id that is a path is refused before anything is written.
    let mut outside = go_edit("outside");
    outside.file = "../secret.txt".to_owned();
    let mut absolute = go_edit("absolute");
    absolute.file = "/etc/hostname".to_owned();
    let mut package = go_edit("package");
    package.package = "..".to_owned();
    write_manifests(&f, vec![go_command(&go)], vec![outside, absolute, package]);
    for id in ["outside", "absolute", "package"] {
        let answer = page_edit(&f, id, "SECRET=EDITED\n");
        let last = answer.events().pop().unwrap();
        assert_eq!(last["event"], "error", "{id}: {}", answer.body);
        assert!(!scratch(&root, &f).join(id).exists(), "{id} wrote a copy");
    }
    assert_untouched(&root);
}

fn page_edit_path(f: &Fixture, path: &str, extra: &[(&str, &str)]) -> Answer {
    let h = host(f.port);
    let bearer = format!("Bearer {}", f.session);
    let mut headers = vec![
        ("Host", h.as_str()),
        ("Origin", BOOK),
        ("Authorization", &bearer),
    ];
    headers.extend_from_slice(extra);
    post(f.port, path, &headers, b"fmt.Println(\"x\")\n")
}

#[test]
fn a_text_over_64_kib_is_refused_unread_and_a_body_needs_a_length() {
    let (root, go) = repository("edit_limits");
    let f = start_in("edit_limits", &root);
    write_manifests(&f, vec![go_command(&go)], vec![go_edit("demo-body")]);
    let h = host(f.port);
    let bearer = format!("Bearer {}", f.session);
    let page = [
        ("Host", h.as_str()),
        ("Origin", BOOK),
        ("Authorization", &bearer),
    ];
    // Claims a huge body and sends none: answered at once (not after the
    // read timeout), and closed.
    let started = Instant::now();
    let mut headers = page.to_vec();
    headers.push(("Content-Length", "1000000000"));
    let answer = post(f.port, "/api/edit/demo-body", &headers, b"");
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.reason(), "too_large");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // Just over the limit, sent whole: refused the same way.
    let over = "x".repeat(64 * 1024 + 1);
    let answer = page_edit(&f, "demo-body", &over);
    assert_eq!(answer.status, 413, "{}", answer.body);
    // Chunked, or no length at all: 411.
    let mut chunked = page.to_vec();
    chunked.push(("Transfer-Encoding", "chunked"));
    let answer = post(
        f.port,
        "/api/edit/demo-body",
        &chunked,
        b"5\r\nhello\r\n0\r\n\r\n",
    );
    assert_eq!(answer.status, 411, "{}", answer.body);
    assert_eq!(answer.reason(), "length_required");
    let mut both = page.to_vec();
    both.extend([("Content-Length", "5"), ("Transfer-Encoding", "chunked")]);
    assert_eq!(
        post(f.port, "/api/edit/demo-body", &both, b"hello").status,
        411
    );
    let mut twice = page.to_vec();
    twice.extend([("Content-Length", "5"), ("Content-Length", "5")]);
    assert_eq!(
        post(f.port, "/api/edit/demo-body", &twice, b"hello").status,
        411
    );
    let mut signed = page.to_vec();
    signed.push(("Content-Length", "+5"));
    assert_eq!(
        post(f.port, "/api/edit/demo-body", &signed, b"hello").status,
        411
    );
    // Not UTF-8.
    let answer = post(f.port, "/api/edit/demo-body", &page, b"\xff\xfe bad");
    assert_eq!(answer.status, 400, "{}", answer.body);
    // A body shorter than its length: the read gives up at its deadline.
    let mut short = page.to_vec();
    short.push(("Content-Length", "100"));
    let answer = post(f.port, "/api/edit/demo-body", &short, b"only this");
    assert_eq!(answer.status, 408, "{}", answer.body);
    assert_nothing_written_or_run(&root, &f);
    // Every other endpoint still refuses any body.
    let mut run = page.to_vec();
    run.push(("Content-Length", "5"));
    let answer = post(f.port, "/api/run/go-run-demo", &run, b"hello");
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.reason(), "body_not_allowed");
    // Exactly 64 KiB is accepted (a Go comment line, long).
    let limit = format!("// {}\n", "x".repeat(64 * 1024 - 4));
    assert_eq!(limit.len(), 64 * 1024);
    let answer = page_edit(&f, "demo-body", &limit);
    assert_eq!(
        answer.status,
        200,
        "{}",
        &answer.body[..200.min(answer.body.len())]
    );
    assert_still_serves(&f);
}

#[test]
fn one_run_per_listing_at_a_time() {
    let (root, go) = repository("edit_once");
    let f = start_in("edit_once", &root);
    write_manifests(
        &f,
        vec![go_command(&go)],
        vec![go_edit("slow"), go_edit("other")],
    );
    std::fs::write(root.join("run-sleep"), "3").unwrap();
    let port = f.port;
    let session = f.session.clone();
    let first = std::thread::spawn(move || {
        let bearer = format!("Bearer {session}");
        post(
            port,
            "/api/edit/slow",
            &[
                ("Host", &host(port)),
                ("Origin", BOOK),
                ("Authorization", &bearer),
            ],
            b"fmt.Println(\"first\")\n",
        )
    });
    let ran = root.join("ran");
    wait_for("the first edit to run", || ran.exists().then_some(()));
    let second = page_edit(&f, "slow", "fmt.Println(\"second\")\n");
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(second.reason(), "already_running");
    // Another listing is not held up by it.
    let other = page_edit(&f, "other", "fmt.Println(\"other\")\n");
    assert_eq!(other.status, 200, "{}", other.body);
    let first = first.join().unwrap();
    let printed = first.result()["output"][0]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(printed.contains("first"), "{printed}");
}

/// On PATH. Looked up, not run: the runners of this test process reap
/// every child they did not start (they are child subreapers), so a
/// `go version` run from here could be reaped under `Command::output`.
fn has(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

#[test]
fn a_real_go_edit_runs_and_a_syntax_error_names_the_pane_line() {
    assert!(
        has("go"),
        "this test needs Go (the book's Go side needs it too)"
    );
    let (root, _) = repository("edit_real_go");
    let f = start_in("edit_real_go", &root);
    let mut command = go_command("go");
    command.program = "go".to_owned();
    write_manifests(&f, vec![command], vec![go_edit("demo-body")]);
    let answer = page_edit(&f, "demo-body", "fmt.Println(\"goodbye\")\n");
    let run = answer.result();
    assert_eq!(run["exit_code"], 0, "{run}");
    assert_eq!(run["output"][0]["text"], "goodbye\n", "{run}");
    // Line 2 of the pane is file line 8.
    let answer = page_edit(&f, "demo-body", "fmt.Println(\"a\")\nfmt.Println(\"b\"\n");
    let run = answer.result();
    assert_eq!(run["phase"], "build", "{run}");
    let marks = run["edit"]["marks"].as_array().unwrap();
    assert_eq!(marks.len(), 1, "{run}");
    assert_eq!(marks[0]["line"], 2, "{run}");
    assert_eq!(marks[0]["kind"], "error");
    assert!(
        marks[0]["text"].as_str().unwrap().contains("syntax error"),
        "{run}"
    );
    let output: String = run["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["text"].as_str().unwrap())
        .collect();
    assert!(output.contains("demo/main.go:8:"), "{output}");
    assert!(output.contains("(line 2 in the editor)"), "{output}");
    assert_untouched(&root);
}

#[test]
fn a_real_rust_edit_builds_in_the_shared_target_and_runs() {
    assert!(has("cargo"), "this test needs cargo");
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("edit_real_rust-root");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("listings/examples")).unwrap();
    std::fs::create_dir_all(root.join("listings/src")).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"listings\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("listings/Cargo.toml"),
        "[package]\nname = \"listings\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(root.join("listings/src/lib.rs"), "").unwrap();
    let example = "// ANCHOR: all\nfn main() {\n    println!(\"hello\");\n}\n// ANCHOR_END: all\n";
    std::fs::write(root.join("listings/examples/demo.rs"), example).unwrap();
    std::fs::write(
        root.join("Cargo.lock"),
        "version = 4\n\n[[package]]\nname = \"listings\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    let f = start_in("edit_real_rust", &root);
    let command = BookCommand {
        id: "cargo-run-demo".to_owned(),
        text: "cargo run -p listings --example demo".to_owned(),
        dir: ".".to_owned(),
        program: "cargo".to_owned(),
        args: ["run", "-q", "-p", "listings", "--example", "demo"]
            .map(str::to_owned)
            .to_vec(),
        shown_at: vec![place()],
        outputs: Vec::new(),
    };
    let edit = Editable {
        id: "demo-all".to_owned(),
        command: command.id.clone(),
        package: "listings".to_owned(),
        file: "examples/demo.rs".to_owned(),
        anchor: Some("all".to_owned()),
        first_line: 2,
        shown_at: place(),
    };
    write_manifests(&f, vec![command], vec![edit]);
    let answer = page_edit(
        &f,
        "demo-all",
        "fn main() {\n    println!(\"bonjour\");\n}\n",
    );
    let run = answer.result();
    assert_eq!(run["exit_code"], 0, "{run}");
    let stdout: String = run["output"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["stream"] == "stdout")
        .map(|o| o["text"].as_str().unwrap())
        .collect();
    assert_eq!(stdout, "bonjour\n", "{run}");
    let answer = page_edit(&f, "demo-all", "fn main() {\n    println!(\"{}\", y);\n}\n");
    let run = answer.result();
    assert_eq!(run["phase"], "build", "{run}");
    let marks = run["edit"]["marks"].as_array().unwrap();
    assert!(
        marks
            .iter()
            .any(|m| m["line"] == 2 && m["text"].as_str().unwrap().contains("E0425")),
        "{run}"
    );
    let target = root.join("target/runner-scratch/experiments-target");
    assert!(target.is_dir(), "the shared Cargo target is used");
    assert_eq!(
        std::fs::read_to_string(root.join("listings/examples/demo.rs")).unwrap(),
        example
    );
}
