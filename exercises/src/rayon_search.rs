//! Exercise `rayon_search` (chapter 6): early exit with a cancel flag.
//!
//! Each record is a long list of values, and we want any one value that
//! `is_hit` accepts. rayon's `find_map_any` stops handing out records after a
//! hit, and this version even has a flag, but it looks at the flag only
//! before a record: a record already being scanned is scanned to its end.
//!
//! Grade it: `cargo test -p exercises rayon_search`

use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Where a hit is: `records[record][value]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub record: usize,
    pub value: usize,
}

/// Finds a value for which `is_hit` holds, searching the records in
/// parallel; every thread stops within a few values once one has found it.
pub fn find_hit<P>(records: &[Vec<u64>], is_hit: P) -> Option<Hit>
where
    P: Fn(u64) -> bool + Sync,
{
    let found = AtomicBool::new(false);
    records.par_iter().enumerate().find_map_any(|(r, values)| {
        if found.load(Ordering::Relaxed) {
            return None; // someone has a hit: skip this record
        }
        for (v, &value) in values.iter().enumerate() {
            if is_hit(value) {
                found.store(true, Ordering::Relaxed);
                return Some(Hit {
                    record: r,
                    value: v,
                });
            }
        }
        None
    })
}
