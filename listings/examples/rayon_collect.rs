//! `cargo run -p listings --example rayon_collect` (chapter 6). Its output is
//! checked: `listings/output/rayon_collect.out`.

fn main() -> std::io::Result<()> {
    listings::rayon::collect(&mut std::io::stdout().lock())
}
