//! The book's Rust listings, one module per chapter. Each program the book
//! runs is an example in `examples/` whose `main` calls a function here that
//! writes its output to any `io::Write`; `tests/golden.rs` checks that output
//! against `output/<example>.out`, the file the book shows.

/// Every program whose output the book shows: (example name, the function
/// that writes its output). `tests/golden.rs` runs each one.
pub type Program = fn(&mut dyn std::io::Write) -> std::io::Result<()>;

// Listings the compiler must reject (`rejected!`), for chapters 4 and 5.
#[macro_use]
mod compile_fail;

// Chapter 1: the incident, a goroutine leak.
pub mod leak;

// Chapter 2: who closes the channel.
pub mod close;

// Chapter 3: when the consumer quits.
pub mod cancel;

// Chapter 4: slices and `Vec`.
pub mod slices;

// Chapter 5: "Go only passes by value" vs moves and borrows.
pub mod value;

// Chapter 6: structured parallelism with rayon.
pub mod rayon;

// Chapter 7: finding leaks.
pub mod find;

// Chapter 8: the incident, reproduced (a measurement, not in `PROGRAMS`:
// `src/repro/measure.sh` runs `examples/repro_service.rs`).
pub mod repro;

pub const PROGRAMS: &[(&str, Program)] = &[
    // Chapter 1
    ("leak_pipeline", leak::pipeline),
    ("leak_scope_end", leak::scope_end),
    ("leak_longlived", leak::longlived),
    ("leak_panic", leak::producer_panics),
    ("leak_safe_leaks", leak::safe_leaks),
    ("leak_drop_per_block", leak::drop_per_block),
    // Chapter 2
    ("close_every_exit_path", close::every_exit_path),
    ("close_disconnect", close::disconnect),
    ("close_rayon_errors", close::rayon_errors),
    // Chapter 3
    ("cancel_sinkdown", cancel::sinkdown),
    ("cancel_select", cancel::select_cases),
    ("cancel_deadline", cancel::deadlines),
    // Chapter 4
    ("slice_lost", slices::lost),
    ("slice_alias", slices::alias),
    ("slice_split", slices::split),
    ("slice_growth", slices::growth),
    ("slice_goslice_alias", goslice::programs::alias),
    // Chapter 5
    ("value_copies", value::copies),
    ("value_receivers", value::receivers),
    ("value_in_place", value::in_place),
    ("value_locks", value::locks),
    ("value_closures", value::closures),
    // Chapter 6
    ("rayon_collect", rayon::collect),
    ("rayon_starve", rayon::starve),
    ("rayon_panics", rayon::panics),
    // Chapter 7
    ("find_threads", find::thread_gauge),
];
