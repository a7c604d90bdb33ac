//! A panic in a task started by `rayon::spawn` on a pool without a
//! `panic_handler` aborts the whole process (rayon-core's documentation of
//! `ThreadPoolBuilder::panic_handler`: "If no panic handler is set, the
//! default is to abort the process"). An abort cannot be caught, so the test
//! runs itself again as a child process that does exactly that, and looks at
//! how the child ended. `listings/src/rayon.rs`'s `panics` program shows the
//! other cases in-process: `join`, `scope`, a parallel iterator and a pool
//! with a handler.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

const CHILD: &str = "LISTINGS_RAYON_SPAWN_ABORT_CHILD";

// ANCHOR: spawn_abort
/// The child: one spawned task that panics, on the global pool, which has no
/// `panic_handler`. `spawn` returns at once; `main` goes on waiting.
fn spawn_a_task_that_panics() {
    rayon::spawn(|| panic!("spawn: a background task failed"));
    std::thread::sleep(Duration::from_secs(30)); // the abort comes first
    println!("still running after 30 s: nothing aborted");
}
// ANCHOR_END: spawn_abort

#[test]
fn a_panic_in_a_spawned_task_without_a_handler_aborts_the_process() {
    if std::env::var_os(CHILD).is_some() {
        spawn_a_task_that_panics();
        return;
    }
    let child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_panic_in_a_spawned_task_without_a_handler_aborts_the_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run the test binary again as the child");
    let stderr = String::from_utf8_lossy(&child.stderr);
    let stdout = String::from_utf8_lossy(&child.stdout);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        child.status.signal(),
        Some(6),
        "the child should die of SIGABRT (6); it ended with {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        child.status
    );
    assert!(
        stderr.contains("Rayon: detected unexpected panic; aborting"),
        "rayon says why it aborts; stderr:\n{stderr}"
    );
    // The transcript the book shows: the panic message and rayon's line, then
    // how the process ended (thread ids and source positions left out).
    let mut transcript: Vec<String> = stderr
        .lines()
        .filter(|line| line.starts_with("spawn: ") || line.starts_with("Rayon: "))
        .map(str::to_string)
        .collect();
    transcript.push("the process was killed by signal 6 (SIGABRT)".to_string());
    let got = transcript.join("\n") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("output/rayon_spawn_abort.out");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        got,
        want,
        "{} is out of date (UPDATE_GOLDEN=1 rewrites it)",
        path.display()
    );
}
