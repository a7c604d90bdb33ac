// Go lets `snapshot := s` copy a struct with a `sync.Mutex` in it (`go vet`
// complains, the compiler does not). A Rust `Mutex` is neither `Copy` nor
// `Clone`, so a struct that holds one cannot derive `Clone` either.
use std::sync::Mutex;

#[derive(Clone)]
struct Stats {
    hits: Mutex<u64>, // E0277: the trait bound `std::sync::Mutex<u64>: Clone` is not satisfied
}

fn main() {
    let stats = Stats { hits: Mutex::new(0) };
    let snapshot = stats.clone();
    println!("{:?}", snapshot.hits.lock());
}
