//! Chapter 5: "Go only passes by value" vs moves and borrows. The Rust side of
//! the Go programs in `go/value/`: what a move, a `Copy`, a `clone` and a
//! borrow copy or share, receivers that say what they do, changing elements
//! in place, locks that own their data, and closures over loop variables.
//! The Go mistakes that Rust rejects are in [`rejected`].

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::{Arc, Mutex};
use std::thread;

/// A plain pair of numbers, like Go's `Point`: `Copy`, because copying its
/// bytes is all a copy of it can mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: i64,
    pub y: i64,
}

/// `cargo run -p listings --example value_copies`: the Rust side of
/// `go/value/cmd/copies`.
pub fn copies(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: sizes
    writeln!(out, "how many bytes a move or a copy takes (64-bit):")?;
    writeln!(out, "  Point                {}", size_of::<Point>())?; // pair: point
    writeln!(out, "  [i64; 4]             {}", size_of::<[i64; 4]>())?; // pair: array
    writeln!(out, "  Vec<i64>             {}", size_of::<Vec<i64>>())?; // pair: slice
    writeln!(out, "  String               {}", size_of::<String>())?;
    writeln!(
        out,
        "  HashMap<String, i64> {}", // pair: map
        size_of::<HashMap<String, i64>>()
    )?;
    writeln!(
        out,
        "    of which RandomState {}",
        size_of::<std::hash::RandomState>()
    )?;
    writeln!(
        out,
        "  Arc<Mutex<HashMap<String, i64>>> {}",
        size_of::<Arc<Mutex<HashMap<String, i64>>>>()
    )?;
    writeln!(out, "  &Point               {}", size_of::<&Point>())?; // pair: pointer
    writeln!(out, "  Box<Point>           {}", size_of::<Box<Point>>())?;
    // ANCHOR_END: sizes

    // ANCHOR: copies
    let p = Point { x: 1, y: 2 };
    let mut q = p; // Copy: both stay usable
    q.x = 100;
    writeln!(out, "Copy:      {p:?} {q:?}")?;

    let v = vec![1, 2, 3];
    let mut w = v.clone(); // Clone: a new buffer, said out loud
    w[0] = 100;
    writeln!(out, "clone:     {v:?} {w:?}")?;

    let copied = v.to_vec(); // also a new buffer: from any slice
    let mut extended = Vec::with_capacity(v.len());
    extended.extend_from_slice(&v); // and so is copying into a Vec of your own
    writeln!(
        out,
        "to_vec:    {copied:?}, extend_from_slice: {extended:?}"
    )?;

    let moved = w; // a move: `w` is gone, `moved` owns the buffer
    writeln!(out, "move:      {moved:?}")?;

    let mut shared = vec![1, 2, 3];
    let view = &mut shared; // a borrow: the one buffer, lent
    view[0] = 100;
    writeln!(out, "&mut:      {shared:?}")?;

    let mut counts = HashMap::from([("a", 1)]);
    let table = &mut counts;
    table.insert("a", 100);
    writeln!(out, "map &mut:  {counts:?}")?;
    // ANCHOR_END: copies
    Ok(())
}

// ANCHOR: receivers
/// Counter counts hits; each receiver says what the method may do.
#[derive(Debug, Default)]
pub struct Counter {
    hits: u64,
}

impl Counter {
    /// `&mut self`: Go's pointer receiver, changes the caller's counter.
    pub fn inc(&mut self) {
        self.hits += 1; // pair: inc ^pointer-receiver
    }

    /// `&self`: reads only; `self.hits += 1` here would not compile.
    pub fn hits(&self) -> u64 {
        self.hits
    }

    /// `self`: takes the counter over and hands back a new one.
    pub fn bumped(mut self) -> Counter {
        self.hits += 1;
        self
    }
}
// ANCHOR_END: receivers

// ANCHOR: copy_receiver
/// The Go bug, rebuilt: a `Copy` type with a by-value receiver. It
/// compiles, and `inc` changes a copy, as in Go. `#[must_use]` cannot warn
/// here, since `inc` returns nothing to ignore; it helps only a method that
/// hands the new value back (`fn inc(self) -> Self`) and is called for nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct CopyCounter {
    pub hits: u64,
}

impl CopyCounter {
    pub fn inc(mut self) {
        self.hits += 1;
    }
}
// ANCHOR_END: copy_receiver

/// `cargo run -p listings --example value_receivers`: the Rust side of
/// `go/value/cmd/receiver`.
pub fn receivers(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: receivers_main
    let mut c = Counter::default();
    c.inc(); // Rust takes &mut c for you, because c is `let mut`
    c.inc();
    writeln!(out, "&mut self:     {}", c.hits())?;

    let c = c.bumped(); // moved in, moved back out
    writeln!(out, "self -> Self:  {}", c.hits())?;

    let copied = CopyCounter::default();
    copied.inc(); // a copy of `copied` is changed and dropped
    writeln!(out, "Copy + self:   {}", copied.hits)?;

    let mut counters = HashMap::from([("a", Counter::default())]);
    if let Some(a) = counters.get_mut("a") {
        a.inc(); // the counter in the map itself
    }
    writeln!(out, "get_mut:       {}", counters["a"].hits())?;
    // ANCHOR_END: receivers_main
    Ok(())
}

