// ANCHOR: std_receiver_clone
use std::sync::mpsc;

fn main() {
    let (tx, rx) = mpsc::sync_channel::<u64>(10);
    // error[E0599]: no method named `clone` found for struct `std::sync::mpsc::Receiver<T>`
    let worker_rx = rx.clone();
    drop((tx, worker_rx));
}
// ANCHOR_END: std_receiver_clone
