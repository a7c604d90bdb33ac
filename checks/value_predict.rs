// Checks for `value_predict`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/value_predict.rs`).
//
// The expected output of each puzzle is what the real Go program printed:
// `go/value/cmd/predict`, whose output `go test` compares with the file read
// here, `go/value/testdata/predict.out` (sections `-- puzzle N`).

const ID: &str = "value_predict";

const GO_OUTPUT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../go/value/testdata/predict.out"
));

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

/// The values `fmt.Println` printed on one line: split at spaces outside
/// brackets and braces, so `{a [9 2]} 3` is two values.
fn values(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut depth = 0;
    for c in line.trim().chars() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
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
