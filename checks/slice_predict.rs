// Checks for `slice_predict`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/slice_predict.rs`).
//
// The expected output of each puzzle is what its `GoSlice` replay prints
// (`goslice::programs::PUZZLES`); `support/goslice/tests/agrees_with_go.rs`
// checks those replays against the output of the Go program.

use goslice::programs::{PUZZLES, output_of};

const ID: &str = "slice_predict";

use grader::predict::what_is_off;

fn check(n: usize, puzzle: fn() -> &'static str, question: &str) {
    let answer = grader::run(
        ID,
        &format!("`puzzle{n}()`"),
        "It only has to return a string literal.",
        puzzle,
    );
    let expected = output_of(PUZZLES[n - 1]);
    if let Some(off) = what_is_off(answer, &expected) {
        grader::fail(
            ID,
            format!("puzzle {n}: you predicted {answer:?}. {off}\n  {question}"),
        );
    }
}

#[test]
fn puzzle1_a_callee_writes_then_appends() {
    check(
        1,
        exercise::puzzle1,
        "Which callee writes memory the caller can see, and which one only changes its own \
         copy of the header?",
    );
}

#[test]
fn puzzle2_two_appends_with_room_to_spare() {
    check(
        2,
        exercise::puzzle2,
        "With len 3 and cap 10, where does each `append` write its element, and what do `a` \
         and `b` point at?",
    );
}

#[test]
fn puzzle3_append_to_a_middle_reslice() {
    check(
        3,
        exercise::puzzle3,
        "`t := s[1:3]` may grow up to the end of s's array: which slot of `s` does the \
         `append` write?",
    );
}

#[test]
fn puzzle4_full_slice_expression() {
    check(
        4,
        exercise::puzzle4,
        "What capacity does `s[1:3:3]` have, so what must `append` do before it can store 99?",
    );
}

#[test]
fn puzzle5_capacity_after_growth() {
    check(
        5,
        exercise::puzzle5,
        "A literal's cap is its length. Past cap, `append` doubles a small capacity (or takes \
         the new length if that is more), then rounds the bytes up to a size class.",
    );
}
