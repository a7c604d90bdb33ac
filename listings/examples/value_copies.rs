//! `cargo run -p listings --example value_copies` (chapter 5, "Go only passes by value").

fn main() -> std::io::Result<()> {
    listings::value::copies(&mut std::io::stdout())
}
