//! `cargo run -p listings --example cancel_deadline` (chapter 3): one
//! `after(d)` shared by three waiters cancels one of them; a done channel
//! whose `Sender` a timer drops, or a timer per waiter, cancels all three.
//! Its output is checked: `listings/output/cancel_deadline.out`.

fn main() -> std::io::Result<()> {
    listings::cancel::deadlines(&mut std::io::stdout().lock())
}
