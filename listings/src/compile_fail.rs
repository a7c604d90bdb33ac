//! Code the book shows that the compiler must reject (chapters 4 and 5).
//!
//! `rejected!` declares each such file twice from one line: as a rustdoc
//! `compile_fail,E....` doctest, and in a table `LISTINGS` that the chapter's
//! test hands to [`wrong_codes`]. Stable rustdoc checks that a doctest fails
//! to compile but ignores the error code (it checks codes only on nightly), so
//! `wrong_codes` compiles each file with `rustc` and requires exactly its one
//! code.

/// `rejected! { "folder"; /// doc  name => "E0382"; ... }`, inside a module
/// of its own: `listings/src/folder/name.rs` must fail with exactly that code.
macro_rules! rejected {
    ($folder:literal; $($(#[doc = $doc:literal])* $name:ident => $code:literal;)*) => {
        $(
            $(#[doc = $doc])*
            #[doc = concat!(
                "```compile_fail,", $code, "\n",
                include_str!(concat!($folder, "/", stringify!($name), ".rs")),
                "```"
            )]
            pub mod $name {}
        )*

        /// (file in `listings/src/<folder>/`, the one error code it must fail with).
        pub const LISTINGS: &[(&str, &str)] = &[$((concat!(stringify!($name), ".rs"), $code)),*];
    };
}

/// Compiles each `(file, code)` of `listings/src/<folder>/` with `rustc` and
/// returns what is wrong: a file that compiles, or fails with other codes.
#[cfg(test)]
pub fn wrong_codes(folder: &str, listings: &[(&str, &str)]) -> Vec<String> {
    use std::collections::BTreeSet;
    use std::path::Path;
    use std::process::Command;

    // The `rustc` of the toolchain that runs this test (next to its `cargo`).
    let next_to_cargo = Path::new(env!("CARGO")).with_file_name("rustc");
    let rustc = || {
        if next_to_cargo.is_file() {
            Command::new(&next_to_cargo)
        } else {
            Command::new("rustc")
        }
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let out = std::env::temp_dir().join(format!("listings-{folder}-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let mut problems = Vec::new();
    for (file, code) in listings {
        let run = rustc()
            .args([
                "--edition",
                "2024",
                "--crate-type",
                "bin",
                "--emit=metadata",
            ])
            .arg("--out-dir")
            .arg(&out)
            .arg(dir.join(file))
            .output()
            .expect("run rustc");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let codes: BTreeSet<&str> = stderr
            .match_indices("error[E")
            .map(|(at, _)| &stderr[at + 6..at + 11])
            .collect();
        if run.status.success() || codes != BTreeSet::from([*code]) {
            problems.push(format!(
                "{folder}/{file}: expected to fail with exactly {code}, got {codes:?}:\n{stderr}"
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    problems
}
