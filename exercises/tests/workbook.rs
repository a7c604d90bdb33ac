//! `cargo test -p exercises [ID]`: grades your exercises, each in a crate of
//! its own (under `target/grade/`), with the same engine as `cargo xtask
//! check`. A save recompiles only the exercise you changed, and a file that
//! does not compile fails only its own exercise's checks: the others are
//! still graded, and every exercise is reported by name.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("exercises/ is inside the workbook");
    engine::workbook::main(root)
}
