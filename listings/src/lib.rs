//! The book's Rust listings, one module per chapter. Each program the book
//! runs is an example in `examples/` whose `main` calls a function here that
//! writes its output to any `io::Write`; `tests/golden.rs` checks that output
//! against `output/<example>.out`, the file the book shows.

/// Every program whose output the book shows: (example name, the function
/// that writes its output). `tests/golden.rs` runs each one.
pub type Program = fn(&mut dyn std::io::Write) -> std::io::Result<()>;

pub const PROGRAMS: &[(&str, Program)] = &[];
