//! The Go programs of chapter 4, replayed with [`GoSlice`]: the same
//! operations in the same order, printing the same lines.
//! `tests/agrees_with_go.rs` compares each replay's output with the Go
//! program's checked output, `go/slices/testdata/<name>.out`.

use crate::{GoSlice, GoType, clone, println_go};
use std::io::{self, Write};

/// A replayed program: writes what the Go program prints.
pub type Program = fn(&mut dyn Write) -> io::Result<()>;

/// Every replay: (the Go program, `go/slices/cmd/<name>`, its replay).
pub const PROGRAMS: &[(&str, Program)] = &[
    ("lost", lost),
    ("alias", alias),
    ("fixes", fixes),
    ("growth", growth),
    ("predict", predict),
];

type Tags = GoSlice<&'static str>;

// ANCHOR: lost
/// `func addTags(tags []string, more ...string)`: appends to its own copy of
/// the header, then drops it.
#[allow(unused_assignments)] // the bug being modelled: the result is never read
fn add_tags_lost(mut tags: Tags, more: &[&'static str]) {
    tags = tags.append(more.iter().copied());
}

/// `go run ./slices/cmd/lost`
pub fn lost(out: &mut dyn Write) -> io::Result<()> {
    let tags = Tags::nil();
    println_go!(
        out,
        "a slice is passed as a header of",
        Tags::GO_SIZE,
        "bytes"
    )?;

    add_tags_lost(tags.clone(), &["go", "rust"]); // `clone` copies the header, as Go's call does
    println_go!(out, "nil slice:  ", tags.len(), tags.cap(), tags)?;

    let roomy = Tags::make(0, 4);
    add_tags_lost(roomy.clone(), &["go", "rust"]);
    println_go!(out, "spare room: ", roomy.len(), roomy.cap(), roomy)?;
    println_go!(out, "roomy[:2]:  ", roomy.slice(0, 2))
}
// ANCHOR_END: lost

// ANCHOR: alias
/// `go run ./slices/cmd/alias`
pub fn alias(out: &mut dyn Write) -> io::Result<()> {
    let a = GoSlice::<i64>::from([1, 2]);
    let a = a.append([3]); // grows to capacity 4 // pair: grow
    println_go!(out, "a:", a, "len", a.len(), "cap", a.cap())?;

    let b = a.append([4]); // fits: writes a's array at index 3 // pair: b
    let c = a.append([5]); // fits too: the same slot // pair: c
    println_go!(out, "b:", b, "c:", c)?; // pair: print
    println_go!(out, "b and c share one array:", b.addr(0) == c.addr(0))?; // pair: shared

    let full = GoSlice::<i64>::from([1, 2, 3]); // capacity 3
    let d = full.append([4]); // must grow: a new array
    let e = full.append([5]); // another new array
    println_go!(out, "d:", d, "e:", e)?;
    println_go!(out, "d and e share one array:", d.addr(0) == e.addr(0))
}
// ANCHOR_END: alias

/// `func addTags(tags []string, more ...string) []string`
fn add_tags(tags: Tags, more: &[&'static str]) -> Tags {
    tags.append(more.iter().copied())
}

/// `func addTagsTo(tags *[]string, more ...string)`
fn add_tags_to(tags: &mut Tags, more: &[&'static str]) {
    *tags = tags.append(more.iter().copied());
}

/// `go run ./slices/cmd/fixes`
pub fn fixes(out: &mut dyn Write) -> io::Result<()> {
    let mut tags = Tags::nil();
    tags = add_tags(tags, &["go"]);
    add_tags_to(&mut tags, &["rust"]);
    println_go!(out, "tags:", tags)?;

    let a = GoSlice::<i64>::from([1, 2]).append([3]); // len 3, cap 4

    // ANCHOR: fix_full_slice
    let b = a.slice3(0, a.len(), a.len()).append([4]);
    let c = a.slice3(0, a.len(), a.len()).append([5]);
    // ANCHOR_END: fix_full_slice
    println_go!(
        out,
        "full slice expression:",
        b,
        c,
        "shared:",
        b.addr(0) == c.addr(0)
    )?;

    // ANCHOR: fix_clone
    let d = clone(&a).append([4]);
    let e = clone(&a).append([5]);
    // ANCHOR_END: fix_clone
    println_go!(
        out,
        "slices.Clone:         ",
        d,
        e,
        "shared:",
        d.addr(0) == e.addr(0)
    )?;

    println_go!(out, "a is untouched:       ", a)
}

/// `go run ./slices/cmd/growth`
pub fn growth(out: &mut dyn Write) -> io::Result<()> {
    let mut s = GoSlice::<i64>::nil();
    let mut prev = 0;
    for i in 1..=2000 {
        s = s.append([i]);
        if s.cap() == prev {
            continue; // appended in place
        }
        if prev == 0 {
            writeln!(out, "len {:4}  cap {:4}", s.len(), s.cap())?;
        } else {
            let factor = s.cap() as f64 / prev as f64;
            writeln!(out, "len {:4}  cap {:4}  x{factor:.2}", s.len(), s.cap())?;
        }
        prev = s.cap();
    }
    Ok(())
}

// The five programs of exercise `slice_predict`. Each prints what the Go
// function of the same name prints; the learner predicts it.

fn zero_first(s: GoSlice<i64>) {
    s.set(0, 0);
}

#[allow(unused_assignments)] // the point of the puzzle: Go's `s = append(s, 4)` is lost
fn add_four(mut s: GoSlice<i64>) {
    s = s.append([4]);
}

/// Puzzle 1: a callee writes an element, then appends.
pub fn puzzle1(out: &mut dyn Write) -> io::Result<()> {
    let s = GoSlice::<i64>::from([1, 2, 3]);
    zero_first(s.clone());
    add_four(s.clone());
    println_go!(out, s, s.len(), s.cap())
}

/// Puzzle 2: two appends to a slice with spare capacity.
pub fn puzzle2(out: &mut dyn Write) -> io::Result<()> {
    let s = GoSlice::<i64>::make(3, 10);
    let a = s.append([1]);
    let b = s.append([2]);
    println_go!(out, a, b)
}

/// Puzzle 3: append to a re-slice of the middle of an array.
pub fn puzzle3(out: &mut dyn Write) -> io::Result<()> {
    let s = GoSlice::<i64>::from([1, 2, 3, 4, 5]);
    let t = s.slice(1, 3);
    let t = t.append([99]);
    println_go!(out, s, t, t.len(), t.cap())
}

/// Puzzle 4: the same with a full slice expression.
pub fn puzzle4(out: &mut dyn Write) -> io::Result<()> {
    let s = GoSlice::<i64>::from([1, 2, 3, 4, 5]);
    let t = s.slice3(1, 3, 3);
    let t = t.append([99]);
    t.set(0, 0);
    println_go!(out, s, t, t.len(), t.cap())
}

/// Puzzle 5: capacities after growing from a literal.
pub fn puzzle5(out: &mut dyn Write) -> io::Result<()> {
    let s = GoSlice::<i64>::from([1, 2, 3]);
    let s = s.append([4]);
    println_go!(out, s.len(), s.cap())?;
    let s = s.append([5, 6, 7]);
    println_go!(out, s.len(), s.cap())
}

/// The puzzles of exercise `slice_predict`, in order.
pub const PUZZLES: [Program; 5] = [puzzle1, puzzle2, puzzle3, puzzle4, puzzle5];

/// `go run ./slices/cmd/predict`: every puzzle under a `-- puzzle N` line.
pub fn predict(out: &mut dyn Write) -> io::Result<()> {
    for (i, puzzle) in PUZZLES.iter().enumerate() {
        writeln!(out, "-- puzzle {}", i + 1)?;
        puzzle(out)?;
    }
    Ok(())
}

/// What a program prints, as text.
pub fn output_of(program: Program) -> String {
    let mut out = Vec::new();
    program(&mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the programs print UTF-8")
}
