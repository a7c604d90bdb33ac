//! `cargo run -p listings --example rayon_panics` (chapter 6). Its output is
//! checked: `listings/output/rayon_panics.out`.

fn main() -> std::io::Result<()> {
    listings::rayon::panics(&mut std::io::stdout().lock())
}