/// A stock line, like Go's `Item`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub name: &'static str,
    pub n: u32,
}

/// `cargo run -p listings --example value_in_place`: the Rust side of
/// `go/value/cmd/rangecopy`.
pub fn in_place(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: in_place
    let mut items = vec![Item { name: "pen", n: 1 }, Item { name: "ink", n: 2 }];
    for it in &mut items {
        it.n += 1; // `it` is a `&mut Item`: the element itself
    }
    writeln!(out, "for &mut:    {items:?}")?;

    let mut stock = HashMap::from([("pen", Item { name: "pen", n: 1 })]); // pair: map
    if let Some(pen) = stock.get_mut("pen") {
        pen.n += 1; // pair: change-in-map ^change-in-map
    }
    writeln!(out, "get_mut:     {:?}", stock["pen"])?;

    let mut seen: HashMap<&str, u32> = HashMap::new();
    for word in ["go", "rust", "go"] {
        *seen.entry(word).or_insert(0) += 1; // insert or change, one lookup
    }
    writeln!(out, "entry:       go={} rust={}", seen["go"], seen["rust"])?;
    // ANCHOR_END: in_place
    Ok(())
}

// ANCHOR: stats
/// Go's `Stats{mu sync.Mutex; hits int}`: here the mutex owns the count,
/// so the count cannot be reached without the lock.
#[derive(Debug, Default)]
pub struct Stats {
    hits: Mutex<u64>, // pair: lock
}

impl Stats {
    /// `&self` is enough: the lock hands out the `&mut u64`.
    pub fn hit(&self) {
        *self.hits.lock().unwrap() += 1; // pair: count ^receiver
    }

    pub fn hits(&self) -> u64 {
        *self.hits.lock().unwrap()
    }
}
// ANCHOR_END: stats

/// `cargo run -p listings --example value_locks`: the Rust side of
/// `go/value/testdata/copylock`.
pub fn locks(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: locks_main
    let stats = Stats::default();
    thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| (0..1000).for_each(|_| stats.hit())); // all borrow `stats`
        }
    });
    writeln!(out, "4 threads x 1000 hits: {}", stats.hits())?;

    let shared = Arc::new(Stats::default());
    let handle = Arc::clone(&shared); // a second owner of the same Stats
    handle.hit();
    writeln!(out, "hit through a clone of the Arc: {}", shared.hits())?;
    // ANCHOR_END: locks_main
    Ok(())
}

/// `cargo run -p listings --example value_closures`: the Rust side of
/// `go/value/cmd/loopvar`.
pub fn closures(out: &mut dyn Write) -> io::Result<()> {
    // ANCHOR: closures
    let mut prints: Vec<Box<dyn Fn() -> u32>> = Vec::new(); // pair: closures
    for i in 0..3 {
        prints.push(Box::new(move || i)); // each closure owns its own copy of i // pair: capture ^loop
    }
    let seen: Vec<u32> = prints.iter().map(|p| p()).collect(); // pair: call
    writeln!(out, "closures:  {seen:?}")?;

    let names = vec![String::from("a"), String::from("b")];
    let lengths = thread::scope(|s| {
        let workers: Vec<_> = names
            .iter()
            .map(|name| s.spawn(move || name.len())) // moves the &String in, not the String
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap())
            .collect::<Vec<_>>()
    });
    writeln!(out, "threads:   {lengths:?}, names still here: {names:?}")?;
    // ANCHOR_END: closures
    Ok(())
}

/// Code the book shows that the compiler must reject, each with the error
/// code the book states (the book includes these files). As in chapter 4, a
/// test compiles each with `rustc` and requires exactly that one code.
pub mod rejected {
    rejected! {
        "value";
        /// A `String` used after it was moved.
        used_after_move => "E0382";
        /// `Copy` on a struct with a `String` in it.
        copy_string => "E0204";
        /// A `&self` method that changes a field.
        inc_shared => "E0594";
        /// Changing elements through `for it in &items`.
        range_shared => "E0594";
        /// Changing a map value through `map[key]`.
        map_index => "E0594";
        /// `derive(Clone)` on a struct that holds a `Mutex`.
        clone_lock => "E0277";
        /// A thread's closure that borrows the loop variable.
        spawn_borrow => "E0373";
        /// Go's `Site`: a lock per copy, one table shared by `Arc`.
        site_one_table_n_locks => "E0596";
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_rejected_listing_fails_with_exactly_its_code() {
        let problems = crate::compile_fail::wrong_codes("value", super::rejected::LISTINGS);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
