//! The runner's promises, over real HTTP: the link and the session, each
//! refusal with its reason code, and that a refused request runs nothing;
//! only manifest commands and exercises, by id; one run per id; the time
//! limit kills everything the run started; the output cap.

#![cfg(unix)] // sh scripts, process groups and /proc

mod common;

use common::*;
use std::path::PathBuf;
use std::time::Duration;

#[test]
fn the_link_token_is_good_for_one_session_and_is_not_a_session() {
    let f = start_fresh("link", Options::default());
    let h = host(f.port);
    let link = format!("Bearer {}", f.link);
    let headers = [
        ("Host", h.as_str()),
        ("Origin", BOOK),
        ("Authorization", &link),
    ];
    // The link token opens nothing but the exchange.
    let early = request(f.port, "POST", "/api/run/hello", &headers);
    assert_eq!(
        (early.status, early.reason()),
        (403, "unknown_session".into())
    );
    let first = request(f.port, "POST", "/api/session", &headers);
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.has_cors(), "{}", first.headers);
    let session = first.json()["session"].as_str().unwrap().to_owned();
    assert_eq!(session.len(), 48);
    assert!(session.chars().all(|c| c.is_ascii_hexdigit()));
    assert_ne!(session, f.link);
    // Spent: a link found later in the browser's history opens nothing.
    let again = request(f.port, "POST", "/api/session", &headers);
    assert_eq!((again.status, again.reason()), (403, "link_used".into()));
    assert!(
        again.json()["error"]
            .as_str()
            .unwrap()
            .contains("already used")
    );
    let late = request(f.port, "POST", "/api/run/hello", &headers);
    assert_eq!(
        (late.status, late.reason()),
        (403, "unknown_session".into())
    );
    assert_nothing_ran(&f);
    // The session opens the rest.
    let bearer = format!("Bearer {session}");
    let hello = request(
        f.port,
        "GET",
        "/api/hello",
        &[("Host", &h), ("Origin", BOOK), ("Authorization", &bearer)],
    );
    assert_eq!(hello.status, 200, "{}", hello.body);
    assert_eq!(hello.json()["book_port"], 3000);
}

#[test]
fn refuses_without_the_session_the_origin_or_the_host_and_runs_nothing() {
    let f = start("refusals", Options::default());
    let h = host(f.port);
    let session = format!("Bearer {}", f.session);
    let wrong = format!("Bearer {}", "f".repeat(48));
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "no token",
            vec![("Host", &h), ("Origin", BOOK)],
            401,
            "no_token",
        ),
        (
            "not a bearer token",
            vec![
                ("Host", &h),
                ("Origin", BOOK),
                ("Authorization", "Basic eDp5"),
            ],
            401,
            "no_token",
        ),
        (
            "wrong session",
            vec![("Host", &h), ("Origin", BOOK), ("Authorization", &wrong)],
            403,
            "unknown_session",
        ),
        (
            "the book at localhost (an impostor can sit on ::1)",
            vec![
                ("Host", &h),
                ("Origin", "http://localhost:3000"),
                ("Authorization", &session),
            ],
            403,
            "bad_origin",
        ),
        (
            "foreign Origin",
            vec![
                ("Host", &h),
                ("Origin", "http://127.0.0.1:3000.evil.example"),
                ("Authorization", &session),
            ],
            403,
            "bad_origin",
        ),
        (
            "no Origin",
            vec![("Host", &h), ("Authorization", &session)],
            403,
            "bad_origin",
        ),
        (
            "foreign Host (DNS rebinding)",
            vec![
                ("Host", "evil.example:3001"),
                ("Origin", BOOK),
                ("Authorization", &session),
            ],
            403,
            "bad_host",
        ),
    ];
    for (what, headers, status, reason) in cases {
        for (method, path) in [
            ("POST", "/api/run/hello"),
            ("POST", "/api/check/leak_coordinator"),
        ] {
            let answer = request(f.port, method, path, &headers);
            assert_eq!(answer.status, status, "{what} {path}: {}", answer.body);
            assert_eq!(answer.reason(), reason, "{what} {path}");
            assert!(
                answer.json()["error"].is_string(),
                "{what}: {}",
                answer.body
            );
            assert!(
                !answer.body.contains(&LINK[..8]) && !answer.body.contains(&f.session[..8]),
                "{what}: the answer gives a secret away"
            );
            let book_origin = headers.iter().any(|(n, v)| *n == "Origin" && *v == BOOK);
            assert_eq!(
                answer.has_cors(),
                book_origin,
                "{what}: CORS on refusals to the book, never to another origin: {}",
                answer.headers
            );
        }
    }
    assert_nothing_ran(&f);
    assert!(!f.dir.join("graded").exists(), "a refused request graded");
}

