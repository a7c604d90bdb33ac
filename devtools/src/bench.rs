//! `cargo dev bench-loop [ID..] [--rounds N]`: the learner's edit->verdict
//! loop, measured side by side in one run (see `xtask/BENCH.md`):
//!
//! - floor: a one-line edit, then `cargo test` on a generated crate with one
//!   test and no dependencies (the least any Cargo-based loop can cost);
//! - for each exercise ID (default: leak_coordinator, slice_add_all,
//!   rayon_port), a one-line edit of its file (holding its reference
//!   solution, so the verdict is "passes"), then `xtask check ID` and `cargo
//!   test -p exercises ID`, in a copy of the workbook, and the same in a copy
//!   with twice as many exercises (a twin of every exercise).
//!
//! Every loop runs with two edits: a code edit (a statement added to the
//! file's first function, as a learner's save is) and a comment edit (the
//! last line), which rustc's incremental compilation recompiles nothing for:
//! the first is the learner's wait, the second the fixed cost around it.
//!
//! Rounds interleave every loop, so a busy machine slows all of them alike;
//! each loop is reported by its median and as a ratio to the floor's median
//! in the same rounds. The copies live in `target/bench-loop/`; the learner's
//! files are never touched. Then, in the copy: the test time of `cargo test
//! -p exercises` with every exercise a starter (the bar: 1.2 s), and, with a
//! syntax error in one exercise, `cargo test -p exercises ID` of another
//! (it must still grade ID) and of the whole crate (it must name both).

use crate::process;
use anyhow::{Context, Result, anyhow};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The exercises measured when none is named: the slowest (it used to wait on
/// purpose), the one most learners start chapter 4 with, and one that uses
/// rayon.
const DEFAULT_IDS: [&str; 3] = ["leak_coordinator", "slice_add_all", "rayon_port"];

/// A loop: what it measures, and one round of it (the edit, then the timed
/// command). The floor has no exercise and no command of ours.
struct Loop {
    id: Option<String>,
    size: usize,
    cmd: Option<Cmd>,
    edit: Edit,
    run: Round,
}

/// One round of a loop: the edit, then the timed command.
type Round = Box<dyn Fn(usize) -> Result<Duration>>;

impl Loop {
    fn name(&self) -> String {
        match (&self.id, self.cmd) {
            (Some(id), Some(cmd)) => format!("{id}: {} ({} exercises)", cmd.name(), self.size),
            _ => "floor: one-test crate, `cargo test`".to_owned(),
        }
    }
}

/// The one-line edit made before each timed command.
#[derive(Clone, Copy, PartialEq)]
enum Edit {
    /// `let _bench_edit = N;` as the first statement of the file's first
    /// function: what a learner's save is, new code for rustc to compile.
    Code,
    /// The file's last line becomes `// bench edit N`: incremental
    /// compilation finds nothing to recompile, so this measures the fixed
    /// cost of a save.
    Comment,
}

impl Edit {
    fn heading(self) -> &'static str {
        match self {
            Edit::Code => {
                "a code edit (`let _bench_edit = N;` in the file's first function), the learner's save:"
            }
            Edit::Comment => {
                "a comment edit (the last line `// bench edit N`), the fixed cost of a save:"
            }
        }
    }

    fn apply(self, path: &Path, round: usize) -> Result<()> {
        let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
        let edited = match self {
            Edit::Code => code_edit(&text, round)
                .ok_or_else(|| anyhow!("{}: no `fn` whose line ends with `{{`", path.display()))?,
            Edit::Comment => comment_edit(&text, round),
        };
        std::fs::write(path, edited).map_err(|e| anyhow!("{}: {e}", path.display()))
    }
}

