//! `cargo run -p plot --bin rayon_figures`: chapter 6's figure, speed-up
//! against cores, from the committed benchmark reports (see `plot::rayon`).
//! It writes `src/rayon/speedup.svg` and says so on stderr.

use plot::rayon::{DATA, OUTPUT, output};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read =
        |path: &str| std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: {e}"));
    let written = read(DATA[0].0)
        .and_then(|go| Ok((go, read(DATA[1].0)?)))
        .and_then(|(go, rust)| output([&go, &rust]))
        .and_then(|svg| {
            std::fs::write(root.join(OUTPUT), svg).map_err(|e| format!("{OUTPUT}: {e}"))
        });
    match written {
        Ok(()) => {
            eprintln!("wrote {OUTPUT}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rayon_figures: {e}");
            ExitCode::FAILURE
        }
    }
}
