//! `cargo run -p listings --example value_in_place` (chapter 5, "Go only passes by value").

fn main() -> std::io::Result<()> {
    listings::value::in_place(&mut std::io::stdout())
}