pub fn run(root: &Path, ids: &[String], rounds: usize) -> Result<()> {
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    if ids.is_empty() {
        ids = DEFAULT_IDS.to_vec();
    }
    let manifest = crate::load_manifest(root)?;
    for id in &ids {
        crate::find_exercise(&manifest, id)?;
    }
    let base = root.join("target/bench-loop");
    let xtask = xtask_binary(root)?;
    let floor = make_floor(&base.join("floor"))?;
    let single = make_copy(root, &base.join("exercises-1x"), &ids, false)?;
    let double = make_copy(root, &base.join("exercises-2x"), &ids, true)?;
    let seed = if root.join("target/grade/target/debug").is_dir() {
        root.join("target/grade/target/debug")
    } else {
        root.join("target/debug")
    };
    let env = Env { xtask, seed };

    let n = manifest.exercises.len();
    let mut loops: Vec<Loop> = Vec::new();
    for edit in [Edit::Code, Edit::Comment] {
        let floor = floor.clone();
        loops.push(Loop {
            id: None,
            size: 0,
            cmd: None,
            edit,
            run: Box::new(move |r| {
                edit.apply(&floor.join("src/lib.rs"), r)?;
                timed(
                    Command::new("cargo")
                        .args(["test", "-q"])
                        .current_dir(&floor),
                )
            }),
        });
        for id in &ids {
            for (copy, size) in [(&single, n), (&double, 2 * n)] {
                for cmd in [Cmd::Check, Cmd::Test] {
                    loops.push(Loop {
                        id: Some(id.to_string()),
                        size,
                        cmd: Some(cmd),
                        edit,
                        run: looped(copy, id, cmd, edit, &env),
                    });
                }
            }
        }
    }
    println!("warming up (first builds are not measured; the first ever takes minutes)...");
    for l in &loops {
        (l.run)(0).with_context(|| l.name())?;
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); loops.len()];
    let load_before = load_average();
    for r in 1..=rounds {
        for (i, l) in loops.iter().enumerate() {
            times[i].push((l.run)(r).with_context(|| l.name())?.as_secs_f64());
        }
    }
    let load_after = load_average();

    let machine = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = crate::process::version("rustc").unwrap_or_default();
    println!(
        "\nedit->verdict, {rounds} rounds interleaved, {machine} cores, \
         {rustc}; load average {load_before} before, {load_after} after"
    );
    let medians: Vec<f64> = times.iter().map(|t| median(t)).collect();
    let median_of = |want: &dyn Fn(&Loop) -> bool| -> f64 {
        loops
            .iter()
            .zip(&medians)
            .find(|(l, _)| want(l))
            .map_or(f64::NAN, |(_, m)| *m)
    };
    for edit in [Edit::Code, Edit::Comment] {
        println!("\n{}", edit.heading());
        println!(
            "{:<58} {:>8} {:>8} {:>8} {:>9}",
            "loop", "median", "min", "max", "/ floor"
        );
        let floor = median_of(&|l| l.edit == edit && l.id.is_none());
        for (l, t) in loops.iter().zip(&times).filter(|(l, _)| l.edit == edit) {
            let (min, max) = t
                .iter()
                .fold((f64::MAX, 0f64), |(a, b), x| (a.min(*x), b.max(*x)));
            let m = median(t);
            println!(
                "{:<58} {m:>7.3}s {min:>7.3}s {max:>7.3}s {:>8.2}x",
                l.name(),
                m / floor
            );
        }
        println!("twice as many exercises / as many, by medians (bar: within 10%):");
        for id in &ids {
            let change = |cmd: Cmd| {
                let at = |size: usize| {
                    median_of(&|l| {
                        l.edit == edit
                            && l.id.as_deref() == Some(*id)
                            && l.cmd == Some(cmd)
                            && l.size == size
                    })
                };
                (at(2 * n) / at(n) - 1.0) * 100.0
            };
            println!(
                "  {id}: check {:+.1}%, cargo test {:+.1}%",
                change(Cmd::Check),
                change(Cmd::Test)
            );
        }
    }
    println!();

    parts(root, &single, &floor, &ids, rounds)?;
    starters_and_broken_files(root, &single, &ids, &env)
}

