// A type may be `Copy` only if all of its fields are: a copy is a plain copy
// of the bytes, and copying a `String`'s bytes would give two owners of one
// buffer. So `Item` cannot be `Copy`; `Clone` is the explicit copy.
#[derive(Clone, Copy)] // E0204: the trait `Copy` cannot be implemented for this type
struct Item {
    name: String,
    n: u32,
}

fn main() {
    let item = Item { name: String::from("pen"), n: 1 };
    let other = item;
    println!("{} {}", other.name, other.n);
}
