//! Moved to the `engine` crate (`support/engine`), shared with the
//! `exercises` test target so `cargo test -p exercises` grades as `check` does.

pub use engine::verdict::*;
