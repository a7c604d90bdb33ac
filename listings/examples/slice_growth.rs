//! `cargo run -p listings --example slice_growth` (chapter 4, slices and `Vec`).

fn main() -> std::io::Result<()> {
    listings::slices::growth(&mut std::io::stdout())
}
