// ANCHOR: scope_borrow
use std::thread;

fn main() {
    let batch = vec![1, 2, 3];
    let (left, right) = batch.split_at(1);
    let total = thread::scope(|s| {
        // Both threads borrow `batch`: the scope joins them before it returns.
        let a = s.spawn(|| left.iter().sum::<u64>());
        let b = s.spawn(|| right.iter().sum::<u64>());
        a.join().unwrap() + b.join().unwrap()
    });
    assert_eq!(total, 6);
    println!("{total}");
}
// ANCHOR_END: scope_borrow
