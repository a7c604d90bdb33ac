//! The grading engine, shared by `cargo xtask check`/`watch`/`progress`/`verify`
//! and by `cargo test -p exercises` (its test target `workbook` calls
//! [`workbook::main`]): one engine, one verdict.
//!
//! Each exercise is built and tested in a crate of its own generated under
//! `target/grade/` ([`workspace`]), so a save recompiles one exercise and a
//! file that does not compile stops only its own exercise ([`grade`]).
//! [`verdict`] reads Cargo's and libtest's output into a [`verdict::Report`]
//! per exercise; [`test_results`] reads a plain `cargo test` run (the
//! solutions and fixtures crates); both read libtest's text with [`libtest`].
//! Test names are read and written with [`manifest::TestPath`].
//!
//! A save of one exercise is compiled by rustc alone when nothing but its
//! sources changed since Cargo last compiled it ([`rustc_alone`]).
//!
//! Dependencies point one way: `grade` → `workspace`, `rustc_alone` → `workspace`,
//! `verdict` → `libtest`;
//! `workbook` → `grade`; `test_results` → `libtest`, `grade` (for Cargo's path).

pub mod grade;
pub mod libtest;
pub mod rustc_alone;
pub mod test_results;
pub mod verdict;
pub mod workbook;
pub mod workspace;
