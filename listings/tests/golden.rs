//! The output the book shows for a Rust program is the file
//! `listings/output/<example>.out`; this test proves the program still prints
//! exactly that. `UPDATE_GOLDEN=1 cargo test -p listings` rewrites the files.

use std::path::Path;

#[test]
fn every_program_prints_its_checked_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("output");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for (name, program) in listings::PROGRAMS {
        let mut out = Vec::new();
        program(&mut out).unwrap_or_else(|e| panic!("{name}: {e}"));
        let path = dir.join(format!("{name}.out"));
        if update {
            std::fs::write(&path, &out).unwrap();
            continue;
        }
        let expected = std::fs::read(&path).unwrap_or_default();
        if expected != out {
            stale.push(format!(
                "{name}: prints\n{}\nbut {} says\n{}",
                String::from_utf8_lossy(&out),
                path.display(),
                String::from_utf8_lossy(&expected)
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "outputs differ (rerun with UPDATE_GOLDEN=1 if the change is intended):\n{}",
        stale.join("\n")
    );
}
