//! `GoSlice<T>`: Go's slice semantics, reproduced in Rust, so that the book's
//! Go programs can be replayed, checked against the real Go output, and turned
//! into exercises.
//!
//! A Go slice is a header of three words: a pointer into a backing array, a
//! length and a capacity. Like every Go value it is copied on assignment and on
//! every call. `GoSlice` holds the same three things: a shared backing array
//! (`Arc<Mutex<Vec<T>>>`), an offset into it (the pointer), `len` and `cap`.
//! Its `Clone` copies the header, as Go's `b := a` does: both headers see the
//! same array.
//!
//! | Go | `GoSlice` |
//! | --- | --- |
//! | `[]int{1, 2, 3}` | `GoSlice::<i64>::from([1, 2, 3])` |
//! | `make([]int, 3, 10)` | `GoSlice::<i64>::make(3, 10)` |
//! | `var s []int` | `GoSlice::<i64>::nil()` |
//! | `len(s)`, `cap(s)` | `s.len()`, `s.cap()` |
//! | `s[i]`, `s[i] = v` | `s.get(i)`, `s.set(i, v)` |
//! | `s = append(s, x, y)` | `s = s.append([x, y])` |
//! | `s = append(s, t...)` | `s = s.append(t.to_vec())` |
//! | `s[lo:hi]` | `s.slice(lo, hi)` |
//! | `s[lo:hi:max]` | `s.slice3(lo, hi, max)` |
//! | `b := s`, `f(s)` | `let b = s.clone()`, `f(s.clone())`: the header is copied |
//! | `slices.Clone(s)` | [`clone`]`(&s)` |
//! | `copy(dst, src)` | [`copy`]`(&dst, &src)` |
//! | `&a[i] == &b[j]` | `a.addr(i) == b.addr(j)` |
//! | `fmt.Println(s)` | `println!("{s}")`, which prints `[1 2 3]` |
//! | `unsafe.Sizeof(s)` | `<GoSlice<T> as GoType>::GO_SIZE`, which is 24 |
//!
//! ```
//! use goslice::GoSlice;
//!
//! let a = GoSlice::<i64>::from([1, 2]).append([3]); // len 3, cap 4
//! let b = a.append([4]); // fits: writes a's array
//! let c = a.append([5]); // fits too: writes the same slot
//! assert_eq!(format!("{b} {c}"), "[1 2 3 5] [1 2 3 5]");
//! ```
//!
//! # Growth
//!
//! When `append` needs more room than `cap`, it allocates a new array and
//! copies, with the capacity Go 1.23's `runtime.growslice` picks on a 64-bit
//! machine ([`runtime::grow_cap`]): first `nextslicecap` (double below 256
//! elements, then add `(newcap + 768) / 4` until the new length fits), then
//! `roundupsize`: the byte size goes up to the allocator's next size class
//! (68 classes up to 32 KiB, whole 8 KiB pages above), with 8 bytes of malloc
//! header for element types with pointers above 512 bytes. So the element type
//! matters, and each Rust type here stands for one Go type ([`GoType`]): `i64`
//! for `int`, `i32` for `int32`, `u8` for `byte`, `&str` and `String` for
//! `string`. The growth sequences of `int`, `int32`, `byte` and `string` up to
//! 100 000 elements are tested against a real Go 1.23 run
//! (`testdata/growth_types.go`).
//!
//! # Limits
//!
//! - Sizes and growth are those of a 64-bit Go (`linux/amd64`).
//! - A nil slice and an empty one are not told apart (Go prints both as `[]`).
//! - `Display` matches `fmt.Println` for integers, bools, strings and nested
//!   slices; floats use Rust's formatting.
//! - No data races: each backing array has its own mutex, so a `GoSlice` can be
//!   sent to another thread, but concurrent appends are serialised, not racy.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

pub mod programs;
pub mod runtime;

/// `fmt.Println(a, b, c)` into an `io::Write`: the operands' `Display`, with a
/// space between each two, and a newline.
///
/// ```
/// use std::io::Write; // `println_go!` is a `writeln!`
///
/// let mut out = Vec::new();
/// let s = goslice::GoSlice::<i64>::from([1, 2]);
/// goslice::println_go!(out, "s:", s, "len", s.len()).unwrap();
/// assert_eq!(out, b"s: [1 2] len 2\n");
/// ```
#[macro_export]
macro_rules! println_go {
    ($out:expr $(, $arg:expr)* $(,)?) => {{
        let parts: ::std::vec::Vec<::std::string::String> =
            ::std::vec![$(::std::format!("{}", $arg)),*];
        ::std::writeln!($out, "{}", parts.join(" "))
    }};
}

