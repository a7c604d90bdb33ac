// Go's `Site` as Go lays it out: every copy has a lock of its own and shares
// the one table. In Rust the table can be shared by an `Arc`, but what an
// `Arc` shares is read-only: other threads may hold it, so there is no `&mut`
// to it. A lock that does not own the table cannot hand one out either.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;

struct Site {
    mu: Mutex<()>,                    // Go's `mu sync.Mutex`: one per copy
    views: Arc<HashMap<String, u64>>, // Go's `views map[string]int`: one table
}

impl Site {
    /// Go's `worker := site`: a lock of its own, the same table.
    fn copy(&self) -> Site {
        Site {
            mu: Mutex::new(()),
            views: Arc::clone(&self.views),
        }
    }

    fn view(&self, page: &str) {
        let _held = self.mu.lock().unwrap(); // this copy's lock
        *self.views.entry(page.to_string()).or_insert(0) += 1; // E0596: cannot borrow data in an `Arc` as mutable
    }
}

fn main() {
    let site = Site {
        mu: Mutex::new(()),
        views: Arc::new(HashMap::new()),
    };
    thread::scope(|s| {
        for _ in 0..2 {
            let worker = site.copy();
            s.spawn(move || worker.view("home"));
        }
    });
}
