//! Exercise `value_predict`: what does Go copy?
//!
//! Each function below stands for one short Go program, quoted in its doc
//! comment (`int` is 64 bits, as on `linux/amd64`). Replace each `todo!()`
//! with exactly what the program prints, as `fmt.Println` writes it: for
//! example `"{a [1 2]} 7"`, and for two lines `"1\n[2 3]"`.
//!
//! Work it out on paper first: for every assignment, argument, receiver and
//! range variable, ask what the copied value is, and what it still shares.
//! The checks compare your answer with what the real Go program prints
//! (`go/value/cmd/predict`, whose output `go test` keeps in
//! `go/value/testdata/predict.out`) and tell you which value is off, not
//! what it should be.
//!
//! Grade it: `cargo test -p exercises value_predict`

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
    todo!("what does puzzle 1 print?")
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
    todo!("what does puzzle 2 print?")
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
    todo!("what does puzzle 3 print?")
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
    todo!("what does puzzle 4 print?")
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
    todo!("what does puzzle 5 print?")
}
