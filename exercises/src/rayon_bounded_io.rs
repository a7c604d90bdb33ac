//! Exercise `rayon_bounded_io` (chapter 6): bounded I/O, where rayon is the
//! wrong tool.
//!
//! A port of Go's "one goroutine per item": one thread per URL. Go would add
//! `g.SetLimit(limit)`; here nothing uses `limit`, so a batch of 10 000 URLs
//! opens 10 000 connections at once, and a failure stops nothing.
//!
//! Grade it: `cargo test -p exercises rayon_bounded_io`

use std::thread;

use std::fmt;

/// The error of a URL that could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchError {
    pub url: String,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fetch {}: 503 Service Unavailable", self.url)
    }
}

impl std::error::Error for FetchError {}

/// Fetches every URL with `fetch`, at most `limit` calls at once, and returns
/// the pages in URL order, or the error of a failed call (no call is started
/// once one has failed).
pub fn fetch_all<F>(urls: &[&str], limit: usize, fetch: F) -> Result<Vec<String>, FetchError>
where
    F: Fn(&str) -> Result<String, FetchError> + Sync,
{
    let _ = limit; // Go: g.SetLimit(limit)
    thread::scope(|s| {
        let calls: Vec<_> = urls.iter().map(|&url| s.spawn(|| fetch(url))).collect();
        calls
            .into_iter()
            .map(|call| call.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
