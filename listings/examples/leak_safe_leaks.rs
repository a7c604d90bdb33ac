//! `cargo run -p listings --example leak_safe_leaks` (chapter 1). Its output is
//! checked: `listings/output/leak_safe_leaks.out`.

fn main() -> std::io::Result<()> {
    listings::leak::safe_leaks(&mut std::io::stdout().lock())
}
