// ANCHOR: send_all
fn send_all(tx: Sender<u32>, n: u32) {
    for i in 0..n {
        tx.send(i).unwrap(); // pair: send
    }
} // pair: close
// ANCHOR_END: send_all

// ANCHOR: send_lonely
fn send_lonely(tx: Sender<u32>, n: u32) {
    for i in 0..n {
        tx.send(i).unwrap(); // pair: send
    }
    drop(tx); // pair: drop
} // pair: close
// ANCHOR_END: send_lonely
