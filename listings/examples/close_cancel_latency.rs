//! `cargo run --release -p listings --example close_cancel_latency [RUNS]`
//! (chapter 2): time from the first error to every thread stopped, with and
//! without cancellation. A measurement, not a golden file: one run of it is
//! `listings/output/close_cancel_latency.txt`.

fn main() -> std::io::Result<()> {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(21);
    listings::close::cancel_latency(&mut std::io::stdout().lock(), runs)
}
