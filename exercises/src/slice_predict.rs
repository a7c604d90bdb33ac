//! Exercise `slice_predict`: what does Go print?
//!
//! Each function below stands for one short Go program, quoted in its doc
//! comment (`int` is 64 bits, as on `linux/amd64`). Replace each `todo!()`
//! with exactly what the program prints, as `fmt.Println` writes it: for
//! example `"[7 8] 2 2"`, and for two lines `"1 1\n2 2"`.
//!
//! Work it out on paper first: draw the headers (pointer, len, cap) and the
//! arrays. The checks compare your answer with what the program prints
//! (replayed with `GoSlice`, whose replays are checked against the real Go
//! output) and tell you which value is off, not what it should be.
//!
//! Grade it: `cargo test -p exercises slice_predict`

/// Puzzle 1: a callee writes an element, then appends.
///
/// ```go
/// func zeroFirst(s []int) { s[0] = 0 }
///
/// func addFour(s []int) { s = append(s, 4) }
///
/// func puzzle1() {
///     s := []int{1, 2, 3}
///     zeroFirst(s)
///     addFour(s)
///     fmt.Println(s, len(s), cap(s))
/// }
/// ```
pub fn puzzle1() -> &'static str {
    todo!("what does puzzle 1 print?")
}

/// Puzzle 2: two appends to a slice with room to spare.
///
/// ```go
/// func puzzle2() {
///     s := make([]int, 3, 10)
///     a := append(s, 1)
///     b := append(s, 2)
///     fmt.Println(a, b)
/// }
/// ```
pub fn puzzle2() -> &'static str {
    todo!("what does puzzle 2 print?")
}

/// Puzzle 3: append to a re-slice of the middle of an array.
///
/// ```go
/// func puzzle3() {
///     s := []int{1, 2, 3, 4, 5}
///     t := s[1:3]
///     t = append(t, 99)
///     fmt.Println(s, t, len(t), cap(t))
/// }
/// ```
pub fn puzzle3() -> &'static str {
    todo!("what does puzzle 3 print?")
}

/// Puzzle 4: the same, with a full slice expression.
///
/// ```go
/// func puzzle4() {
///     s := []int{1, 2, 3, 4, 5}
///     t := s[1:3:3]
///     t = append(t, 99)
///     t[0] = 0
///     fmt.Println(s, t, len(t), cap(t))
/// }
/// ```
pub fn puzzle4() -> &'static str {
    todo!("what does puzzle 4 print?")
}

/// Puzzle 5: capacities after growing a literal. (Go rounds the new array up
/// to an allocator size class: 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, ...
/// bytes.)
///
/// ```go
/// func puzzle5() {
///     s := []int{1, 2, 3}
///     s = append(s, 4)
///     fmt.Println(len(s), cap(s))
///     s = append(s, 5, 6, 7)
///     fmt.Println(len(s), cap(s))
/// }
/// ```
pub fn puzzle5() -> &'static str {
    todo!("what does puzzle 5 print?")
}