/// The code-edit loop taken apart: each part timed on its own, rounds
/// interleaved, medians. The floor's loop and its Cargo with nothing to do;
/// the outer Cargo of `cargo test -p exercises` with nothing to do, in the
/// workbook itself and in the copy; for each exercise, the rustc command the
/// engine recorded (run after a code edit) and the test program it writes.
fn parts(root: &Path, copy: &Path, floor: &Path, ids: &[&str], rounds: usize) -> Result<()> {
    let grade = copy.join(engine::workspace::GRADE_DIR);
    let cargo = |dir: &Path, args: &[&str]| {
        let mut c = Command::new("cargo");
        c.args(args).current_dir(dir);
        c
    };
    let mut parts: Vec<(String, Round)> = Vec::new();
    let floor_dir = floor.to_path_buf();
    parts.push((
        "floor: `cargo test` after a code edit".into(),
        Box::new(move |r| {
            Edit::Code.apply(&floor_dir.join("src/lib.rs"), 2_000_000 + r)?;
            timed(&mut cargo(&floor_dir, &["test", "-q"]))
        }),
    ));
    let floor_dir = floor.to_path_buf();
    parts.push((
        "floor: `cargo test --no-run`, nothing to do".into(),
        Box::new(move |_| timed(&mut cargo(&floor_dir, &["test", "-q", "--no-run"]))),
    ));
    for (dir, name) in [(root, "the workbook"), (copy, "the bench's copy")] {
        let dir = dir.to_path_buf();
        parts.push((
            format!("{name}: `cargo test -p exercises --no-run`, nothing to do"),
            Box::new(move |_| {
                timed(&mut cargo(
                    &dir,
                    &["test", "-q", "-p", "exercises", "--no-run"],
                ))
            }),
        ));
    }
    for id in ids {
        let package = engine::workspace::package_name(id);
        let file = copy.join(format!("exercises/src/{id}.rs"));
        let (grade_dir, p) = (grade.clone(), package.clone());
        parts.push((
            format!("{id}: rustc alone after a code edit"),
            Box::new(move |r| {
                Edit::Code.apply(&file, 3_000_000 + r)?;
                let (mut rustc, _) = engine::rustc_alone::recorded_compile(&grade_dir, &p)
                    .ok_or_else(|| anyhow!("no recorded compile of {p}"))?;
                timed(rustc.stdout(Stdio::null()))
            }),
        ));
        let grade_dir = grade.clone();
        parts.push((
            format!("{id}: its test program"),
            Box::new(move |_| {
                let (_, program) = engine::rustc_alone::recorded_compile(&grade_dir, &package)
                    .ok_or_else(|| anyhow!("no recorded compile of {package}"))?;
                timed(
                    Command::new(program)
                        .arg("-q")
                        .env("RUST_TEST_THREADS", engine::grade::TEST_THREADS)
                        .env("GRADER_TIMEOUT_MS", "20000"),
                )
            }),
        ));
    }
    for (name, run) in &parts {
        run(0).with_context(|| name.clone())?;
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); parts.len()];
    for r in 1..=rounds {
        for (i, (name, run)) in parts.iter().enumerate() {
            times[i].push(run(r).with_context(|| name.clone())?.as_secs_f64());
        }
    }
    println!("\nthe code edit's loop taken apart, {rounds} rounds interleaved, by medians:");
    for ((name, _), t) in parts.iter().zip(&times) {
        println!("{name:<66} {:>7.3}s", median(t));
    }
    println!();
    Ok(())
}

/// The commands measured.
#[derive(Clone, Copy, PartialEq)]
enum Cmd {
    Check,
    Test,
}

impl Cmd {
    fn name(self) -> &'static str {
        match self {
            Cmd::Check => "`xtask check ID`",
            Cmd::Test => "`cargo test -p exercises ID`",
        }
    }
}

/// What the copies' commands need. Each copy builds in its own `target/`:
/// Cargo names a member's build by its path inside the workspace, so two
/// copies sharing a build folder would overwrite each other's test program.
struct Env {
    xtask: PathBuf,
    seed: PathBuf,
}

