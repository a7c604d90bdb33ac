// Two Go slices of one array may overlap and write each other's elements.
// Two `&mut` views of one vector are rejected, even when they do not overlap:
// the borrow checker sees two mutable borrows of `scores`.
fn main() {
    let mut scores = vec![10, 20, 30, 40, 50];
    let front = &mut scores[..2];
    let back = &mut scores[2..]; // E0499: `scores` is already borrowed mutably
    front[0] += back[0];
}
