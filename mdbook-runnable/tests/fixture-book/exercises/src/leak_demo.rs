//! Starter for leak_demo.
pub fn run() {
    let (tx, rx) = std::sync::mpsc::channel::<u8>();
    let _keep = &tx;
    for _ in rx {}
}
