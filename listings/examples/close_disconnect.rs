//! `cargo run -p listings --example close_disconnect` (chapter 2). Its output is
//! checked: `listings/output/close_disconnect.out`.

fn main() -> std::io::Result<()> {
    listings::close::disconnect(&mut std::io::stdout().lock())
}
