//! `cargo run -p listings --example close_rayon_errors` (chapter 2). Its output is
//! checked: `listings/output/close_rayon_errors.out`.

fn main() -> std::io::Result<()> {
    listings::close::rayon_errors(&mut std::io::stdout().lock())
}
