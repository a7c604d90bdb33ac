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
//! Reference solution: a handle is an `Arc` of the one mutex-guarded table,
//! so the derived `Clone` clones the `Arc` (a second owner of the same table,
//! not a copy of it), and the one lock comes with it: the layout Go needed,
//! a `*Site` for every worker and a pointer receiver. `view` changes the
//! count in place through the guard, with `entry`, in one critical section.

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
