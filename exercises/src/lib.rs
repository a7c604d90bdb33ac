//! Your workbook. Each file of `src/` is one exercise: open the file the book
//! names, fix it, and grade it on every save with `cargo xtask watch` (or once
//! with `cargo xtask check <id>` or `cargo test -p exercises <id>`; everything
//! with `cargo test -p exercises`). `cargo xtask progress` shows what is done;
//! `cargo xtask hint` helps.
//!
//! The exercises are not compiled into this library: each is built and
//! graded in a crate of its own (under `target/grade/`), so a file that does
//! not compile stops only its own exercise. The list below is for your
//! editor: rust-analyzer (and only it) sets `cfg(rust_analyzer)`, so it
//! still knows each file as a module, with its checks.

// `rust_analyzer` is a cfg no compiler run sets, on purpose.
#![allow(unexpected_cfgs)]
#![cfg(rust_analyzer)]

// Chapter 1: the incident, a goroutine leak.
pub mod leak_coordinator;
pub mod leak_pipeline;
pub mod leak_runner;

// Chapter 2: who closes the channel.
pub mod close_errgroup;
pub mod close_no_channel;
pub mod close_pipeline;

// Chapter 3: when the consumer quits.
pub mod cancel_fanout;
pub mod cancel_forward;
pub mod cancel_sink;

// Chapter 4: slices and `Vec`.
pub mod slice_add_all;
pub mod slice_alias_fix;
pub mod slice_predict;

// Chapter 5: "Go only passes by value" vs moves and borrows.
pub mod value_account;
pub mod value_predict;
pub mod value_site;

// Chapter 6: structured parallelism with rayon.
pub mod rayon_bounded_io;
pub mod rayon_port;
pub mod rayon_search;

// Chapter 7: finding leaks (you write the test).
pub mod find_consumer;
pub mod find_runner;
pub mod find_sum;

// The checks live in `checks/<id>.rs`, shared with the reference solutions.
#[cfg(test)]
mod checks {
    // Chapter 1
    grader::checks!(leak_coordinator);
    grader::checks!(leak_runner);
    grader::checks!(leak_pipeline);
    // Chapter 2
    grader::checks!(close_errgroup);
    grader::checks!(close_pipeline);
    grader::checks!(close_no_channel);
    // Chapter 3
    grader::checks!(cancel_sink);
    grader::checks!(cancel_forward);
    grader::checks!(cancel_fanout);
    // Chapter 4
    grader::checks!(slice_add_all);
    grader::checks!(slice_predict);
    grader::checks!(slice_alias_fix);
    // Chapter 5
    grader::checks!(value_account);
    grader::checks!(value_predict);
    grader::checks!(value_site);
    // Chapter 6
    grader::checks!(rayon_port);
    grader::checks!(rayon_bounded_io);
    grader::checks!(rayon_search);
    // Chapter 7
    grader::checks!(find_consumer);
    grader::checks!(find_sum);
    grader::checks!(find_runner);
}
