//! `cargo run -p listings --example slice_goslice_alias` (chapter 4): Go's
//! `go/slices/cmd/alias` replayed with `GoSlice`; it prints what the Go
//! program prints.

fn main() -> std::io::Result<()> {
    goslice::programs::alias(&mut std::io::stdout())
}
