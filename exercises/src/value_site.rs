//! Exercise `value_site`: the handles that each counted alone.
//!
//! The Go service counts page views in a struct that holds its lock and its
//! table, with value receivers, and hands each worker a copy of it:
//!
//! ```go
//! type Site struct {
//!     mu    sync.Mutex
//!     views map[string]int
//! }
//!
//! func (s Site) View(page string) { // go vet: View passes lock by value
//!     s.mu.Lock()
//!     defer s.mu.Unlock()
//!     v := s.views[page] // a copy of the count...
//!     v++                // ...updated, and never stored back
//! }
//!
//! for w := 0; w < workers; w++ {
//!     go worker(site) // each worker gets a copy: its own lock
//! }
//! ```
//!
//! Below is the Rust port. The mutex owns the table, as a Rust mutex does,
//! but the port copies where Go copied: `clone` gives a worker a copy of the
//! table behind a lock of its own, and `view` updates a copy of the table
//! and drops it. It compiles, runs, and counts nothing.
//!
//! Grade it: `cargo test -p exercises value_site`

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A handle on a table of page views; `Site::default()` starts an empty one.
#[derive(Default)]
pub struct Site {
    views: Arc<Mutex<HashMap<String, u64>>>,
}

/// Go's `worker(site)`: a copy of the struct, lock and all.
impl Clone for Site {
    fn clone(&self) -> Site {
        let table = self.views.lock().unwrap().clone();
        Site {
            views: Arc::new(Mutex::new(table)),
        }
    }
}

impl Site {
    /// Go's `View`: updates a copy of the table.
    pub fn view(&self, page: &str) {
        let mut views = self.views.lock().unwrap().clone();
        *views.entry(page.to_string()).or_insert(0) += 1;
    }

    /// How many times `page` was viewed (0 if never).
    pub fn views(&self, page: &str) -> u64 {
        self.views.lock().unwrap().get(page).copied().unwrap_or(0)
    }
}
