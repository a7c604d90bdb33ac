//! `cargo xtask bench-loop [ID] [--rounds N]`: the learner's edit->verdict
//! loop, measured side by side in one run (DESIGN §8):
//!
//! - floor: a one-line edit, then `cargo test` on a generated crate with one
//!   test and no dependencies (the least any Cargo-based loop can cost);
//! - check: a one-line edit of exercise ID (its reference solution, so the
//!   verdict is "passes"), then `xtask check ID`, in a copy of the workbook;
//! - check, 2x: the same in a copy with twice as many exercises (a twin of
//!   every exercise).
//!
//! Rounds interleave the three loops, so a busy machine slows all of them
//! alike. The copies live in `target/bench-loop/`; the learner's files are
//! never touched. It also grades every starter of the copy and reports the
//! test time (the bar: 2 s in total).

use crate::grade;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let id = args
        .iter()
        .find(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
        .map_or("leak_coordinator", String::as_str);
    let rounds: usize = args
        .iter()
        .position(|a| a == "--rounds")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let manifest = crate::load_manifest(root)?;
    crate::find_exercise(&manifest, id)?;
    let base = root.join("target/bench-loop");
    let xtask = std::env::current_exe().map_err(|e| e.to_string())?;

    let floor = make_floor(&base.join("floor"))?;
    let single = make_copy(root, &base.join("exercises-1x"), id, false)?;
    let double = make_copy(root, &base.join("exercises-2x"), id, true)?;
    let seed = if root.join("target/grade/target/debug").is_dir() {
        root.join("target/grade/target/debug")
    } else {
        root.join("target/debug")
    };

    let as_many = format!(
        "check: `xtask check` ({} exercises)",
        manifest.exercises.len()
    );
    type Edit = Box<dyn Fn(usize) -> Result<Duration, String>>;
    let loops: Vec<(&str, Edit)> = vec![
        ("floor: one-test crate, `cargo test`", {
            let floor = floor.clone();
            Box::new(move |r| {
                edit(&floor.join("src/lib.rs"), r)?;
                timed(
                    Command::new("cargo")
                        .args(["test", "-q"])
                        .current_dir(&floor),
                )
            })
        }),
        (as_many.as_str(), checker(&single, id, &xtask, &seed)),
        (
            "check: `xtask check`, twice as many exercises",
            checker(&double, id, &xtask, &seed),
        ),
    ];
    println!("warming up (first builds are not measured)...");
    for (name, run) in &loops {
        run(0).map_err(|e| format!("{name}: {e}"))?;
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); loops.len()];
    for r in 1..=rounds {
        for (i, (name, run)) in loops.iter().enumerate() {
            times[i].push(run(r).map_err(|e| format!("{name}: {e}"))?.as_secs_f64());
        }
    }

    let machine = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = crate::process::version("rustc").unwrap_or_default();
    println!(
        "\nedit->verdict after a one-line edit of `{id}`, {rounds} rounds interleaved, \
         {machine} cores, {rustc}"
    );
    println!("{:<48} {:>8} {:>8} {:>8}", "loop", "median", "min", "max");
    let medians: Vec<f64> = times.iter().map(|t| median(t)).collect();
    for ((name, _), t) in loops.iter().zip(&times) {
        let (min, max) = t
            .iter()
            .fold((f64::MAX, 0f64), |(a, b), x| (a.min(*x), b.max(*x)));
        println!("{name:<48} {:>7.3}s {min:>7.3}s {max:>7.3}s", median(t));
    }
    let mins: Vec<f64> = times
        .iter()
        .map(|t| t.iter().copied().fold(f64::MAX, f64::min))
        .collect();
    println!(
        "check / floor: {:.2}x by medians, {:.2}x by minimums (bar: at most 2x)",
        medians[1] / medians[0],
        mins[1] / mins[0]
    );
    println!(
        "twice as many exercises / as many: {:+.1}% by medians, {:+.1}% by minimums (bar: within 10%)",
        (medians[2] / medians[1] - 1.0) * 100.0,
        (mins[2] / mins[1] - 1.0) * 100.0
    );

    let copy = crate::load_manifest(&single)?;
    let starters: Vec<_> = copy.exercises.iter().filter(|e| e.id != id).collect();
    let graded = grade::grade(&single, &copy, &starters)?;
    println!(
        "starters: {} exercises (all but `{id}`) graded in {:.2}s of test time (bar: 2 s in total)",
        starters.len(),
        graded.test_time.as_secs_f64()
    );
    Ok(())
}

