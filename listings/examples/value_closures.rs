//! `cargo run -p listings --example value_closures` (chapter 5, "Go only passes by value").

fn main() -> std::io::Result<()> {
    listings::value::closures(&mut std::io::stdout())
}
