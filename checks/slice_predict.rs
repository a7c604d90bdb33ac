// Checks for `slice_predict`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/slice_predict.rs`).
//
// The expected output of each puzzle is what its `GoSlice` replay prints
// (`goslice::programs::PUZZLES`); `support/goslice/tests/agrees_with_go.rs`
// checks those replays against the output of the Go program.

use goslice::programs::{PUZZLES, output_of};

const ID: &str = "slice_predict";

/// The values `fmt.Println` printed on one line: split at spaces outside
/// brackets, so `[1 2 3] 3 3` is three values.
fn values(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in line.trim().chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
        if c.is_whitespace() {
            if depth <= 0 {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            } else if !current.ends_with(' ') {
                current.push(' ');
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn lines(text: &str) -> Vec<Vec<String>> {
    text.lines().map(values).filter(|l| !l.is_empty()).collect()
}

fn ordinal(n: usize) -> String {
    let suffix = match n {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Says what is off in `answer` without giving the expected output away.
fn what_is_off(answer: &str, expected: &str) -> Option<String> {
    let (got, want) = (lines(answer), lines(expected));
    if got == want {
        return None;
    }
    if got.len() != want.len() {
        return Some(format!(
            "Go prints {} line(s); your answer has {}.",
            want.len(),
            got.len()
        ));
    }
    let (i, (g, w)) = got
        .iter()
        .zip(&want)
        .enumerate()
        .find(|(_, (g, w))| g != w)?;
    if g.len() != w.len() {
        return Some(format!(
            "line {}: Go prints {} values; your answer has {}.",
            i + 1,
            w.len(),
            g.len()
        ));
    }
    let j = g.iter().zip(w).position(|(a, b)| a != b)?;
    Some(format!(
        "line {}: your {} value, `{}`, is not what Go prints.",
        i + 1,
        ordinal(j + 1),
        g[j]
    ))
}

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
