//! The runner's promises, over real HTTP: each refusal, and that a refused
//! request runs nothing. The commands here are `sh` scripts in a manifest
//! written by the test (the runner runs whatever the book's manifest says; the
//! manifest's shapes are mdbook-runnable's job), and the grader is a fake that
//! prints the JSON `cargo xtask check ID --json` prints.

#![cfg(unix)] // sh scripts, process groups and /proc

use mdbook_runnable::commands::{BookCommand, CommandManifest, Place};
use runner::exec::Limits;
use runner::{Config, Runner};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

const TOKEN: &str = "0123456789abcdef0123456789abcdef0123456789abcdef";
const BOOK: &str = "http://localhost:3000";

struct Fixture {
    port: u16,
    dir: PathBuf,
}

fn sh(id: &str, script: &str) -> BookCommand {
    BookCommand {
        id: id.to_owned(),
        text: format!("sh -c '{script}'"),
        dir: ".".to_owned(),
        program: "sh".to_owned(),
        args: vec!["-c".to_owned(), script.to_owned()],
        shown_at: vec![Place {
            file: "src/test.md".to_owned(),
            line: 1,
        }],
        outputs: Vec::new(),
    }
}

/// A runner on a free port with its own folder for marker files.
fn start(name: &str, time_limit: Duration) -> Fixture {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.display();
    let manifest = CommandManifest {
        commands: vec![
            sh(
                "hello",
                &format!("echo hello; echo warning >&2; touch {d}/ran"),
            ),
            sh("fails", "echo oops >&2; exit 3"),
            // Starts a grandchild that would outlive its parent, records its
            // pid, then waits on it: only killing the group ends both.
            sh(
                "forever",
                &format!("sleep 1000 & echo $! > {d}/grandchild; wait"),
            ),
            sh("chatty", "head -c 5000 /dev/zero | tr '\\0' x"),
        ],
        exercises: Vec::new(),
    };
    let commands = dir.join("commands.json");
    std::fs::write(&commands, serde_json::to_string(&manifest).unwrap()).unwrap();
    let grader = dir.join("grader.sh");
    std::fs::write(
        &grader,
        "printf '{\"id\":\"%s\",\"status\":\"failed\",\"passed\":1,\"total\":2,\"checks\":[\
         {\"name\":\"a\",\"ok\":true,\"message\":null},{\"name\":\"b\",\"ok\":false,\"message\":\"who drops tx?\"}],\
         \"broken\":null}\\n' \"$1\"; exit 1\n",
    )
    .unwrap();
    let progress = dir.join("progress.sh");
    std::fs::write(&progress, "echo '{\"current\":null,\"exercises\":[]}'\n").unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let runner = Runner::bind(Config {
        root: root.to_path_buf(),
        commands,
        port: 0,
        book_port: 3000,
        check: vec!["sh".into(), grader.display().to_string(), "{id}".into()],
        progress: vec!["sh".into(), progress.display().to_string()],
        limits: Limits {
            time: time_limit,
            output: 1000,
        },
        grade_limits: Limits {
            time: Duration::from_secs(30),
            output: 1000,
        },
        token: TOKEN.to_owned(),
    })
    .unwrap();
    let port = runner.port();
    std::thread::spawn(move || runner.serve());
    Fixture { port, dir }
}

struct Answer {
    status: u16,
    headers: String,
    body: String,
}

impl Answer {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One request with exactly these headers (a client library would fix Host).
fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A runner that never answers (a run whose group was not killed keeps
    // its pipes open) fails the test instead of hanging it.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut text =
        format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).unwrap();
    let mut raw = String::new();
    stream
        .read_to_string(&mut raw)
        .unwrap_or_else(|e| panic!("{method} {path}: no answer within 60 s: {e}"));
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap();
    Answer {
        status,
        headers: head.to_ascii_lowercase(),
        body: body.to_owned(),
    }
}

fn host(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

const BEARER: &str = "Bearer 0123456789abcdef0123456789abcdef0123456789abcdef";

fn book_request(f: &Fixture, method: &str, path: &str) -> Answer {
    let host = host(f.port);
    request(
        f.port,
        method,
        path,
        &[("Host", &host), ("Origin", BOOK), ("Authorization", BEARER)],
    )
}

#[test]
fn runs_a_manifest_command_for_the_book() {
    let f = start("runs", Duration::from_secs(30));
    let answer = book_request(&f, "POST", "/api/run/hello");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        answer
            .headers
            .contains("access-control-allow-origin: http://localhost:3000"),
        "{}",
        answer.headers
    );
    let run = answer.json();
    assert_eq!(run["exit_code"], 0);
    let output = run["output"].as_array().unwrap();
    assert!(
        output
            .iter()
            .any(|c| c["stream"] == "stdout" && c["text"] == "hello\n")
    );
    assert!(
        output
            .iter()
            .any(|c| c["stream"] == "stderr" && c["text"] == "warning\n")
    );
    assert!(f.dir.join("ran").exists());

    let failed = book_request(&f, "POST", "/api/run/fails").json();
    assert_eq!(failed["exit_code"], 3);
}

