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
//! Below is a port with the right Rust signatures: `&mut Vec<String>` lends
//! the caller's vector itself, and `&mut [Vec<String>]` lends the caller's
//! groups. But the port copied Go's copies too, so the callers still see
//! nothing. Keep the signatures; fix the bodies so that every helper grows
//! the caller's vectors.
//!
//! Grade it: `cargo test -p exercises slice_add_all`

/// Appends every item, in order, to the caller's `dst`.
#[allow(
    clippy::ptr_arg,
    reason = "the signature is right; the bug is that the body never grows `dst`"
)]
pub fn add_all(dst: &mut Vec<String>, items: &[&str]) {
    // Go copied the header on the call; this copies the whole vector.
    let mut dst = dst.clone();
    for item in items {
        dst.push(item.to_string());
    }
}

/// Appends, in order, each item that `dst` does not hold yet (an item that
/// appears twice in `items` is added once).
#[allow(
    clippy::ptr_arg,
    reason = "the signature is right; the bug is that the body never grows `dst`"
)]
pub fn add_new(dst: &mut Vec<String>, items: &[&str]) {
    let mut tags = dst.to_vec();
    for item in items {
        if !tags.iter().any(|t| t == item) {
            tags.push(item.to_string());
        }
    }
}

/// Appends every item, in order, to each of the caller's groups.
pub fn add_to_each(groups: &mut [Vec<String>], items: &[&str]) {
    // Go's `for _, g := range groups` hands the loop a copy of each element.
    for mut group in groups.iter().cloned() {
        add_all(&mut group, items);
    }
}
