//! Exercise `slice_predict`: what does Go print?
//!
//! Each function below stands for one short Go program, quoted in its doc
//! comment (`int` is 64 bits, as on `linux/amd64`). Replace each `todo!()`
//! with exactly what the program prints, as `fmt.Println` writes it: for
//! example `"[7 8] 2 2"`, and for two lines `"1 1\n2 2"`.
//!
//! Reference solution, with the reasoning.

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
    // zeroFirst writes through its copy of the header into the shared array;
    // addFour's append outgrows cap 3 and builds a new array only it sees.
    "[0 2 3] 3 3"
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
    // Both appends fit in cap 10 and write slot 3 of s's array: the second
    // overwrites the first, and a and b are two views of the same four slots.
    "[0 0 0 2] [0 0 0 2]"
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
    // t = s[1:3] has len 2, cap 4: the append fits and writes s[3].
    "[1 2 3 99 5] [2 3 99] 3 4"
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
    // t = s[1:3:3] has cap 2: the append copies into a new array (cap 2 doubled
    // to 4, 32 bytes, a size class), so neither the 99 nor the 0 reaches s.
    "[1 2 3 4 5] [0 3 99] 3 4"
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
    // cap 3 doubles to 6 (48 bytes, a size class); then len 7 > 6: double to 12
    // (96 bytes, a size class).
    "4 6\n7 12"
}
