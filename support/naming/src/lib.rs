//! The naming conventions every tool of the workbook reads and writes, parsed
//! and printed in one place:
//!
//! - [`TestPath`]: the name libtest gives a check, `checks::ID::CHECK` (in the
//!   `exercises` crate and the generated grading crates),
//!   `reference_solution_not_your_exercise::checks::ID::CHECK` (in
//!   `solutions`) and `checks::ID::VARIANT::CHECK` (in `fixtures`, one module
//!   per fixture file).
//! - [`FixtureKind`]: a fixture file `fixtures/ID/alt_*.rs` is another right
//!   fix, `fixtures/ID/wrong_*.rs` a wrong one; any other name is an error,
//!   the same one for the fixtures crate's build script, `verify` and `stress`.
//! - [`verdict`]: a check's verdict as the grader prints it and the engine
//!   reads it back.
//!
//! Std only: the grader, compiled into every grading crate, depends on it, and
//! so does `fixtures/build.rs`: a build dependency with serde and toml would be
//! compiled a second time for the build script.

use std::fmt;

pub mod verdict;

/// The module every check lives in, in every crate that compiles checks.
const CHECKS: &str = "checks";

/// A check's name as libtest prints it: `[SCOPE::]checks::ID[::FIXTURE][::CHECK]`.
///
/// `check` is `None` for the whole exercise (`checks::ID`, the section under
/// which `cargo test -p exercises` prints a file that does not compile);
/// `fixture` is the fixture's module (its file stem) in the `fixtures` crate.
/// The scope (`reference_solution_not_your_exercise::` in `solutions`) is
/// accepted by [`TestPath::parse`] and never printed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TestPath {
    pub id: String,
    pub fixture: Option<String>,
    pub check: Option<String>,
}

impl TestPath {
    /// `checks::ID::CHECK`.
    pub fn check(id: &str, check: &str) -> TestPath {
        TestPath {
            id: id.to_owned(),
            fixture: None,
            check: Some(check.to_owned()),
        }
    }

    /// `checks::ID`: the exercise as a whole.
    pub fn exercise(id: &str) -> TestPath {
        TestPath {
            id: id.to_owned(),
            fixture: None,
            check: None,
        }
    }

    /// `checks::ID::FIXTURE::CHECK`.
    pub fn fixture_check(id: &str, fixture: &str, check: &str) -> TestPath {
        TestPath {
            id: id.to_owned(),
            fixture: Some(fixture.to_owned()),
            check: Some(check.to_owned()),
        }
    }

    /// `checks::ID::`: a libtest filter (a substring) that selects the checks
    /// of exercise `id` in every crate, and no other exercise's (`leak_x` is
    /// not a prefix of `leak_xy::`).
    pub fn filter_for(id: &str) -> String {
        format!("{CHECKS}::{id}::")
    }

    /// Reads a libtest name. `None` when it is not below a `checks` module.
    /// Two segments after `checks::ID` are a fixture and its check only when
    /// the first is a fixture's name ([`FixtureKind::of`]); a check is never
    /// named so, because a check name is a function in `checks/ID.rs`.
    pub fn parse(name: &str) -> Option<TestPath> {
        let rest = if let Some(rest) = name.strip_prefix("checks::") {
            rest
        } else {
            let at = name.find("::checks::")?;
            &name[at + "::checks::".len()..]
        };
        let parts: Vec<&str> = rest.split("::").collect();
        if parts.iter().any(|p| !is_identifier(p)) {
            return None;
        }
        match parts.as_slice() {
            [id] => Some(TestPath::exercise(id)),
            [id, check] => Some(TestPath::check(id, check)),
            [id, fixture, check] if FixtureKind::of(fixture).is_ok() => {
                Some(TestPath::fixture_check(id, fixture, check))
            }
            _ => None,
        }
    }

    /// The fixture's path without its check, `checks::ID::FIXTURE` (what
    /// `stress` counts a fixture by).
    pub fn without_check(&self) -> TestPath {
        TestPath {
            check: None,
            ..self.clone()
        }
    }
}

impl fmt::Display for TestPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{CHECKS}::{}", self.id)?;
        if let Some(fixture) = &self.fixture {
            write!(f, "::{fixture}")?;
        }
        if let Some(check) = &self.check {
            write!(f, "::{check}")?;
        }
        Ok(())
    }
}

fn is_identifier(part: &str) -> bool {
    !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// What a fixture file is, by its name: `alt_*` a right fix (every check must
/// pass), `wrong_*` a wrong one (some check must fail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FixtureKind {
    Right,
    Wrong,
}

