//! `cargo run -p listings --example leak_panic` (chapter 1). Its output is
//! checked: `listings/output/leak_panic.out`.

fn main() -> std::io::Result<()> {
    listings::leak::producer_panics(&mut std::io::stdout().lock())
}
