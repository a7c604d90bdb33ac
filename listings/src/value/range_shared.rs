// Go's `for _, it := range items { it.N++ }` changes copies. In Rust,
// `for it in &items` lends each element for reading only, so the change is a
// compile error instead of a silent no-op. `for it in &mut items` works.
struct Item {
    n: u32,
}

fn main() {
    let items = vec![Item { n: 1 }, Item { n: 2 }];
    for it in &items {
        it.n += 1; // E0594: cannot assign to `it.n`, which is behind a `&` reference
    }
    println!("{}", items[0].n);
}