#[test]
fn refuses_without_the_token_the_origin_or_the_host_and_runs_nothing() {
    let f = start("refusals", Duration::from_secs(30));
    let h = host(f.port);
    let wrong = format!("Bearer {}", "f".repeat(48));
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16);
    let cases: [Case; 5] = [
        ("no token", vec![("Host", &h), ("Origin", BOOK)], 401),
        (
            "wrong token",
            vec![("Host", &h), ("Origin", BOOK), ("Authorization", &wrong)],
            403,
        ),
        (
            "foreign Origin",
            vec![
                ("Host", &h),
                ("Origin", "http://localhost:3000.evil.example"),
                ("Authorization", BEARER),
            ],
            403,
        ),
        (
            "no Origin",
            vec![("Host", &h), ("Authorization", BEARER)],
            403,
        ),
        (
            "foreign Host (DNS rebinding)",
            vec![
                ("Host", "evil.example:3001"),
                ("Origin", BOOK),
                ("Authorization", BEARER),
            ],
            403,
        ),
    ];
    for (what, headers, status) in cases {
        let answer = request(f.port, "POST", "/api/run/hello", &headers);
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        assert!(
            !answer.body.contains(&TOKEN[..8]),
            "{what}: the answer gives the token away"
        );
        if what.contains("Origin") {
            assert!(
                !answer.headers.contains("access-control-allow-origin"),
                "{what}: {}",
                answer.headers
            );
        }
        let check = request(f.port, "POST", "/api/check/leak_coordinator", &headers);
        assert_eq!(check.status, status, "{what} (check): {}", check.body);
    }
    assert!(
        !f.dir.join("ran").exists(),
        "a refused request ran the command"
    );
}

#[test]
fn the_preflight_needs_the_book_origin_and_host_but_no_token() {
    let f = start("preflight", Duration::from_secs(30));
    let h = host(f.port);
    let ok = request(
        f.port,
        "OPTIONS",
        "/api/run/hello",
        &[("Host", &h), ("Origin", BOOK)],
    );
    assert_eq!(ok.status, 204);
    assert!(
        ok.headers
            .contains("access-control-allow-headers: authorization")
    );
    assert!(!ok.headers.contains("access-control-allow-origin: *"));
    let foreign = request(
        f.port,
        "OPTIONS",
        "/api/run/hello",
        &[("Host", &h), ("Origin", "http://evil.example")],
    );
    assert_eq!(foreign.status, 403);
    assert!(!foreign.headers.contains("access-control-allow-origin"));
}

#[test]
fn refuses_ids_that_are_not_in_the_manifests() {
    let f = start("unknown", Duration::from_secs(30));
    for path in [
        "/api/run/no_such_command",
        "/api/run/..%2F..%2Fbin%2Fsh",
        "/api/check/no_such_exercise",
        "/api/check/",
        "/api/nothing",
    ] {
        let answer = book_request(&f, "POST", path);
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
    }
}

#[test]
fn a_run_past_its_time_limit_loses_its_whole_process_group_and_a_second_run_waits() {
    let f = start("timeout", Duration::from_secs(2));
    let port = f.port;
    let first = std::thread::spawn(move || {
        let h = host(port);
        request(
            port,
            "POST",
            "/api/run/forever",
            &[("Host", &h), ("Origin", BOOK), ("Authorization", BEARER)],
        )
    });
    // The grandchild's pid file says the first run has started.
    let pid_file = f.dir.join("grandchild");
    let pid = wait_for("the first run to start its grandchild", || {
        std::fs::read_to_string(&pid_file)
            .ok()
            .filter(|s| s.ends_with('\n'))
    });
    let second = book_request(&f, "POST", "/api/run/forever");
    assert_eq!(second.status, 409, "{}", second.body);

    let first = first.join().unwrap();
    assert_eq!(first.status, 200, "{}", first.body);
    let run = first.json();
    assert_eq!(run["timed_out"], true);
    assert_eq!(run["signal"], 9, "{run}");
    let proc = PathBuf::from(format!("/proc/{}", pid.trim()));
    // Gone, or a zombie waiting for whoever adopted it to reap it; wait_for
    // fails the test if it is still running after 20 s.
    wait_for("the grandchild to be gone", || {
        let state = std::fs::read_to_string(proc.join("stat")).ok();
        (state.is_none() || state.is_some_and(|s| s.contains(") Z "))).then_some(())
    });

    // Once the first run is over, the command can run again.
    let again = book_request(&f, "POST", "/api/run/hello");
    assert_eq!(again.status, 200);
}

#[test]
fn output_past_the_cap_is_truncated_with_a_note() {
    let f = start("cap", Duration::from_secs(30));
    let run = book_request(&f, "POST", "/api/run/chatty").json();
    assert_eq!(run["truncated"], true);
    let text: String = run["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["text"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(text.len(), 1000);
    assert!(
        run["notes"][0].as_str().unwrap().contains("truncated"),
        "{run}"
    );
}

#[test]
fn check_and_progress_pass_the_graders_json_on() {
    let f = start("check", Duration::from_secs(30));
    let verdict = book_request(&f, "POST", "/api/check/leak_coordinator");
    assert_eq!(verdict.status, 200, "{}", verdict.body);
    let verdict = verdict.json();
    assert_eq!(verdict["id"], "leak_coordinator");
    assert_eq!(verdict["status"], "failed");
    assert_eq!(verdict["checks"][1]["message"], "who drops tx?");
    let progress = book_request(&f, "GET", "/api/progress").json();
    assert!(progress["exercises"].is_array());
    let hello = book_request(&f, "GET", "/api/hello").json();
    assert_eq!(hello["commands"], 4);
    assert!(
        hello["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == "leak_coordinator")
    );
}

/// Polls `probe` (every 20 ms, at most 20 s): for things another process
/// does, which the test cannot be told about.
fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..1000 {
        if let Some(value) = probe() {
            return value;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("gave up after 20 s waiting for {what}");
}
