//! A verdict, as the grader prints it and the engine reads it back: one
//! format, written once, so a word changed here changes both sides.
//!
//! ```text
//!
//! [leak_coordinator] what is wrong, on one or more lines
//!   Stuck? Run `cargo xtask hint leak_coordinator` for a hint.
//! ```

/// How the hint line starts; the exercise's id and `` ` for a hint.`` follow.
const HINT_LINE: &str = "  Stuck? Run `cargo xtask hint ";

/// What starts a verdict of exercise `id` in a check's output.
pub fn prefix(id: &str) -> String {
    format!("[{id}] ")
}

/// The whole verdict the grader prints (and unwinds with) for exercise `id`.
pub fn text(id: &str, what_is_wrong: &str) -> String {
    format!(
        "\n{}{what_is_wrong}\n{HINT_LINE}{id}` for a hint.\n",
        prefix(id)
    )
}

/// Whether a panic payload is a verdict of exercise `id` (given inside
/// learner code and passed on as it is).
pub fn is_verdict(id: &str, payload: &str) -> bool {
    payload.starts_with(&format!("\n{}", prefix(id)))
}

/// The learner-facing part of a failed check's output: what [`text`] put
/// between the prefix and the hint line, when there is a verdict; `None`
/// when there is none (a bare `assert!`, a crash).
pub fn message(id: &str, output: &str) -> Option<String> {
    let marker = prefix(id);
    let start = output.find(&marker)?;
    let rest = &output[start + marker.len()..];
    let end = rest.find(&format!("\n{HINT_LINE}")).unwrap_or(rest.len());
    Some(rest[..end].trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_printed_verdict_reads_back_as_its_message() {
        let printed = text("leak_x", "`sum_job` returned 3,\n  expected 6");
        assert!(is_verdict("leak_x", &printed));
        assert!(!is_verdict("leak_y", &printed));
        let output = format!("---- checks::leak_x::a stdout ----\n{printed}\n\nfailures:");
        assert_eq!(
            message("leak_x", &output).as_deref(),
            Some("`sum_job` returned 3,\n  expected 6")
        );
        assert!(printed.contains("cargo xtask hint leak_x` for a hint."));
        assert_eq!(message("leak_x", "assertion failed"), None);
    }
}
