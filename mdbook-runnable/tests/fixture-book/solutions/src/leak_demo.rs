//! Solution for leak_demo.
pub fn run() {
    let (tx, rx) = std::sync::mpsc::channel::<u8>();
    drop(tx); // SOLUTION-MARKER
    for _ in rx {}
}
