//! Run, Check and progress as NDJSON streams: build then run with limits of
//! their own and the phases in between, and one grader at a time.

#![cfg(unix)]

mod common;

use common::*;
use std::time::Duration;

#[test]
fn a_rust_listing_is_built_then_run_and_only_the_program_counts_against_its_limit() {
    let f = start(
        "rust_listing",
        Options {
            time_limit: Duration::from_secs(2),
            ..Options::default()
        },
    );
    // The build takes longer than the program's limit.
    std::fs::write(f.dir.join("build-sleep"), "3").unwrap();
    let answer = book_request(&f, "POST", "/api/run/listing");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.phases(),
        ["building", "waiting", "building", "running"],
        "{}",
        answer.body
    );
    let built = std::fs::read_to_string(f.dir.join("built")).unwrap();
    assert_eq!(built.trim(), "build --release -p listings --example demo");
    let run = answer.result();
    assert_eq!(run["timed_out"], false, "{run}");
    assert_eq!(run["exit_code"], 0);
    let stdout = &run["output"][0]["text"];
    assert_eq!(
        stdout, "ran with run --release -p listings --example demo -- 7\n",
        "{run}"
    );
}

#[test]
fn a_build_that_fails_or_overruns_its_own_limit_says_it_was_the_build() {
    let f = start(
        "rust_build_fails",
        Options {
            build_time: Duration::from_secs(3),
            ..Options::default()
        },
    );
    std::fs::write(f.dir.join("break-build"), "").unwrap();
    let run = book_request(&f, "POST", "/api/run/listing").result();
    assert_eq!(run["phase"], "build", "{run}");
    assert_eq!(run["exit_code"], 101);
    assert!(run["output"].to_string().contains("error[E0425]"), "{run}");

    std::fs::remove_file(f.dir.join("break-build")).unwrap();
    std::fs::write(f.dir.join("build-sleep"), "30").unwrap();
    let answer = book_request(&f, "POST", "/api/run/listing");
    let run = answer.result();
    assert_eq!(run["phase"], "build", "{run}");
    assert_eq!(run["timed_out"], true, "{run}");
    assert!(
        run["notes"][0]
            .as_str()
            .unwrap()
            .contains("--build-time-limit"),
        "{run}"
    );
    assert!(!answer.phases().contains(&"running".to_owned()));
}

#[test]
fn a_go_program_is_built_into_the_scratch_folder_then_run_with_its_args_and_environment() {
    let f = start("go_listing", Options::default());
    let answer = book_request(&f, "POST", "/api/run/goprog");
    assert_eq!(answer.phases(), ["building", "running"], "{}", answer.body);
    let run = answer.result();
    assert_eq!(run["exit_code"], 0, "{run}");
    assert_eq!(
        run["output"][0]["text"], "go program: -n 3\nGOPROXY=off\n",
        "{run}"
    );
}

#[test]
fn check_and_progress_stream_phases_then_the_graders_json() {
    let f = start("check", Options::default());
    let answer = book_request(&f, "POST", "/api/check/leak_coordinator");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(answer.has_cors());
    let phases = answer.phases();
    assert_eq!(phases.first().map(String::as_str), Some("building"));
    assert_eq!(
        phases.last().map(String::as_str),
        Some("grading"),
        "{}",
        answer.body
    );
    let verdict = answer.result();
    assert_eq!(verdict["id"], "leak_coordinator");
    assert_eq!(verdict["status"], "failed");
    assert_eq!(verdict["checks"][1]["message"], "who drops tx?");
    let progress = book_request(&f, "GET", "/api/progress");
    assert_eq!(progress.result()["id"], "progress");
}

#[test]
fn a_grader_that_never_finishes_ends_in_an_error_event_with_its_output() {
    let f = start(
        "check_hangs",
        Options {
            build_time: Duration::from_secs(3),
            ..Options::default()
        },
    );
    std::fs::write(f.dir.join("hang-grader"), "").unwrap();
    std::fs::write(f.dir.join("grade-sleep"), "0").unwrap();
    let answer = book_request(&f, "POST", "/api/check/leak_coordinator");
    let events = answer.events();
    let last = events.last().unwrap();
    assert_eq!(last["event"], "error", "{}", answer.body);
    assert!(
        last["error"].as_str().unwrap().contains("time limit"),
        "{last}"
    );
    assert!(
        last["output"]
            .as_str()
            .unwrap()
            .contains("building leak_coordinator"),
        "{last}"
    );
}

#[test]
fn one_grader_at_a_time_and_a_second_check_of_the_same_id_is_refused() {
    let f = start("serial", Options::default());
    std::fs::write(f.dir.join("grade-sleep"), "1").unwrap();
    let spawn = |path: &'static str, method: &'static str| {
        let (port, session) = (f.port, f.session.clone());
        std::thread::spawn(move || {
            let bearer = format!("Bearer {session}");
            request(
                port,
                method,
                path,
                &[
                    ("Host", &host(port)),
                    ("Origin", BOOK),
                    ("Authorization", &bearer),
                ],
            )
        })
    };
    let first = spawn("/api/check/leak_coordinator", "POST");
    let graded = f.dir.join("graded");
    wait_for("the first check to start", || graded.exists().then_some(()));
    let others = [
        spawn("/api/check/close_pipeline", "POST"),
        spawn("/api/progress", "GET"),
    ];
    let same = book_request(&f, "POST", "/api/check/leak_coordinator");
    assert_eq!(
        (same.status, same.reason()),
        (409, "already_running".into())
    );
    let mut waited = 0;
    for handle in std::iter::once(first).chain(others) {
        let answer = handle.join().unwrap();
        assert_eq!(answer.result()["status"], "failed", "{}", answer.body);
        waited += usize::from(answer.phases().first().is_some_and(|p| p == "waiting"));
    }
    assert_eq!(waited, 2, "the two that queued said they were waiting");
    // Start and end of each grading alternate: none overlapped another.
    let log = std::fs::read_to_string(&graded).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 6, "{log}");
    for pair in lines.chunks(2) {
        let (start, end) = (pair[0].strip_prefix("start "), pair[1].strip_prefix("end "));
        assert!(
            start.is_some() && start == end,
            "two gradings overlapped:\n{log}"
        );
    }
}