/// The Go type a Rust element type stands for: its size and whether it holds
/// pointers, which is what Go's `append` needs to pick a new capacity.
pub trait GoType: Clone + Default {
    /// `unsafe.Sizeof` of the Go type on a 64-bit machine.
    const GO_SIZE: usize;
    /// Whether the Go type holds pointers (strings, slices, pointers, maps).
    const GO_POINTERS: bool;
}

macro_rules! go_type {
    ($($rust:ty => $size:expr, $pointers:expr;)*) => {
        $(impl GoType for $rust {
            const GO_SIZE: usize = $size;
            const GO_POINTERS: bool = $pointers;
        })*
    };
}

go_type! {
    i64 => 8, false;    // int, int64
    u64 => 8, false;    // uint64
    isize => 8, false;  // int
    usize => 8, false;  // uint
    i32 => 4, false;    // int32 (and rune)
    u32 => 4, false;    // uint32
    i16 => 2, false;    // int16
    u16 => 2, false;    // uint16
    i8 => 1, false;     // int8
    u8 => 1, false;     // byte
    bool => 1, false;   // bool
    f64 => 8, false;    // float64
    f32 => 4, false;    // float32
    String => 16, true; // string: pointer and length
    &str => 16, true;   // string
}

impl<T: GoType> GoType for GoSlice<T> {
    /// A slice header: pointer, length, capacity.
    const GO_SIZE: usize = 24;
    const GO_POINTERS: bool = true;
}

/// A Go slice: a view (offset, `len`, `cap`) of a backing array that other
/// slices may share. Cloning copies the header, not the array.
pub struct GoSlice<T> {
    array: Arc<Mutex<Vec<T>>>,
    offset: usize,
    len: usize,
    cap: usize,
}

/// The address of one element, `&s[i]` in Go: equal for two slices exactly
/// when they reach the same slot of the same array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Addr {
    array: usize,
    index: usize,
}

impl<T> Clone for GoSlice<T> {
    /// Copies the header, as Go's assignment does: both share one array.
    fn clone(&self) -> Self {
        GoSlice {
            array: Arc::clone(&self.array),
            offset: self.offset,
            len: self.len,
            cap: self.cap,
        }
    }
}

impl<T: GoType> Default for GoSlice<T> {
    /// The zero value of a slice type: nil, length and capacity 0.
    fn default() -> Self {
        GoSlice::nil()
    }
}

