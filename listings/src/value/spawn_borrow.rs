// A thread may outlive the loop, so a closure that only borrows the loop
// variable cannot be handed to `thread::spawn`: the compiler asks for `move`,
// which gives the thread its own copy of `i`.
use std::thread;

fn main() {
    let mut handles = Vec::new();
    for i in 0..3 {
        handles.push(thread::spawn(|| println!("{i}"))); // E0373: closure may outlive the current function
    }
    for handle in handles {
        handle.join().unwrap();
    }
}
