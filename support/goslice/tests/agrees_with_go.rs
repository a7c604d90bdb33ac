//! `GoSlice` against the real Go runtime.
//!
//! 1. Every chapter-4 Go program (`go/slices/cmd/<name>`), replayed with
//!    `GoSlice` in `goslice::programs`, prints exactly the program's checked
//!    output `go/slices/testdata/<name>.out`. Those files are produced and
//!    checked by `go test` in `go/`; this test only reads them, so it runs
//!    without Go installed. The puzzles of exercise `slice_predict` are one of
//!    these programs, `go/slices/cmd/predict`.
//! 2. The growth model reproduces the capacities Go 1.23 picks for `int`,
//!    `int32`, `byte` and `string` up to 100 000 elements, and for
//!    `slices.Clone` and multi-element appends (`testdata/growth_types.out`).
//!
//! Where Go 1.23 is installed, the test also reruns the Go program in
//! `testdata/` (`growth_types.go`) to prove its committed output current.

use goslice::GoSlice;
use goslice::programs::{PROGRAMS, output_of};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The checked output of Go program `go/slices/cmd/<name>`:
/// `go/slices/testdata/<name>.out`.
fn go_output(name: &str) -> Result<(PathBuf, String), String> {
    let path = repo_root().join(format!("go/slices/testdata/{name}.out"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok((path, text)),
        Err(e) => Err(format!(
            "{name}: {} is missing ({e}; written by `go test ./slices/... -update` in go/)",
            path.display()
        )),
    }
}

#[test]
fn every_replay_prints_what_the_go_program_prints() {
    let mut problems = Vec::new();
    for (name, program) in PROGRAMS {
        let (path, expected) = match go_output(name) {
            Ok(found) => found,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let got = output_of(*program);
        if got != expected {
            problems.push(format!(
                "{name}: the GoSlice replay prints\n{got}but {} says\n{expected}",
                path.display()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

const GROWTH_TYPES: &str = include_str!("../testdata/growth_types.out");

/// Appends zero values one at a time, as `growth_types.go` does, and returns
/// the line it prints for this element type.
fn growth_line<T: goslice::GoType>(name: &str, n: usize) -> String {
    let mut s = GoSlice::<T>::nil();
    let mut caps = Vec::new();
    for _ in 0..n {
        s = s.append([T::default()]);
        if caps.last() != Some(&s.cap()) {
            caps.push(s.cap());
        }
    }
    line(name, caps)
}

fn line(name: &str, values: impl IntoIterator<Item = usize>) -> String {
    let mut text = format!("{name}:");
    for v in values {
        text.push_str(&format!(" {v}"));
    }
    text
}

#[test]
fn growth_matches_go_1_23_for_several_element_types() {
    let model = [
        growth_line::<i64>("int", 100_000),
        growth_line::<i32>("int32", 100_000),
        growth_line::<u8>("byte", 100_000),
        growth_line::<&str>("string", 100_000),
        line(
            "clone",
            (0..=20).map(|n| goslice::clone(&GoSlice::<i64>::make(n, n)).cap()),
        ),
        line(
            "append5",
            (0..=20).map(|n| GoSlice::<i64>::make(n, n).append([1, 2, 3, 4, 5]).cap()),
        ),
    ];
    let measured: Vec<&str> = GROWTH_TYPES.lines().collect();
    assert_eq!(
        measured.len(),
        model.len(),
        "growth_types.out has one line per measurement"
    );
    for (model, measured) in model.iter().zip(measured) {
        assert_eq!(model, measured, "the model differs from Go 1.23");
    }
}

#[test]
fn testdata_outputs_are_what_go_prints_today() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let version = Command::new("go")
        .args(["env", "GOVERSION"])
        .env("GOTOOLCHAIN", "local")
        .output();
    let Ok(version) = version else {
        eprintln!("skipped: go not found (testdata/*.out were not re-measured)");
        return;
    };
    let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
    if !version.starts_with("go1.23") {
        eprintln!("skipped: the model is Go 1.23's and this is {version}");
        return;
    }
    let program = "growth_types";
    let run = Command::new("go")
        .args(["run", &format!("{program}.go")])
        .current_dir(&dir)
        .env("GOTOOLCHAIN", "local")
        .output()
        .expect("go ran a moment ago");
    assert!(
        run.status.success(),
        "go run {program}.go failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let committed = std::fs::read_to_string(dir.join(format!("{program}.out"))).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        committed,
        "testdata/{program}.out is stale: rerun `go run {program}.go > {program}.out`"
    );
}
