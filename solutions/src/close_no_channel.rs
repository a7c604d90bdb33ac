//! Exercise `close_no_channel`: the same job with rayon, and no channel at all.
//!
//! rayon splits the reads between the threads of its pool, and a fallible
//! reduction stops the whole iteration at the first `Err` it sees. No
//! producers, no channel to close, no token: the `Err` is the cancellation.
//! Reference solution.

use rayon::prelude::*;
use std::fmt;

/// The error of a record that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    pub record: usize,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "read record {}: corrupt record", self.record)
    }
}

impl std::error::Error for ReadError {}

/// Reads records `0..records` in parallel with `read` and returns their total,
/// or the error of a failed read, without reading the rest once one has failed.
pub fn total<R>(records: usize, read: R) -> Result<u64, ReadError>
where
    R: Fn(usize) -> Result<u64, ReadError> + Sync,
{
    (0..records)
        .into_par_iter()
        .map(&read)
        // Like `Iterator::try_fold`: the first `Err` stops every thread
        // (items already being read finish; no new one starts).
        .try_reduce(|| 0, |a, b| Ok(a + b))
}
