// Go's `b := append(a, 4)` and `c := append(a, 5)` both write into a's
// spare slot. In Rust, growing a vector takes a `&mut` to it, and there is
// only one `&mut` at a time.
fn main() {
    let mut a = vec![1, 2, 3];
    a.reserve(1); // spare room, as in the Go program

    let b = &mut a;
    let c = &mut a; // E0499: a second `&mut a` while `b` is still in use
    b.push(4);
    c.push(5);
}
