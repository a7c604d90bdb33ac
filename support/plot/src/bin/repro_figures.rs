//! `cargo run -p plot --bin repro_figures`: chapter 8's figures and
//! arithmetic from `src/repro/incident.csv` (see `plot::repro`). It writes
//! them to `src/repro/`, says so on stderr, and prints the arithmetic, the
//! text the page shows under this command, on stdout.

use plot::repro::{DATA, OUTPUTS, outputs};
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let written = std::fs::read_to_string(root.join(DATA))
        .map_err(|e| format!("{DATA}: {e}"))
        .and_then(|csv| outputs(&csv))
        .and_then(|files| {
            for (path, text) in OUTPUTS.iter().zip(&files) {
                std::fs::write(root.join(path), text).map_err(|e| format!("{path}: {e}"))?;
                eprintln!("wrote {path}");
            }
            print!("{}", files[2]);
            Ok(())
        });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("repro_figures: {e}");
            ExitCode::FAILURE
        }
    }
}
