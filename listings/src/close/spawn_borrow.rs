// ANCHOR: spawn_borrow
use std::thread;

fn main() {
    let batch = vec![1, 2, 3];
    // error[E0373]: closure may outlive the current function, but it borrows `batch`
    let handle = thread::spawn(|| batch.iter().sum::<u64>());
    println!("{}", handle.join().unwrap());
}
// ANCHOR_END: spawn_borrow
