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
//! Reference solution: a handle is an `Arc` of the one mutex-guarded table,
//! so the derived `Clone` clones the `Arc` (a second owner of the same table,
//! not a copy of it). `view` changes the count in place through the guard,
//! with `entry`, in one critical section.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Site {
    views: Arc<Mutex<HashMap<String, u64>>>,
}

impl Site {
    pub fn view(&self, page: &str) {
        let mut views = self.views.lock().unwrap();
        *views.entry(page.to_string()).or_insert(0) += 1;
    }

    pub fn views(&self, page: &str) -> u64 {
        self.views.lock().unwrap().get(page).copied().unwrap_or(0)
    }
}
