//! `cargo run -p listings --example leak_scope_end` (chapter 1). Its output is
//! checked: `listings/output/leak_scope_end.out`.

fn main() -> std::io::Result<()> {
    listings::leak::scope_end(&mut std::io::stdout().lock())
}
