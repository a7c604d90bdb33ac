//! Exercise `rayon_bounded_io` (chapter 6): bounded I/O, where rayon is the
//! wrong tool.
//!
//! `limit` scoped threads take the next URL from a shared counter, so exactly
//! `limit` calls run while URLs are left, whatever rayon's pool is doing, and
//! a slow call holds up only its own worker. A failed call sets `failed`;
//! every worker checks it before taking another URL. Reference solution.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
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
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let pages: Vec<Mutex<Option<Result<String, FetchError>>>> =
        urls.iter().map(|_| Mutex::new(None)).collect();
    thread::scope(|s| {
        for _ in 0..limit.max(1) {
            s.spawn(|| {
                while !failed.load(Ordering::SeqCst) {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(url) = urls.get(i) else { break };
                    let page = fetch(url);
                    if page.is_err() {
                        failed.store(true, Ordering::SeqCst);
                    }
                    *pages[i].lock().unwrap() = Some(page);
                }
            });
        }
    });
    let pages: Vec<Option<Result<String, FetchError>>> =
        pages.into_iter().map(|p| p.into_inner().unwrap()).collect();
    // An error if any call failed, else every page in URL order.
    if let Some(e) = pages.iter().flatten().find_map(|p| p.as_ref().err()) {
        return Err(e.clone());
    }
    Ok(pages
        .into_iter()
        .flatten()
        .map(|p| p.expect("no error"))
        .collect())
}
