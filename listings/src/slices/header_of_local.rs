fn first_bytes() -> &'static [u8] {
    let batch = vec![0u8; 64 << 20];
    // error[E0515]: cannot return value referencing local variable `batch`
    &batch[..16]
}

fn main() {
    println!("{:?}", first_bytes());
}
