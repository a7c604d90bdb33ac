//! `cargo run -p listings --example slice_split` (chapter 4, slices and `Vec`).

fn main() -> std::io::Result<()> {
    listings::slices::split(&mut std::io::stdout())
}
