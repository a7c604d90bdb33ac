//! `cargo run -p listings --example repro_service -- --mode leaky|fixed
//! [--jobs N] [--failure-rate F] [--record-kib K] [--every N]` (chapter 8):
//! chapter 1's services on a stream of batches, sampled as CSV rows. A
//! measurement, not a golden file: `src/repro/measure.sh` runs it.

fn main() -> std::io::Result<()> {
    let cfg = listings::repro::Config::from_args(std::env::args().skip(1))
        .map_err(std::io::Error::other)?;
    listings::repro::service(&mut std::io::stdout().lock(), &cfg)
}
