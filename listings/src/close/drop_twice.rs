// ANCHOR: drop_twice
use crossbeam_channel::bounded;

fn main() {
    let (tx, rx) = bounded::<u64>(1);
    drop(tx);
    drop(tx); // error[E0382]: use of moved value: `tx`; Go: "close of closed channel"
    drop(rx);
}
// ANCHOR_END: drop_twice
