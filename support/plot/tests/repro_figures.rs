//! The committed figures and arithmetic of chapter 8 are what the committed
//! data gives: regenerate them from `src/repro/incident.csv` and compare.

use plot::repro::{DATA, OUTPUTS, outputs};
use std::path::Path;

#[test]
fn the_committed_figures_are_drawn_from_the_committed_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let csv = std::fs::read_to_string(root.join(DATA)).unwrap_or_else(|e| panic!("{DATA}: {e}"));
    let fresh = outputs(&csv).unwrap_or_else(|e| panic!("{DATA}: {e}"));
    let stale: Vec<&str> = OUTPUTS
        .iter()
        .zip(&fresh)
        .filter(|(path, text)| {
            std::fs::read_to_string(root.join(path)).ok().as_ref() != Some(*text)
        })
        .map(|(path, _)| *path)
        .collect();
    assert!(
        stale.is_empty(),
        "{} differ from what {DATA} gives: run `cargo run -p plot --bin repro_figures` and commit the result",
        stale.join(", ")
    );
}
