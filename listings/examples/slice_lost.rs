//! `cargo run -p listings --example slice_lost` (chapter 4, slices and `Vec`).

fn main() -> std::io::Result<()> {
    listings::slices::lost(&mut std::io::stdout())
}
