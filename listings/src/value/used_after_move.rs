// Assigning a `String` moves it: the buffer now has one owner, `copy`, and the
// old name is gone. Go's `b := a` would have copied the header and shared the
// bytes; Rust moves and does not let you read the old name.
fn main() {
    let name = String::from("pen");
    let copy = name;
    println!("{name} {copy}"); // E0382: borrow of moved value: `name`
}
