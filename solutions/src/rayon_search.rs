//! Exercise `rayon_search` (chapter 6): early exit with a cancel flag.
//!
//! `find_map_any` stops handing out records after a hit; the flag, checked
//! before *every value*, stops the records already being scanned. Relaxed is
//! enough: the flag carries no data, only "stop", and a store becomes
//! visible to the other threads promptly. Reference solution.

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
        for (v, &value) in values.iter().enumerate() {
            if found.load(Ordering::Relaxed) {
                return None; // another thread has a hit: stop mid-record
            }
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
