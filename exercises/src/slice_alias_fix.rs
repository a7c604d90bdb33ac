//! Exercise `slice_alias_fix`: the branches that overwrote each other.
//!
//! A planner extends a path of stage ids with each possible next stage. In Go:
//!
//! ```go
//! func branches(prefix []int, next []int) [][]int {
//!     var out [][]int
//!     for _, n := range next {
//!         out = append(out, append(prefix, n))
//!     }
//!     return out
//! }
//! ```
//!
//! It passes its tests, whose prefixes are slice literals with no spare
//! capacity. In production the prefix was built by `append`, had room to
//! spare, and every branch came out ending in the same stage.
//!
//! 1. `branches` is that Go function, line for line, on `GoSlice` (the
//!    chapter's model of Go slices: `s.append([x])` is `append(s, x)`,
//!    `s.slice3(lo, hi, max)` is `s[lo:hi:max]`, `goslice::clone(&s)` is
//!    `slices.Clone(s)`). Fix it the Go way: every branch must get its own
//!    array, and the caller's array must not be written.
//! 2. Then write `branches_vec`, the same function on plain Rust slices and
//!    vectors, the way you would write it in Rust.
//!
//! Grade it: `cargo test -p exercises slice_alias_fix`

use goslice::GoSlice;

/// Every branch is `prefix` followed by one stage of `next`, in the order of
/// `next`. Branches share no array with each other or with `prefix`.
pub fn branches(prefix: &GoSlice<i64>, next: &[i64]) -> Vec<GoSlice<i64>> {
    let mut out = Vec::new();
    for &n in next {
        out.push(prefix.append([n]));
    }
    out
}

/// The same for Rust slices: every branch is `prefix` followed by one stage
/// of `next`, in the order of `next`.
pub fn branches_vec(prefix: &[i64], next: &[i64]) -> Vec<Vec<i64>> {
    let _ = (prefix, next);
    todo!("build one Vec per next stage")
}
