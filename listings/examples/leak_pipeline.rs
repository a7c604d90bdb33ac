//! `cargo run -p listings --example leak_pipeline` (chapter 1). Its output is
//! checked: `listings/output/leak_pipeline.out`.

fn main() -> std::io::Result<()> {
    listings::leak::pipeline(&mut std::io::stdout().lock())
}
