// Go: `view := a[:2]`, then `a = append(a, 4)`: whether `view` still sees
// a's array depends on the capacity. In Rust a slice borrows the vector, and
// nothing may grow (and maybe move) the buffer while the view is alive.
fn main() {
    let mut a = vec![1, 2, 3];
    let view = &a[..2]; // a shared borrow of a's buffer

    a.push(4); // E0502: `push` needs `&mut a` while `view` borrows it
    println!("{view:?}");
}
