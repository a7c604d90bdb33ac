//! `cargo run -p listings --example leak_longlived` (chapter 1). Its output is
//! checked: `listings/output/leak_longlived.out`.

fn main() -> std::io::Result<()> {
    listings::leak::longlived(&mut std::io::stdout().lock())
}
