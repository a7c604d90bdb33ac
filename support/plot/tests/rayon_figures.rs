//! The committed figure of chapter 6 is what the committed benchmark
//! reports give: redraw it and compare.

use plot::rayon::{DATA, OUTPUT, output};
use std::path::Path;

#[test]
fn the_committed_speedup_figure_is_drawn_from_the_committed_reports() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let fresh = output([&read(DATA[0].0), &read(DATA[1].0)]).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        std::fs::read_to_string(root.join(OUTPUT)).ok() == Some(fresh),
        "{OUTPUT} differs from what the reports give: run `cargo run -p plot --bin rayon_figures` and commit the result"
    );
}
