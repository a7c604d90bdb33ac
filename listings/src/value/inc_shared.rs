// Go's value receiver compiles and loses the update. The Rust receiver says
// what the method may do: `&self` only reads, so changing a field is rejected.
struct Counter {
    hits: u64,
}

impl Counter {
    fn inc(&self) {
        self.hits += 1; // E0594: cannot assign to `self.hits`, which is behind a `&` reference
    }
}

fn main() {
    let counter = Counter { hits: 0 };
    counter.inc();
    println!("{}", counter.hits);
}
