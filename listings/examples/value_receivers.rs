//! `cargo run -p listings --example value_receivers` (chapter 5, "Go only passes by value").

fn main() -> std::io::Result<()> {
    listings::value::receivers(&mut std::io::stdout())
}
