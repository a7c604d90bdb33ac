//! Exercise `value_predict`: what does Go copy?
//!
//! Reference solution: the output of `go run ./value/cmd/predict`, one
//! function per puzzle (`go/value/testdata/predict.out`, checked by `go test`).
//! Puzzle 1: `b := a` copies the header of `Scores`, so both share the array.
//! Puzzle 2: the `Double`s change copies; only `Add` (pointer receiver) counts.
//! Puzzle 3: `range` over an array evaluates a copy of the array first.
//! Puzzle 4: `p` is a copy of the map's struct; `q` copies a pointer.
//! Puzzle 5: the array is copied into `reset`, the slice's array is shared.

/// Puzzle 1: a struct with a slice in it, assigned.
///
/// ```go
/// type Team struct {
///     Name   string
///     Scores []int
/// }
///
/// func puzzle1() {
///     a := Team{"a", []int{1, 2}}
///     b := a
///     b.Name = "b"
///     b.Scores[0] = 9
///     fmt.Println(a, b)
/// }
/// ```
pub fn puzzle1() -> &'static str {
    "{a [9 2]} {b [9 2]}"
}

/// Puzzle 2: value and pointer receivers, mixed.
///
/// ```go
/// type Box struct{ n int }
///
/// func (b Box) Double()    { b.n *= 2 }
/// func (b *Box) Add(k int) { b.n += k }
///
/// func puzzle2() {
///     bx := Box{1}
///     bx.Double()
///     bx.Add(2)
///     bx.Double()
///     fmt.Println(bx.n)
/// }
/// ```
pub fn puzzle2() -> &'static str {
    "3"
}

/// Puzzle 3: `range` over an array.
///
/// ```go
/// func puzzle3() {
///     nums := [3]int{1, 2, 3}
///     for i, v := range nums {
///         nums[2] = 10
///         if i == 2 {
///             fmt.Println(v)
///         }
///     }
///     fmt.Println(nums)
/// }
/// ```
pub fn puzzle3() -> &'static str {
    "3\n[1 2 10]"
}

/// Puzzle 4: a map of structs and a map of pointers.
///
/// ```go
/// type Point struct{ X, Y int }
///
/// func puzzle4() {
///     byName := map[string]Point{"p": {1, 2}}
///     p := byName["p"]
///     p.X = 5
///     ptrs := map[string]*Point{"p": {1, 2}}
///     q := ptrs["p"]
///     q.X = 5
///     fmt.Println(byName["p"], *ptrs["p"])
/// }
/// ```
pub fn puzzle4() -> &'static str {
    "{1 2} {5 2}"
}

/// Puzzle 5: an array and a slice, passed to a function.
///
/// ```go
/// func reset(a [3]int, s []int) {
///     a[0] = 0
///     s[0] = 0
/// }
///
/// func puzzle5() {
///     a := [3]int{1, 2, 3}
///     s := []int{1, 2, 3}
///     reset(a, s)
///     fmt.Println(a, s)
/// }
/// ```
pub fn puzzle5() -> &'static str {
    "[1 2 3] [0 2 3]"
}
