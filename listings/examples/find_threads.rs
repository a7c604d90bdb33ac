//! `cargo run -p listings --example find_threads` (chapter 7). Its output is
//! checked: `listings/output/find_threads.out`.

fn main() -> std::io::Result<()> {
    listings::find::thread_gauge(&mut std::io::stdout().lock())
}
