// ANCHOR: rc_to_thread
use std::rc::Rc;
use std::thread;

fn main() {
    let rows = Rc::new(vec![1u64, 2, 3]); // Rc's count is not atomic
    // error[E0277]: `Rc<Vec<u64>>` cannot be sent between threads safely
    let handle = thread::spawn(move || rows.iter().sum::<u64>());
    println!("{}", handle.join().unwrap());
}
// ANCHOR_END: rc_to_thread
