//! Exercise `slice_add_all`: the helpers that lost their appends.
//!
//! The Go job collects tags for its records with three small helpers. In Go
//! they lose their appends: each one appends to its own copy of the slice
//! header (or, in the `range` loop, to a copy of each element's header), and
//! the caller never sees the result.
//!
//! ```go
//! func addAll(dst []string, items ...string) {
//!     dst = append(dst, items...)
//! }
//!
//! func addNew(dst []string, items ...string) {
//!     for _, it := range items {
//!         if !slices.Contains(dst, it) {
//!             dst = append(dst, it)
//!         }
//!     }
//! }
//!
//! func addToEach(groups [][]string, items ...string) {
//!     for _, g := range groups {
//!         g = append(g, items...)
//!     }
//! }
//! ```
//!
//! Reference solution: `&mut Vec<String>` lends the caller's vector itself, so
//! the helpers grow it in place; `iter_mut` lends each group of the caller's
//! slice in turn. No copy, nothing to lose.

/// Appends every item, in order, to the caller's `dst`.
pub fn add_all(dst: &mut Vec<String>, items: &[&str]) {
    dst.extend(items.iter().map(|item| item.to_string()));
}

/// Appends, in order, each item that `dst` does not hold yet (an item that
/// appears twice in `items` is added once).
pub fn add_new(dst: &mut Vec<String>, items: &[&str]) {
    for item in items {
        // `dst` grows as we go, so a repeated item finds its first copy.
        if !dst.iter().any(|t| t == item) {
            dst.push(item.to_string());
        }
    }
}

/// Appends every item, in order, to each of the caller's groups.
pub fn add_to_each(groups: &mut [Vec<String>], items: &[&str]) {
    // The slice cannot grow, but each element can: `iter_mut` lends them.
    for group in groups.iter_mut() {
        add_all(group, items);
    }
}
