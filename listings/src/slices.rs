//! Chapter 4: slices and `Vec`. The Rust side of the Go programs in
//! `go/slices/cmd/`: who owns the buffer, who may grow it, and the aliasing Go
//! allows that the borrow checker rejects ([`rejected`]).

use std::io::{self, Write};

// ANCHOR: add_tags
/// Go's `addTagsTo(tags *[]string, ...)`: `&mut Vec`
/// lends the caller's vector itself; it grows in place.
pub fn add_tags(tags: &mut Vec<String>, more: &[&str]) {
    tags.extend(more.iter().map(|m| m.to_string())); // pair: grow ^borrow
}
// ANCHOR_END: add_tags

// ANCHOR: with_tags
/// Go's `tags = addTags(tags, ...)`: the vector moves
/// in, the grown one moves out; the old name is gone.
pub fn with_tags(mut tags: Vec<String>, more: &[&str]) -> Vec<String> {
    add_tags(&mut tags, more); // pair: grow ^signature
    tags // pair: return
}
// ANCHOR_END: with_tags

// ANCHOR: shout
/// A `&mut [String]` may change the elements it sees,
/// never how many there are: a slice has no `push`.
pub fn shout(tags: &mut [String]) {
    for tag in tags {
        tag.make_ascii_uppercase();
    }
}
// ANCHOR_END: shout

/// `cargo run -p listings --example slice_lost`: the Rust side of
/// `go/slices/cmd/lost`.
pub fn lost(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: lost_main
    let size = size_of::<Vec<String>>();
    writeln!(
        out,
        "a Vec<String> is {size} bytes: pointer, capacity, length"
    )?;
    let size = size_of::<&mut Vec<String>>();
    writeln!(
        out,
        "add_tags gets {size} bytes: the address of the caller's Vec"
    )?;

    let mut tags: Vec<String> = Vec::new();
    add_tags(&mut tags, &["go", "rust"]);
    writeln!(out, "empty Vec:   {} {:?}", tags.len(), tags)?;

    let mut roomy: Vec<String> = Vec::with_capacity(4);
    add_tags(&mut roomy, &["go", "rust"]);
    writeln!(out, "spare room:  {} {:?}", roomy.len(), roomy)?;

    let tags = with_tags(tags, &["ownership"]); // moved in, moved back out
    writeln!(out, "moved back:  {} {:?}", tags.len(), tags)?;

    shout(&mut roomy[..1]); // a view of the first element only
    writeln!(out, "shouted:     {roomy:?}")?;
    // ANCHOR_END: lost_main
    Ok(())
}

/// `cargo run -p listings --example slice_alias`: the Rust side of
/// `go/slices/cmd/alias`.
pub fn alias(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: alias
    let mut a = vec![1, 2];
    a.push(3); // pair: grow

    // Go's `b := append(a, 4)` means "a new list that
    // starts like a" or "grow a". The first is a copy,
    // and Rust makes you write it:
    let mut b = a.clone(); // pair: b
    b.push(4); // pair: b
    let mut c = a.clone(); // pair: c
    c.push(5); // pair: c
    writeln!(out, "b: {b:?} c: {c:?}")?; // pair: print
    let shared = b.as_ptr() == c.as_ptr(); // pair: shared
    writeln!(out, "b and c share one buffer: {shared}")?; // pair: shared

    // The second goes through `&mut a`, and there is
    // only one of those at a time.
    a.push(4);
    writeln!(out, "a grown in place: {a:?}")?;
    // ANCHOR_END: alias
    Ok(())
}

/// `cargo run -p listings --example slice_split`: two mutable views of one
/// vector that cannot overlap.
pub fn split(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: split
    let mut scores = vec![10, 20, 30, 40, 50];
    // Two `&mut [i32]` into one buffer, proven disjoint by `split_at_mut`:
    // front is scores[..2], back is scores[2..].
    let (front, back) = scores.split_at_mut(2);
    front[0] += back[0];
    std::mem::swap(&mut front[1], &mut back[2]);
    writeln!(out, "{scores:?}")?;
    // ANCHOR_END: split
    Ok(())
}

/// `cargo run -p listings --example slice_growth`: every capacity `Vec` picks
/// while `i64`s are pushed one at a time, in the format of
/// `go/slices/cmd/growth`. Rust promises no growth strategy: this is what the
/// toolchain that produced `listings/output/slice_growth.out` did.
pub fn growth(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: growth
    let mut v: Vec<i64> = Vec::new();
    let mut prev = 0;
    for i in 1..=2000 {
        v.push(i);
        if v.capacity() == prev {
            continue; // pushed in place
        }
        let (len, cap) = (v.len(), v.capacity());
        if prev == 0 {
            writeln!(out, "len {len:4}  cap {cap:4}")?;
        } else {
            let factor = cap as f64 / prev as f64;
            writeln!(out, "len {len:4}  cap {cap:4}  x{factor:.2}")?;
        }
        prev = cap;
    }
    // ANCHOR_END: growth
    Ok(())
}

/// Code the book shows that the compiler must reject, each with the error
/// code the book states. The book includes these very files
/// (`listings/src/slices/*.rs`). Stable rustdoc checks that each doctest
/// fails to compile but ignores the code (it checks codes only on nightly),
/// so a test here compiles each file with `rustc` and requires exactly that
/// one error code.
pub mod rejected {
    rejected! {
        "slices";
        /// Two appenders to one vector: a second `&mut` while the first is alive.
        two_appenders => "E0499";
        /// A view of a vector, then a `push` that may move its buffer.
        view_then_push => "E0502";
        /// Two `&mut` views of one vector, without `split_at_mut`.
        two_views => "E0499";
        /// A slice cannot grow.
        slice_cannot_grow => "E0599";
        /// A vector moved into a function cannot be used afterwards.
        moved => "E0382";
        /// A view cannot outlive the vector it points into.
        header_of_local => "E0515";
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_rejected_listing_fails_with_exactly_its_code() {
        let problems = crate::compile_fail::wrong_codes("slices", super::rejected::LISTINGS);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