impl<T: GoType> GoSlice<T> {
    fn with_array(array: Vec<T>, len: usize) -> Self {
        let cap = array.len();
        GoSlice {
            array: Arc::new(Mutex::new(array)),
            offset: 0,
            len,
            cap,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<T>> {
        self.array.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `var s []T`: no array, length and capacity 0.
    pub fn nil() -> Self {
        GoSlice::with_array(Vec::new(), 0)
    }

    /// `make([]T, len, cap)`: a new array of `cap` zero values, of which the
    /// first `len` are in the slice.
    pub fn make(len: usize, cap: usize) -> Self {
        if len > cap {
            panic!("runtime error: makeslice: cap out of range");
        }
        GoSlice::with_array(vec![T::default(); cap], len)
    }

    /// A slice literal, `[]T{a, b, c}`: length and capacity are the number of
    /// elements.
    pub fn from_vec(elems: Vec<T>) -> Self {
        let len = elems.len();
        GoSlice::with_array(elems, len)
    }

    /// `len(s)`.
    pub fn len(&self) -> usize {
        self.len
    }

    /// `len(s) == 0`.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `cap(s)`: how far the slice may grow in its array without a copy.
    pub fn cap(&self) -> usize {
        self.cap
    }

    #[track_caller]
    fn check_index(&self, i: usize) {
        if i >= self.len {
            panic!(
                "runtime error: index out of range [{i}] with length {}",
                self.len
            );
        }
    }

    /// `s[i]`.
    #[track_caller]
    pub fn get(&self, i: usize) -> T {
        self.check_index(i);
        self.lock()[self.offset + i].clone()
    }

    /// `s[i] = v`: writes the shared array, so every slice that sees slot `i`
    /// sees `v`. It takes `&self` because in Go a copy of the header writes the
    /// same array.
    #[track_caller]
    pub fn set(&self, i: usize, v: T) {
        self.check_index(i);
        let at = self.offset + i;
        self.lock()[at] = v;
    }

    /// `&s[i]`, to compare with another slice's element address.
    #[track_caller]
    pub fn addr(&self, i: usize) -> Addr {
        self.check_index(i);
        Addr {
            array: Arc::as_ptr(&self.array) as *const () as usize,
            index: self.offset + i,
        }
    }

    /// Whether the two headers point into the same backing array (something Go
    /// shows only through element addresses).
    pub fn shares_array_with(&self, other: &GoSlice<T>) -> bool {
        Arc::ptr_eq(&self.array, &other.array)
    }

    /// The elements `s[0:len(s)]`, copied out.
    pub fn to_vec(&self) -> Vec<T> {
        self.lock()[self.offset..self.offset + self.len].to_vec()
    }

    /// `append(s, items...)`: returns a new header and leaves `self` as it was,
    /// exactly like Go, so the result must be stored (`s = s.append([x])`).
    ///
    /// If the items fit in `cap`, they are written into the shared array just
    /// past `len` (overwriting whatever another slice keeps there) and the
    /// result shares the array. Otherwise a new array is allocated with the
    /// capacity Go 1.23 picks ([`runtime::grow_cap`]), the old elements are
    /// copied, and the result shares nothing with `self`.
    #[must_use = "append returns the new slice and leaves the old header unchanged: write `s = s.append(..)`"]
    pub fn append(&self, items: impl IntoIterator<Item = T>) -> GoSlice<T> {
        // Read the items first: `append(s[:1], s...)` reads before it writes.
        let items: Vec<T> = items.into_iter().collect();
        let new_len = self.len + items.len();
        if new_len <= self.cap {
            {
                let mut array = self.lock();
                let start = self.offset + self.len;
                for (slot, item) in array[start..].iter_mut().zip(items) {
                    *slot = item;
                }
            }
            return GoSlice {
                len: new_len,
                ..self.clone()
            };
        }
        let new_cap = runtime::grow_cap(new_len, self.cap, T::GO_SIZE, T::GO_POINTERS);
        let mut array = Vec::with_capacity(new_cap);
        array.extend_from_slice(&self.lock()[self.offset..self.offset + self.len]);
        array.extend(items);
        array.resize(new_cap, T::default());
        GoSlice::with_array(array, new_len)
    }

    /// `s[lo:hi]`: a view of the same array from `lo`, with length `hi - lo`
    /// and capacity `cap(s) - lo`. `hi` may go past `len(s)`, up to `cap(s)`.
    #[track_caller]
    pub fn slice(&self, lo: usize, hi: usize) -> GoSlice<T> {
        if hi > self.cap {
            panic!(
                "runtime error: slice bounds out of range [:{hi}] with capacity {}",
                self.cap
            );
        }
        if lo > hi {
            panic!("runtime error: slice bounds out of range [{lo}:{hi}]");
        }
        self.view(lo, hi, self.cap)
    }

    /// `s[lo:hi:max]`, the full slice expression: like `s[lo:hi]`, but the
    /// capacity is `max - lo`, so an `append` past `hi..max` must copy instead of
    /// writing the rest of the array.
    #[track_caller]
    pub fn slice3(&self, lo: usize, hi: usize, max: usize) -> GoSlice<T> {
        if max > self.cap {
            panic!(
                "runtime error: slice bounds out of range [::{max}] with capacity {}",
                self.cap
            );
        }
        if hi > max {
            panic!("runtime error: slice bounds out of range [:{hi}:{max}]");
        }
        if lo > hi {
            panic!("runtime error: slice bounds out of range [{lo}:{hi}:]");
        }
        self.view(lo, hi, max)
    }

    fn view(&self, lo: usize, hi: usize, max: usize) -> GoSlice<T> {
        GoSlice {
            array: Arc::clone(&self.array),
            offset: self.offset + lo,
            len: hi - lo,
            cap: max - lo,
        }
    }
}

impl<T: GoType, const N: usize> From<[T; N]> for GoSlice<T> {
    /// A slice literal: `GoSlice::<i64>::from([1, 2, 3])` is `[]int{1, 2, 3}`.
    fn from(elems: [T; N]) -> Self {
        GoSlice::from_vec(elems.into())
    }
}

impl<T: GoType> From<Vec<T>> for GoSlice<T> {
    fn from(elems: Vec<T>) -> Self {
        GoSlice::from_vec(elems)
    }
}

/// `slices.Clone(s)`, which Go 1.23 defines as `append(s[:0:0], s...)`: a new
/// array holding a copy of the elements, with whatever capacity `append` picks
/// for them (a clone of 5 ints has capacity 6).
pub fn clone<T: GoType>(s: &GoSlice<T>) -> GoSlice<T> {
    s.slice3(0, 0, 0).append(s.to_vec())
}

/// `copy(dst, src)`: copies `min(len(dst), len(src))` elements and returns how
/// many. The slices may overlap.
pub fn copy<T: GoType>(dst: &GoSlice<T>, src: &GoSlice<T>) -> usize {
    let n = dst.len.min(src.len);
    let from: Vec<T> = src.lock()[src.offset..src.offset + n].to_vec();
    let mut array = dst.lock();
    array[dst.offset..dst.offset + n].clone_from_slice(&from);
    n
}

impl<T: GoType + fmt::Display> fmt::Display for GoSlice<T> {
    /// `fmt.Println(s)`: `[1 2 3]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, x) in self.to_vec().iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{x}")?;
        }
        f.write_str("]")
    }
}

impl<T: GoType + fmt::Debug> fmt::Debug for GoSlice<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoSlice")
            .field("len", &self.len)
            .field("cap", &self.cap)
            .field("elems", &self.to_vec())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(v: &[i64]) -> GoSlice<i64> {
        GoSlice::from_vec(v.to_vec())
    }

