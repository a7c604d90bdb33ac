// ANCHOR: send_after_drop
use crossbeam_channel::bounded;

fn main() {
    let (tx, rx) = bounded::<u64>(1);
    drop(tx); // the "close": this was the last Sender
    tx.send(1).unwrap(); // error[E0382]: borrow of moved value: `tx`
    drop(rx);
}
// ANCHOR_END: send_after_drop
