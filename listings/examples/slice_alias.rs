//! `cargo run -p listings --example slice_alias` (chapter 4, slices and `Vec`).

fn main() -> std::io::Result<()> {
    listings::slices::alias(&mut std::io::stdout())
}