/// The command `cmd` for exercise `id` (or every exercise) in a copy.
fn command(copy: &Path, id: Option<&str>, cmd: Cmd, env: &Env) -> Command {
    let mut c = match cmd {
        Cmd::Check => {
            let mut c = Command::new(&env.xtask);
            c.arg("check").args(id);
            c
        }
        Cmd::Test => {
            let mut c = Command::new("cargo");
            c.args(["test", "-p", "exercises"]).args(id);
            c
        }
    };
    c.current_dir(copy)
        .env("XTASK_SEED_FROM", &env.seed)
        // A correct solution returns in milliseconds; on a machine as busy
        // as a shared CI runner it may not within the default 1 s watchdog,
        // and a failed check is not what is measured.
        .env("GRADER_TIMEOUT_MS", "20000");
    c
}

/// One round: a one-line edit of ID's file, then `cmd ID` in the copy.
fn looped(copy: &Path, id: &str, cmd: Cmd, edit: Edit, env: &Env) -> Round {
    let file = copy.join(format!("exercises/src/{id}.rs"));
    // `Command` runs by `&mut`: the loop is a `Fn`, so it lends it out.
    let command = std::cell::RefCell::new(command(copy, Some(id), cmd, env));
    // Both commands grade in the copy's `target/grade/`: each edits the file
    // its own way, so neither finds the other's build of this round.
    let offset = match cmd {
        Cmd::Check => 0,
        Cmd::Test => 1_000_000,
    };
    Box::new(move |r| {
        edit.apply(&file, offset + r)?;
        timed(&mut command.borrow_mut())
    })
}

