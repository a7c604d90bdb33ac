//! Chapter 1: `std::process::exit` and an abort (what `panic = "abort"`
//! turns every panic into) end the process without running destructors, so
//! a `Sender` that only a drop would have released is never dropped. Each
//! case runs in a child process: this test binary, re-run with
//! `EXIT_SKIPS_DROPS_CHILD` set to the case.

use std::process::Command;

/// Prints when dropped.
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        println!("guard dropped");
    }
}

const CHILD: &str = "EXIT_SKIPS_DROPS_CHILD";

/// The child's work: hold a guard, then end the way `case` says.
fn child(case: &str) {
    let _guard = Guard;
    println!("guard created");
    match case {
        "return" => {}
        "exit" => std::process::exit(0),
        "abort" => std::process::abort(),
        other => panic!("unknown case {other}"),
    }
}

/// Runs this test in a child process with `case`; returns its stdout and
/// whether it exited with status 0.
fn run_child(case: &str) -> (String, bool) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "ends_the_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, case)
        .output()
        .expect("re-run the test binary");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.success(),
    )
}

#[test]
fn ends_the_process() {
    // In the parent this test does nothing; the child does its case.
    if let Ok(case) = std::env::var(CHILD) {
        child(&case);
    }
}

#[test]
fn a_return_drops_the_guard() {
    let (out, ok) = run_child("return");
    assert!(
        ok && out.contains("guard created") && out.contains("guard dropped"),
        "{out}"
    );
}

#[test]
fn process_exit_skips_the_drop() {
    let (out, ok) = run_child("exit");
    assert!(ok, "exit(0) should end with status 0:\n{out}");
    assert!(
        out.contains("guard created") && !out.contains("guard dropped"),
        "{out}"
    );
}

#[test]
fn abort_skips_the_drop() {
    let (out, ok) = run_child("abort");
    assert!(!ok, "an abort should not end with status 0:\n{out}");
    assert!(
        out.contains("guard created") && !out.contains("guard dropped"),
        "{out}"
    );
}
