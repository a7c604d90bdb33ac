//! Reference solutions: the same modules as `exercises`, fixed, and graded by
//! the same checks (`cargo test -p solutions`).

// Chapter 1: the incident, a goroutine leak.
pub mod leak_coordinator;

// The checks live in `checks/<id>.rs`, shared with the reference solutions.
#[cfg(test)]
mod checks {
    grader::checks!(leak_coordinator);
}
