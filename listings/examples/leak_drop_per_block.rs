//! `cargo run -p listings --example leak_drop_per_block` (chapter 1). Its output is
//! checked: `listings/output/leak_drop_per_block.out`.

fn main() -> std::io::Result<()> {
    listings::leak::drop_per_block(&mut std::io::stdout().lock())
}