/// `check` in a copy of the workbook, after a one-line edit of ID's file.
fn checker(
    copy: &Path,
    id: &str,
    xtask: &Path,
    seed: &Path,
) -> Box<dyn Fn(usize) -> Result<Duration, String>> {
    let (copy, id, xtask, seed) = (
        copy.to_path_buf(),
        id.to_owned(),
        xtask.to_path_buf(),
        seed.to_path_buf(),
    );
    Box::new(move |r| {
        edit(&copy.join(format!("exercises/src/{id}.rs")), r)?;
        let t = timed(
            Command::new(&xtask)
                .args(["check", &id])
                .env("XTASK_SEED_FROM", &seed)
                // A correct solution returns in milliseconds; on a machine as
                // busy as a shared CI runner it may not within the default
                // 1 s watchdog, and a failed check is not what is measured.
                .env("GRADER_TIMEOUT_MS", "20000")
                .current_dir(&copy),
        )?;
        Ok(t)
    })
}

fn timed(command: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    let out = command.output().map_err(|e| e.to_string())?;
    let took = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(took)
}

/// The one-line edit: the file's last line becomes `// bench edit N`.
fn edit(path: &Path, round: usize) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let body = match text.rfind("// bench edit ") {
        Some(i) => &text[..i],
        None => &text,
    };
    std::fs::write(path, format!("{body}// bench edit {round}\n"))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn median(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// A crate with one test and no dependencies, with the profile of the
/// generated exercise crates (dependencies at opt-level 1, the crate itself
/// without debug info and stripped), so both loops compile and link alike.
fn make_floor(dir: &Path) -> Result<PathBuf, String> {
    write(
        &dir.join("Cargo.toml"),
        "[package]\nname = \"floor\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [lib]\ndoctest = false\n\n[workspace]\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n\n\
         [profile.dev.package.floor]\ndebug = 0\nstrip = \"debuginfo\"\n",
    )?;
    write(
        &dir.join("src/lib.rs"),
        "pub fn answer() -> u32 {\n    42\n}\n\n#[test]\nfn answers() {\n    assert_eq!(answer(), 42);\n}\n",
    )?;
    Ok(dir.to_path_buf())
}

/// A copy of what `check` reads: the workspace manifest and lock, the
/// exercises (ID as its reference solution), the checks and the support
/// crates; with `twins`, a second exercise for every exercise.
fn make_copy(root: &Path, dir: &Path, id: &str, twins: bool) -> Result<PathBuf, String> {
    for file in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo/config.toml",
        "exercises/Cargo.toml",
    ] {
        copy(&root.join(file), &dir.join(file))?;
    }
    for folder in [
        "checks",
        "exercises/src",
        // Every support crate: the exercises depend on several (grader,
        // goslice, suspects), and a new one must not break the benchmark.
        "support",
    ] {
        copy_dir(&root.join(folder), &dir.join(folder))?;
    }
    copy(
        &root.join(format!("solutions/src/{id}.rs")),
        &dir.join(format!("exercises/src/{id}.rs")),
    )?;
    let text =
        std::fs::read_to_string(root.join(manifest::MANIFEST_PATH)).map_err(|e| e.to_string())?;
    let mut table: toml::Table = text.parse().map_err(|e| format!("{e}"))?;
    if twins {
        let list = table
            .get_mut("exercise")
            .and_then(|e| e.as_array_mut())
            .ok_or("exercises.toml has no [[exercise]]")?;
        let mut extra = Vec::new();
        for ex in list.iter() {
            let original = ex.get("id").and_then(|v| v.as_str()).unwrap_or_default();
            let twin = format!("{original}_twin");
            let mut entry = ex.clone();
            if let Some(t) = entry.as_table_mut() {
                t.insert("id".into(), twin.clone().into());
                t.insert("file".into(), format!("exercises/src/{twin}.rs").into());
            }
            copy(
                &dir.join(format!("exercises/src/{original}.rs")),
                &dir.join(format!("exercises/src/{twin}.rs")),
            )?;
            copy(
                &root.join(format!("checks/{original}.rs")),
                &dir.join(format!("checks/{twin}.rs")),
            )?;
            extra.push(entry);
        }
        list.extend(extra);
    }
    write(
        &dir.join(manifest::MANIFEST_PATH),
        &toml::to_string(&table).map_err(|e| e.to_string())?,
    )?;
    Ok(dir.to_path_buf())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::create_dir_all(path.parent().expect("has a folder"))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| format!("{}: {e}", path.display()))
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    let text = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    if std::fs::read(to).ok().as_deref() == Some(&text[..]) {
        return Ok(()); // keep the mtime: Cargo's fingerprints stay valid
    }
    std::fs::create_dir_all(to.parent().expect("has a folder"))
        .and_then(|()| std::fs::write(to, text))
        .map_err(|e| format!("{}: {e}", to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()))?;
        } else {
            copy(&path, &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