#[test]
fn the_preflight_needs_the_book_origin_and_host_but_no_token() {
    let f = start("preflight", Options::default());
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
            .contains("access-control-allow-methods: get, post\r\n")
    );
    assert!(
        ok.headers
            .contains("access-control-allow-headers: authorization\r\n")
    );
    assert!(ok.has_cors());
    assert!(ok.headers.contains("connection: close\r\n"));
    for (origin, host, reason) in [
        ("http://evil.example", h.as_str(), "bad_origin"),
        ("http://localhost:3000", h.as_str(), "bad_origin"),
        (BOOK, "evil.example:3001", "bad_host"),
    ] {
        let refused = request(
            f.port,
            "OPTIONS",
            "/api/run/hello",
            &[("Host", host), ("Origin", origin)],
        );
        assert_eq!((refused.status, refused.reason()), (403, reason.to_owned()));
        assert_eq!(refused.has_cors(), origin == BOOK);
        assert!(!refused.headers.contains("access-control-allow-origin: *"));
    }
}

#[test]
fn refuses_ids_that_are_not_in_the_manifests_and_wrong_methods() {
    let f = start("unknown", Options::default());
    for (method, path, status, reason) in [
        ("POST", "/api/run/no_such_command", 404, "not_found"),
        ("POST", "/api/run/..%2F..%2Fbin%2Fsh", 404, "not_found"),
        ("POST", "/api/run/hello/extra", 404, "not_found"),
        ("POST", "/api/check/no_such_exercise", 404, "not_found"),
        ("POST", "/api/check/", 404, "not_found"),
        ("GET", "/api/file/no_such_exercise", 404, "not_found"),
        ("GET", "/api/file/..%2F..%2FCargo.toml", 404, "not_found"),
        ("POST", "/api/nothing", 404, "not_found"),
        ("GET", "/api/run/hello", 405, "method"),
        ("POST", "/api/hello", 405, "method"),
        ("DELETE", "/api/hello", 405, "method"),
        ("GET", "/api/session", 405, "method"),
    ] {
        let answer = book_request(&f, method, path);
        assert_eq!(answer.status, status, "{method} {path}: {}", answer.body);
        assert_eq!(answer.reason(), reason, "{method} {path}");
        assert!(answer.has_cors(), "{method} {path}");
    }
    assert_nothing_ran(&f);
}

