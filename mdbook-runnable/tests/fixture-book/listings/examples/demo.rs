// ANCHOR: greet
fn greet(names: &[&str]) {
    for n in names {
        println!("hello {n}"); // RUST-MARKER
    }
}
// ANCHOR_END: greet

// ANCHOR: main
fn main() {
    greet(&["ferris"]);
}
// ANCHOR_END: main
