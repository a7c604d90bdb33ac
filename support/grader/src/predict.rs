//! Grading a "predict what Go prints" answer (chapters 4 and 5): compare it
//! with the real output value by value, and say what is off without giving
//! the expected output away.

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
pub fn what_is_off(answer: &str, expected: &str) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_which_value_is_off_without_the_answer() {
        assert_eq!(what_is_off("[1 2] 3\n", "[1 2]  3"), None);
        assert_eq!(what_is_off("{a [9 2]} 3", "{a [9 2]} 3\n"), None);
        let off = what_is_off("[1 2] 4", "[1 2] 3").unwrap();
        assert!(off.contains("your 2nd value, `4`"), "{off}");
        assert!(!off.contains('3'), "{off}");
        assert!(
            what_is_off("1\n2", "1")
                .unwrap()
                .contains("Go prints 1 line(s)")
        );
        assert!(
            what_is_off("1 2", "1")
                .unwrap()
                .contains("Go prints 1 values")
        );
    }
}