impl FixtureKind {
    /// The kind of the fixture `name` (a file stem such as `wrong_no_close`).
    /// The prefix must be followed by a name: `alt_.rs`, `alternative.rs` or
    /// `wrong.rs` are errors that say how to name the file.
    pub fn of(name: &str) -> Result<FixtureKind, NamingError> {
        for kind in [FixtureKind::Right, FixtureKind::Wrong] {
            if let Some(rest) = name.strip_prefix(kind.prefix()) {
                if is_identifier(rest) {
                    return Ok(kind);
                }
            }
        }
        Err(NamingError(format!(
            "`{name}`: a fixture is named alt_NAME (a right fix) or wrong_NAME (a wrong one)"
        )))
    }

    /// The file name's prefix: `alt_` or `wrong_`.
    pub fn prefix(self) -> &'static str {
        match self {
            FixtureKind::Right => "alt_",
            FixtureKind::Wrong => "wrong_",
        }
    }
}

impl std::str::FromStr for FixtureKind {
    type Err = NamingError;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        FixtureKind::of(name)
    }
}

/// Prints the prefix, so `format!("{}no_close", FixtureKind::Wrong)` names a file.
impl fmt::Display for FixtureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

/// A name that breaks a convention, and how to name it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamingError(pub String);

impl fmt::Display for NamingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NamingError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_path_prints_and_parses_back() {
        let path = TestPath::check("leak_pipeline", "totals_a_clean_batch");
        assert_eq!(
            path.to_string(),
            "checks::leak_pipeline::totals_a_clean_batch"
        );
        assert_eq!(TestPath::parse(&path.to_string()), Some(path));
        let whole = TestPath::exercise("leak_x");
        assert_eq!(whole.to_string(), "checks::leak_x");
        assert_eq!(TestPath::parse("checks::leak_x"), Some(whole));
    }

    #[test]
    fn the_solutions_scope_is_read_and_not_printed() {
        let path = TestPath::parse(
            "reference_solution_not_your_exercise::checks::leak_x::sums_every_batch",
        )
        .unwrap();
        assert_eq!(path, TestPath::check("leak_x", "sums_every_batch"));
        assert_eq!(path.to_string(), "checks::leak_x::sums_every_batch");
    }

    #[test]
    fn a_fixture_check_names_its_fixture() {
        let path = TestPath::parse("checks::cancel_fanout::wrong_x::returns_the_first").unwrap();
        assert_eq!(path.fixture.as_deref(), Some("wrong_x"));
        assert_eq!(path.check.as_deref(), Some("returns_the_first"));
        assert_eq!(
            path.without_check().to_string(),
            "checks::cancel_fanout::wrong_x"
        );
        assert_eq!(
            path.to_string(),
            "checks::cancel_fanout::wrong_x::returns_the_first"
        );
    }

    #[test]
    fn names_that_are_not_check_paths_are_refused() {
        for name in [
            "tests::reads_each_verdict",
            "checks::",
            "checks::leak_x::",
            "checks::leak_x::helper::a",
            "checks::leak_x::alt_::a",
            "checks::a::wrong_b::c::d",
            "checks::leak x::a",
            "mychecks::leak_x::a",
        ] {
            assert_eq!(TestPath::parse(name), None, "{name}");
        }
    }

    #[test]
    fn the_exercise_filter_selects_one_exercise_in_every_crate() {
        let filter = TestPath::filter_for("leak_pipeline");
        for selected in [
            "checks::leak_pipeline::totals_a_clean_batch",
            "reference_solution_not_your_exercise::checks::leak_pipeline::totals_a_clean_batch",
            "checks::leak_pipeline::wrong_x::totals_a_clean_batch",
        ] {
            assert!(selected.contains(&filter), "{selected}");
        }
        assert!(!"checks::leak_pipeline_two::a".contains(&filter));
        assert!(!"checks::close_pipeline::totals_a_clean_batch".contains(&filter));
    }

    #[test]
    fn a_fixture_kind_is_its_prefix_followed_by_a_name() {
        assert_eq!(
            FixtureKind::of("alt_written_differently"),
            Ok(FixtureKind::Right)
        );
        assert_eq!(FixtureKind::of("wrong_no_close"), Ok(FixtureKind::Wrong));
        assert_eq!("wrong_a".parse(), Ok(FixtureKind::Wrong));
        for odd in [
            "alternative",
            "alt_",
            "wrong",
            "wrong_",
            "wrongly_done",
            "",
            "Alt_x",
            "alt_x-y",
        ] {
            let err = FixtureKind::of(odd).unwrap_err();
            assert!(err.0.contains("alt_NAME"), "{odd}: {err}");
        }
    }

    #[test]
    fn a_fixture_kind_prints_its_prefix() {
        assert_eq!(format!("{}no_close", FixtureKind::Wrong), "wrong_no_close");
        assert_eq!(FixtureKind::Right.to_string(), "alt_");
        for kind in [FixtureKind::Right, FixtureKind::Wrong] {
            assert_eq!(FixtureKind::of(&format!("{kind}x")), Ok(kind));
        }
    }
}
