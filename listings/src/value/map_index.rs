// Go rejects `stock["pen"].N++` on a map of structs; so does Rust, but not
// for Go's reason. A `&mut` into the map is fine (`get_mut` returns one, and
// the borrow checker keeps the map from growing while it lives); `HashMap`
// implements `Index` and not `IndexMut`, so `map[key]` only reads. Use
// `get_mut` or `entry` to change a value in place.
use std::collections::HashMap;

struct Item {
    n: u32,
}

fn main() {
    let mut stock = HashMap::from([("pen", Item { n: 1 })]);
    stock["pen"].n += 1; // E0594: cannot assign to data in an index of `HashMap<&str, Item>`
    println!("{}", stock["pen"].n);
}
