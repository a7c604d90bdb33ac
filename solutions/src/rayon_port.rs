//! Exercise `rayon_port` (chapter 6): port an errgroup fan-out to rayon.
//!
//! `collect` into a `Result<Vec<_>, _>` does what Go needs an indexed slice,
//! `SetLimit` and `WithContext` for: the `Vec` is in record order whatever
//! finishes first, and the first `Err` rayon sees stops it from handing out
//! more records (those already running finish). Reference solution.

use rayon::prelude::*;
use std::fmt;

/// The error of a record whose checksum cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRecord {
    pub record: String,
}

impl fmt::Display for BadRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record {}: corrupt", self.record)
    }
}

impl std::error::Error for BadRecord {}

/// Checksums every record in parallel: the checksums in record order, or the
/// error of a record that failed (no new record is started once one has).
pub fn checksum_all<C>(records: &[String], checksum: C) -> Result<Vec<u64>, BadRecord>
where
    C: Fn(&str) -> Result<u64, BadRecord> + Sync,
{
    records.par_iter().map(|record| checksum(record)).collect()
}
