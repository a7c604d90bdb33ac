//! Exercise `rayon_port` (chapter 6): port an errgroup fan-out to rayon.
//!
//! This is Go's `fanout.ByChannel` translated line by line: every record is
//! checksummed on rayon's pool, each result is pushed into a shared `Vec` as
//! it finishes (Go: a send on a channel), and the first error is kept (Go:
//! `errgroup`'s first error). It inherited both of the Go version's problems.
//!
//! Grade it: `cargo test -p exercises rayon_port`

use std::sync::Mutex;

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
    let results = Mutex::new(Vec::new()); // Go: results := make(chan uint64, n)
    let first_error = Mutex::new(None); // Go: errgroup keeps the first error
    records
        .par_iter()
        .for_each(|record| match checksum(record) {
            Ok(sum) => results.lock().unwrap().push(sum),
            Err(e) => {
                first_error.lock().unwrap().get_or_insert(e);
            }
        });
    if let Some(e) = first_error.into_inner().unwrap() {
        return Err(e);
    }
    Ok(results.into_inner().unwrap())
}
