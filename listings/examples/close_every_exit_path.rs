//! `cargo run -p listings --example close_every_exit_path` (chapter 2). Its output is
//! checked: `listings/output/close_every_exit_path.out`.

fn main() -> std::io::Result<()> {
    listings::close::every_exit_path(&mut std::io::stdout().lock())
}
