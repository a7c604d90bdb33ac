// Go rejects `stock["pen"].N++` on a map of structs; so does Rust, for the
// same reason: indexing a map gives read-only access to the value. Use
// `get_mut` or `entry` to change it in place.
use std::collections::HashMap;

struct Item {
    n: u32,
}

fn main() {
    let mut stock = HashMap::from([("pen", Item { n: 1 })]);
    stock["pen"].n += 1; // E0594: cannot assign to data in an index of `HashMap<&str, Item>`
    println!("{}", stock["pen"].n);
}
