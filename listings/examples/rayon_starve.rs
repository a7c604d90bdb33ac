//! `cargo run -p listings --example rayon_starve` (chapter 6). Its output is
//! checked: `listings/output/rayon_starve.out`.

fn main() -> std::io::Result<()> {
    listings::rayon::starve(&mut std::io::stdout().lock())
}
