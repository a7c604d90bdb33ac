//! `cargo run --release -p listings --example rayon_bench [RUNS]` (chapter 6):
//! the CPU-bound job at 1, 2 and all cores, sequential, `thread::scope` and
//! rayon, and the time from the first error to the return. A measurement,
//! not a golden file: one run of it is `listings/output/rayon_bench.txt`.

fn main() -> std::io::Result<()> {
    let mut config = listings::rayon::bench::FULL;
    if let Some(runs) = std::env::args().nth(1).and_then(|a| a.parse().ok()) {
        config.runs = runs;
    }
    listings::rayon::bench::report(&mut std::io::stdout().lock(), config)
}
