//! `cargo run -p listings --example value_locks` (chapter 5, "Go only passes by value").

fn main() -> std::io::Result<()> {
    listings::value::locks(&mut std::io::stdout())
}
