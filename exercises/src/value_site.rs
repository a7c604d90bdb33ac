//! Exercise `value_site`: one table, one lock.
//!
//! The Go service counts page views in a struct that holds its lock and its
//! table, with a value receiver, and hands each worker a copy of it:
//!
//! ```go
//! type Site struct {
//!     mu    sync.Mutex
//!     views map[string]int
//! }
//!
//! func (s Site) View(page string) { // go vet: View passes lock by value
//!     s.mu.Lock() // the copy's lock
//!     defer s.mu.Unlock()
//!     s.views[page]++ // the one table
//! }
//!
//! for w := 0; w < workers; w++ {
//!     go work(site) // a copy: a lock of its own, the same map
//! }
//! ```
//!
//! A Go map value is a pointer to its table, so every copy of `Site` writes
//! the same table, each under its own lock: a data race (`go run -race`
//! reports it, chapter 5 shows the report). Safe Rust cannot write that
//! layout: a table shared by an `Arc` is read-only, and a `Mutex` hands out
//! `&mut` only to what it owns (the chapter's E0596 listing).
//!
//! Below is a port that reads the Go copies as copies of everything, which is
//! what `clone` of a `Mutex<HashMap<..>>` gives in Rust (but not what a copy
//! of a Go struct gives: there the map is shared). `clone` hands a worker its
//! own table behind its own lock, and `view` counts into a copy of the table
//! and drops it. No race, and no count: it compiles, runs, and counts nothing.
//!
//! Grade it: `cargo test -p exercises value_site`

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A handle on a table of page views; `Site::default()` starts an empty one.
#[derive(Default)]
pub struct Site {
    views: Arc<Mutex<HashMap<String, u64>>>,
}

/// The port's reading of Go's `go work(site)`: a copy of the lock *and* the table.
impl Clone for Site {
    fn clone(&self) -> Site {
        let table = self.views.lock().unwrap().clone();
        Site {
            views: Arc::new(Mutex::new(table)),
        }
    }
}

impl Site {
    /// The port's reading of Go's value receiver: counts into a copy of the table.
    pub fn view(&self, page: &str) {
        let mut views = self.views.lock().unwrap().clone();
        *views.entry(page.to_string()).or_insert(0) += 1;
    }

    /// How many times `page` was viewed (0 if never).
    pub fn views(&self, page: &str) -> u64 {
        self.views.lock().unwrap().get(page).copied().unwrap_or(0)
    }
}
