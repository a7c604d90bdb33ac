//! `cargo run -p listings --example cancel_select` (chapter 3): `select!` with
//! a done channel, `never()` and `after()`. Its output is checked:
//! `listings/output/cancel_select.out`.

fn main() -> std::io::Result<()> {
    listings::cancel::select_cases(&mut std::io::stdout().lock())
}
