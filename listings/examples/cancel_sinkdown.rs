//! `cargo run -p listings --example cancel_sinkdown` (chapter 3): the Rust
//! twin of Go's `cancel/cmd/sinkdown`. Its output is checked:
//! `listings/output/cancel_sinkdown.out`.

fn main() -> std::io::Result<()> {
    listings::cancel::sinkdown(&mut std::io::stdout().lock())
}