#[test]
fn hello_and_file_tell_the_page_what_there_is() {
    let f = start("hello", Options::default());
    let hello = book_request(&f, "GET", "/api/hello");
    assert_eq!(hello.status, 200);
    let hello = hello.json();
    assert_eq!(hello["runner"], "who-closes-the-channel");
    assert_eq!(hello["commands"], 9);
    assert_eq!(hello["book_port"], 3000);
    assert!(
        hello["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .any(|id| id == "leak_coordinator")
    );
    let file = book_request(&f, "GET", "/api/file/leak_coordinator");
    assert_eq!(file.status, 200, "{}", file.body);
    let file = file.json();
    assert_eq!(file["id"], "leak_coordinator");
    assert_eq!(file["path"], "exercises/src/leak_coordinator.rs");
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let on_disk = std::fs::read_to_string(root.join("exercises/src/leak_coordinator.rs")).unwrap();
    assert_eq!(file["text"], on_disk);
}

#[test]
fn file_sends_a_plain_exercise_file_only() {
    // A root of the test's own: the manifest, and exercise files that are
    // a link to a secret elsewhere, too large, and plain.
    let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("file_root");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("exercises/src")).unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    std::fs::copy(
        repo.join("exercises/exercises.toml"),
        root.join("exercises/exercises.toml"),
    )
    .unwrap();
    let secret = root.join("secret.txt");
    std::fs::write(&secret, "the learner's private key").unwrap();
    std::os::unix::fs::symlink(&secret, root.join("exercises/src/leak_coordinator.rs")).unwrap();
    std::fs::write(
        root.join("exercises/src/leak_runner.rs"),
        "x".repeat(2 << 20),
    )
    .unwrap();
    std::fs::write(
        root.join("exercises/src/leak_pipeline.rs"),
        "fn main() {}\n",
    )
    .unwrap();
    let f = start(
        "file",
        Options {
            root: Some(root),
            ..Options::default()
        },
    );
    for id in ["leak_coordinator", "leak_runner", "close_errgroup"] {
        let answer = book_request(&f, "GET", &format!("/api/file/{id}"));
        assert_eq!(
            (answer.status, answer.reason()),
            (404, "not_found".into()),
            "{id}"
        );
        assert!(
            !answer.body.contains("private key"),
            "{id}: {}",
            answer.body
        );
    }
    let plain = book_request(&f, "GET", "/api/file/leak_pipeline");
    assert_eq!(plain.status, 200, "{}", plain.body);
    assert_eq!(plain.json()["text"], "fn main() {}\n");
}

#[test]
fn runs_a_manifest_command_for_the_book_as_a_stream() {
    let f = start("runs", Options::default());
    let answer = book_request(&f, "POST", "/api/run/hello");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.has_cors(), "{}", answer.headers);
    assert!(
        answer
            .headers
            .contains("content-type: application/x-ndjson\r\n"),
        "{}",
        answer.headers
    );
    assert_eq!(answer.phases(), ["running"]);
    let run = answer.result();
    assert_eq!(run["id"], "hello");
    assert_eq!(run["exit_code"], 0);
    assert!(
        run.get("phase").is_none(),
        "a success names no failed step: {run}"
    );
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

    let failed = book_request(&f, "POST", "/api/run/fails").result();
    assert_eq!(failed["exit_code"], 3);
    assert_eq!(failed["phase"], "run");
}

#[test]
fn a_run_past_its_time_limit_loses_its_whole_process_group_and_a_second_run_waits() {
    let f = start(
        "timeout",
        Options {
            time_limit: Duration::from_secs(2),
            ..Options::default()
        },
    );
    let (port, session) = (f.port, f.session.clone());
    let first = std::thread::spawn(move || {
        let h = host(port);
        let bearer = format!("Bearer {session}");
        request(
            port,
            "POST",
            "/api/run/forever",
            &[("Host", &h), ("Origin", BOOK), ("Authorization", &bearer)],
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
    assert_eq!(
        (second.status, second.reason()),
        (409, "already_running".into())
    );
    assert!(second.has_cors());

    let first = first.join().unwrap();
    assert_eq!(first.status, 200, "{}", first.body);
    let run = first.result();
    assert_eq!(run["timed_out"], true);
    assert_eq!(run["signal"], 9, "{run}");
    assert_eq!(run["phase"], "run");
    assert!(
        run["notes"][0]
            .as_str()
            .unwrap()
            .contains("stopped after 2 s"),
        "{run}"
    );
    wait_for("the grandchild to be gone", || is_gone(&pid).then_some(()));

    // Once the first run is over, the command can run again.
    let again = book_request(&f, "POST", "/api/run/hello");
    assert_eq!(again.status, 200);
}

#[test]
fn output_past_the_cap_is_truncated_with_a_note() {
    let f = start("cap", Options::default());
    let run = book_request(&f, "POST", "/api/run/chatty").result();
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