    #[test]
    fn a_literal_has_len_and_cap_of_its_elements() {
        let s = ints(&[1, 2, 3]);
        assert_eq!((s.len(), s.cap(), s.to_string()), (3, 3, "[1 2 3]".into()));
    }

    #[test]
    fn append_past_cap_copies_into_a_new_array() {
        let a = ints(&[1, 2, 3]);
        let b = a.append([4]);
        assert!(!a.shares_array_with(&b));
        assert_eq!((b.len(), b.cap()), (4, 6));
        b.set(0, 9);
        assert_eq!(a.to_string(), "[1 2 3]");
    }

    #[test]
    fn append_within_cap_writes_the_shared_array() {
        let s = GoSlice::<i64>::make(3, 10);
        let a = s.append([1]);
        let b = s.append([2]);
        assert_eq!(format!("{a} {b}"), "[0 0 0 2] [0 0 0 2]");
        assert_eq!(a.addr(3), b.addr(3));
        assert_eq!(s.len(), 3, "append leaves the old header alone");
    }

    #[test]
    fn a_reslice_sees_the_same_array_up_to_cap() {
        let s = ints(&[1, 2, 3, 4, 5]);
        let t = s.slice(1, 3);
        assert_eq!((t.len(), t.cap()), (2, 4));
        let t = t.append([99]);
        assert_eq!(format!("{s} {t}"), "[1 2 3 99 5] [2 3 99]");
        assert_eq!(s.slice(0, 0).slice(0, 5).to_string(), "[1 2 3 99 5]");
    }

    #[test]
    fn a_full_slice_expression_limits_cap() {
        let s = ints(&[1, 2, 3, 4, 5]);
        let t = s.slice3(1, 3, 3).append([99]);
        t.set(0, 0);
        assert_eq!(format!("{s} {t} {}", t.cap()), "[1 2 3 4 5] [0 3 99] 4");
    }

    #[test]
    fn clone_copies_with_appends_capacity() {
        let caps: Vec<usize> = (0..=8)
            .map(|n| clone(&GoSlice::<i64>::make(n, n)).cap())
            .collect();
        // Measured with Go 1.23: cap(slices.Clone(make([]int, n))).
        assert_eq!(caps, [0, 1, 2, 3, 4, 6, 6, 8, 8]);
    }

    #[test]
    fn appending_several_items_grows_once() {
        // Measured with Go 1.23: append([]int{1,2,3}, 4, 5, 6, 7, 8) has
        // len 8 cap 8; append([]int(nil), 1, 2, 3, 4, 5) has len 5 cap 6.
        let a = ints(&[1, 2, 3]).append([4, 5, 6, 7, 8]);
        assert_eq!((a.len(), a.cap()), (8, 8));
        let b = GoSlice::<i64>::nil().append([1, 2, 3, 4, 5]);
        assert_eq!((b.len(), b.cap()), (5, 6));
    }

    #[test]
    fn append_of_a_slice_to_itself_reads_before_writing() {
        let s = ints(&[1, 2, 3]);
        let t = s.slice(0, 1).append(s.to_vec());
        assert_eq!(t.to_string(), "[1 1 2 3]");
    }

    #[test]
    fn copy_copies_the_shorter_length() {
        let dst = GoSlice::<i64>::make(2, 2);
        assert_eq!(copy(&dst, &ints(&[7, 8, 9])), 2);
        assert_eq!(dst.to_string(), "[7 8]");
    }

    #[test]
    fn strings_and_nested_slices_print_like_go() {
        let tags = GoSlice::<&str>::from(["go", "rust"]);
        let nested = GoSlice::from([ints(&[1, 2]), ints(&[])]);
        assert_eq!(format!("{tags} {nested}"), "[go rust] [[1 2] []]");
    }

    #[test]
    #[should_panic(expected = "index out of range [3] with length 3")]
    fn indexing_past_len_panics_like_go() {
        let _ = ints(&[1, 2, 3]).get(3);
    }

    #[test]
    #[should_panic(expected = "slice bounds out of range [:5] with capacity 4")]
    fn slicing_past_cap_panics_like_go() {
        let _ = ints(&[1, 2, 3, 4]).slice(0, 5);
    }

    #[test]
    #[should_panic(expected = "slice bounds out of range [:3:2]")]
    fn a_full_slice_expression_needs_hi_up_to_max() {
        let _ = ints(&[1, 2, 3, 4]).slice3(0, 3, 2);
    }
}
