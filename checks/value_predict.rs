// Checks for `value_predict`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/value_predict.rs`).
//
// The expected output of each puzzle is what the real Go program printed:
// `go/value/cmd/predict`, whose output `go test` compares with the file read
// here, `go/value/testdata/predict.out` (sections `-- puzzle N`).

const ID: &str = "value_predict";

// Relative to this file, not to a crate: the checks are compiled into
// `exercises`, `solutions`, `fixtures` and the crates `cargo xtask check`
// generates under target/grade/, which all live elsewhere.
const GO_OUTPUT: &str = include_str!("../go/value/testdata/predict.out");

/// What the Go program printed for puzzle `n`.
fn go_output_of(n: usize) -> &'static str {
    let header = format!("-- puzzle {n}\n");
    let start = GO_OUTPUT
        .find(&header)
        .unwrap_or_else(|| panic!("go/value/testdata/predict.out has no `{}`", header.trim()))
        + header.len();
    let rest = &GO_OUTPUT[start..];
    let output = &rest[..rest.find("-- puzzle ").unwrap_or(rest.len())];
    // A truncated golden file must fail loudly, not grade against nothing.
    assert!(
        !output.trim().is_empty(),
        "go/value/testdata/predict.out has no output for puzzle {n}: run `go test ./value/...` in go/"
    );
    output
}

use grader::predict::what_is_off;

fn check(n: usize, puzzle: fn() -> &'static str, question: &str) {
    let answer = grader::run(
        ID,
        &format!("`puzzle{n}()`"),
        "It only has to return a string literal.",
        puzzle,
    );
    if let Some(off) = what_is_off(answer, go_output_of(n)) {
        grader::fail(
            ID,
            format!("puzzle {n}: you predicted {answer:?}. {off}\n  {question}"),
        );
    }
}

#[test]
fn puzzle1_a_struct_with_a_vec_field_assigned() {
    check(
        1,
        exercise::puzzle1,
        "`b := a` copies every field. What is a copy of `Name`, and what is a copy of \
         `Scores`: the numbers, or a header that points at them?",
    );
}

#[test]
fn puzzle2_value_and_pointer_receivers() {
    check(
        2,
        exercise::puzzle2,
        "Which of the three calls gets the caller's `bx`, and which get a copy of it?",
    );
}

#[test]
fn puzzle3_range_over_an_array() {
    check(
        3,
        exercise::puzzle3,
        "`range` evaluates its expression once, before the loop. What is the value of an \
         array expression, and what does `v` read from?",
    );
}

#[test]
fn puzzle4_map_of_structs_and_map_of_pointers() {
    check(
        4,
        exercise::puzzle4,
        "What does `byName[\"p\"]` give you, and what does `ptrs[\"p\"]` give you?",
    );
}

#[test]
fn puzzle5_array_and_vec_arguments() {
    check(
        5,
        exercise::puzzle5,
        "An argument is a copy. How much of an array is copied, and how much of a slice?",
    );
}