/// The starter-state test time, and a file that does not compile.
fn starters_and_broken_files(root: &Path, copy: &Path, ids: &[&str], env: &Env) -> Result<()> {
    // Every exercise a starter: the measured ones back to theirs.
    for id in ids {
        copy_file(
            &root.join(format!("exercises/src/{id}.rs")),
            &copy.join(format!("exercises/src/{id}.rs")),
        )?;
    }
    // Three runs, the first right after the starters were compiled: the
    // median says what a learner sees, not what one busy moment did.
    let mut times = Vec::new();
    for _ in 0..3 {
        let mut whole = command(copy, None, Cmd::Test, env);
        whole.env_remove("GRADER_TIMEOUT_MS"); // the learner's watchdog
        let out = output(&mut whole)?;
        let text = String::from_utf8_lossy(&out.stdout);
        let time = engine::libtest::finished_in(&text)
            .ok_or_else(|| format!("`cargo test -p exercises` printed no test time:\n{text}"))
            .map_err(anyhow::Error::msg)?;
        times.push(time.as_secs_f64());
    }
    println!(
        "starters: `cargo test -p exercises` graded every exercise in {:.2}s of test time, median of \
         {} (bar: 1.2 s), load average {}",
        median(&times),
        times
            .iter()
            .map(|t| format!("{t:.2}s"))
            .collect::<Vec<_>>()
            .join(", "),
        load_average()
    );

    // A syntax error in one exercise; another one, its solution, is graded.
    let (broken, graded) = (ids[0], ids.get(1).copied().unwrap_or("slice_add_all"));
    let broken_file = copy.join(format!("exercises/src/{broken}.rs"));
    let starter = std::fs::read_to_string(&broken_file)?;
    std::fs::write(&broken_file, format!("{starter}\nfn broken( {{\n"))?;
    copy_file(
        &root.join(format!("solutions/src/{graded}.rs")),
        &copy.join(format!("exercises/src/{graded}.rs")),
    )?;
    let one = output(&mut command(copy, Some(graded), Cmd::Test, env));
    let all = output(&mut command(copy, None, Cmd::Test, env));
    std::fs::write(&broken_file, starter)?;
    copy_file(
        &root.join(format!("exercises/src/{graded}.rs")),
        &copy.join(format!("exercises/src/{graded}.rs")),
    )?;
    let (one, all) = (one?, all?);
    let all_text = String::from_utf8_lossy(&all.stdout);
    println!(
        "a syntax error in {broken}.rs: `cargo test -p exercises {graded}` {} ({}); \
         `cargo test -p exercises` names {broken} as not compiling: {}, and grades {graded}: {}",
        if one.status.success() {
            "passes"
        } else {
            "FAILS"
        },
        // The last one: with a filter, Cargo also runs the library's (empty)
        // test program first.
        String::from_utf8_lossy(&one.stdout)
            .lines()
            .rfind(|l| l.starts_with("test result:"))
            .unwrap_or("no test result"),
        if all_text.contains(&format!(
            "✗ {broken}: exercises/src/{broken}.rs does not compile"
        )) {
            "yes"
        } else {
            "NO"
        },
        if all_text.contains(&format!("✓ {graded}: all")) {
            "yes"
        } else {
            "NO"
        },
    );
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The learner's `xtask` binary, built: `cargo dev` runs from the same
/// target folder and profile, so it is this program's neighbour.
fn xtask_binary(root: &Path) -> Result<PathBuf> {
    process::run(root, "cargo", &["build", "-q", "-p", "xtask"])?;
    let this = std::env::current_exe().context("cannot find this program")?;
    let xtask = this.with_file_name(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    if xtask.is_file() {
        Ok(xtask)
    } else {
        Err(anyhow!(
            "`cargo build -p xtask` made no {}",
            xtask.display()
        ))
    }
}

fn output(command: &mut Command) -> Result<Output> {
    command
        .output()
        .with_context(|| format!("cannot run {command:?}"))
}

fn timed(command: &mut Command) -> Result<Duration> {
    let started = Instant::now();
    let out = command.output()?;
    let took = started.elapsed();
    if !out.status.success() {
        return Err(anyhow!(
            "failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(took)
}

/// The file with its last line `// bench edit N` (replacing an earlier one).
fn comment_edit(text: &str, round: usize) -> String {
    let body = match text.rfind("// bench edit ") {
        Some(i) => &text[..i],
        None => text,
    };
    format!("{body}// bench edit {round}\n")
}

/// The file with `let _bench_edit = N;` as the first statement of its first
/// function (replacing an earlier one): the first line from a line that
/// starts with `fn` or `pub fn` which ends with `{`.
fn code_edit(text: &str, round: usize) -> Option<String> {
    const MARK: &str = "    let _bench_edit = ";
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.starts_with(MARK)).collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("fn ") || l.starts_with("pub fn "))?;
    let open = start
        + lines[start..]
            .iter()
            .position(|l| l.trim_end().ends_with('{'))?;
    let statement = format!("{MARK}{round};");
    lines.insert(open + 1, &statement);
    Some(lines.join("\n") + "\n")
}

fn median(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// A crate with one test and no dependencies, with the profile of the
/// generated exercise crates (dependencies at opt-level 1, the crate itself
/// without debug info, stripped, in `engine::workspace::CODEGEN_UNITS`
/// codegen units), so both loops compile and link alike.
fn make_floor(dir: &Path) -> Result<PathBuf> {
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"floor\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
         [lib]\ndoctest = false\n\n[workspace]\n\n[profile.dev.package.\"*\"]\nopt-level = 1\n\n\
         [profile.dev.package.floor]\ndebug = 0\nstrip = \"debuginfo\"\ncodegen-units = {}\n",
            engine::workspace::CODEGEN_UNITS
        ),
    )?;
    write(
        &dir.join("src/lib.rs"),
        "pub fn answer() -> u32 {\n    42\n}\n\n#[test]\nfn answers() {\n    assert_eq!(answer(), 42);\n}\n",
    )?;
    Ok(dir.to_path_buf())
}

/// A copy of what `check` and `cargo test -p exercises` read: a workspace
/// of `exercises` and the support crates (the root's lock and profiles), the
/// exercises (each of `ids` holding its reference solution), the checks;
/// with `twins`, a second exercise for every exercise, named so that no
/// exercise's id filter selects it (`leak_coordinator` -> `leakxcoordinator`).
fn make_copy(root: &Path, dir: &Path, ids: &[&str], twins: bool) -> Result<PathBuf> {
    for file in ["Cargo.lock", ".cargo/config.toml", "exercises/Cargo.toml"] {
        copy_file(&root.join(file), &dir.join(file))?;
    }
    for folder in ["checks", "exercises/src", "exercises/tests", "support"] {
        copy_dir(&root.join(folder), &dir.join(folder))?;
    }
    // The root manifest, with only the members the copy has.
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let mut top: toml::Table = text.parse().context("Cargo.toml")?;
    if let Some(ws) = top.get_mut("workspace").and_then(|w| w.as_table_mut()) {
        let members: Vec<toml::Value> = ws
            .get("members")
            .and_then(|m| m.as_array())
            .into_iter()
            .flatten()
            .filter_map(|m| m.as_str())
            .filter(|m| dir.join(m).join("Cargo.toml").is_file())
            .map(|m| toml::Value::String(m.to_owned()))
            .collect();
        ws.insert("members".into(), toml::Value::Array(members));
        ws.remove("default-members");
    }
    write(&dir.join("Cargo.toml"), &toml::to_string(&top)?)?;
    for id in ids {
        copy_file(
            &root.join(format!("solutions/src/{id}.rs")),
            &dir.join(format!("exercises/src/{id}.rs")),
        )?;
    }
    let text = std::fs::read_to_string(root.join(manifest::MANIFEST_PATH))?;
    let mut table: toml::Table = text.parse().map_err(|e| anyhow!("{e}"))?;
    if twins {
        let list = table
            .get_mut("exercise")
            .and_then(|e| e.as_array_mut())
            .context("exercises.toml has no [[exercise]]")?;
        let mut extra = Vec::new();
        for ex in list.iter() {
            let original = ex.get("id").and_then(|v| v.as_str()).unwrap_or_default();
            let twin = original.replace('_', "x");
            let mut entry = ex.clone();
            if let Some(t) = entry.as_table_mut() {
                t.insert("id".into(), twin.clone().into());
                t.insert("file".into(), format!("exercises/src/{twin}.rs").into());
            }
            copy_file(
                &dir.join(format!("exercises/src/{original}.rs")),
                &dir.join(format!("exercises/src/{twin}.rs")),
            )?;
            copy_file(
                &root.join(format!("checks/{original}.rs")),
                &dir.join(format!("checks/{twin}.rs")),
            )?;
            extra.push(entry);
        }
        list.extend(extra);
    }
    write(
        &dir.join(manifest::MANIFEST_PATH),
        &toml::to_string(&table)?,
    )?;
    Ok(dir.to_path_buf())
}

fn write(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    std::fs::create_dir_all(path.parent().expect("has a folder"))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}

fn copy_file(from: &Path, to: &Path) -> Result<()> {
    let text = std::fs::read(from).map_err(|e| anyhow!("{}: {e}", from.display()))?;
    if std::fs::read(to).ok().as_deref() == Some(&text[..]) {
        return Ok(()); // keep the mtime: Cargo's fingerprints stay valid
    }
    std::fs::create_dir_all(to.parent().expect("has a folder"))
        .and_then(|()| std::fs::write(to, text))
        .map_err(|e| anyhow!("{}: {e}", to.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from).map_err(|e| anyhow!("{}: {e}", from.display()))? {
        let entry = entry?;
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()))?;
        } else {
            copy_file(&path, &to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "//! doc\nuse std::x;\n\npub fn sum<C>(a: u32)\nwhere\n    C: Fn(),\n{\n    a + 1\n}\n";

    #[test]
    fn a_code_edit_is_the_first_statement_of_the_first_function_and_replaces_the_last() {
        let once = code_edit(FILE, 1).unwrap();
        assert_eq!(
            once,
            "//! doc\nuse std::x;\n\npub fn sum<C>(a: u32)\nwhere\n    C: Fn(),\n{\n    let _bench_edit = 1;\n    a + 1\n}\n"
        );
        let twice = code_edit(&once, 2).unwrap();
        assert_eq!(twice, once.replace("= 1;", "= 2;"));
        assert_eq!(code_edit("// no function\n", 1), None);
    }

    #[test]
    fn a_comment_edit_is_the_last_line_and_replaces_the_last() {
        let once = comment_edit(FILE, 1);
        assert_eq!(once, format!("{FILE}// bench edit 1\n"));
        assert_eq!(comment_edit(&once, 2), format!("{FILE}// bench edit 2\n"));
    }
}
