//! `cargo dev e2e`: the built book in headless Chromium (Debian's, driven
//! by playwright-core from npm), offline, at desktop and phone widths, in every
//! theme; plus a link check of every page. The test itself is in `e2e/`.

use crate::book;
use crate::process;
use anyhow::{Context, Result, anyhow};
use std::path::Path;
use std::process::Command;

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Whether the browser test ran or was skipped for want of Chromium.
pub enum E2eOutcome {
    Ran,
    Skipped,
}

/// `cargo dev e2e`: fails when Chromium is missing.
pub fn run(root: &Path, extra: &[String]) -> Result<()> {
    if !Path::new(CHROMIUM).exists() {
        return Err(anyhow!(
            "chromium not found at {CHROMIUM}: install Debian's chromium and chromium-driver with \
             `sudo bash .ci/install-chromium.sh`"
        ));
    }
    book::build_and_check(root)?;
    crate::i18n::build_all(root)?; // book/zh-CN/, which e2e/lib/zh.mjs tests
    run_built(root, extra)
}

/// The step of `cargo dev test`: skipped, with a clear line, without Chromium.
/// It tests the book that the "book" step just built and checked.
pub fn run_if_chromium(root: &Path) -> Result<E2eOutcome> {
    if !Path::new(CHROMIUM).exists() {
        println!(
            "skipped: chromium not found (install it with `sudo bash .ci/install-chromium.sh`)"
        );
        return Ok(E2eOutcome::Skipped);
    }
    run_built(root, &[]).map(|()| E2eOutcome::Ran)
}

/// Runs the node test against the already built `book/`, then (unless ARGS
/// ask for a part of it) the self-test that proves each check can fail.
fn run_built(root: &Path, extra: &[String]) -> Result<()> {
    let dir = root.join("e2e");
    ensure_node_modules(&dir)?;
    let target = root.join("target");
    let mut args = vec![
        "run.mjs".to_owned(),
        "--book".to_owned(),
        root.join("book").display().to_string(),
        "--out".to_owned(),
        target.join("e2e").display().to_string(),
        "--chromium".to_owned(),
        CHROMIUM.to_owned(),
    ];
    // Run and Check with the real local runner (e2e/lib/runner.mjs).
    process::run(root, "cargo", &["build", "-q", "-p", "runner"])?;
    let target_dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| target.clone(), std::path::PathBuf::from);
    args.extend([
        "--runner".to_owned(),
        target_dir
            .join("debug")
            .join("runner")
            .display()
            .to_string(),
        "--root".to_owned(),
        root.display().to_string(),
    ]);
    args.extend(extra.iter().cloned());
    let book = node(&dir, &args);
    let selftest = if extra.is_empty() {
        let out = target.join("e2e-selftest").display().to_string();
        node(
            &dir,
            &[
                "selftest.mjs".to_owned(),
                "--out".to_owned(),
                out,
                "--chromium".to_owned(),
                CHROMIUM.to_owned(),
            ],
        )
    } else {
        Ok(())
    };
    match (book, selftest) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) => Err(anyhow!(
            "the browser test of the book failed ({e}): see the FAIL lines above; \
             screenshots are in target/e2e/"
        )),
        (Ok(()), Err(e)) => Err(anyhow!(
            "the e2e self-test failed ({e}): a check no longer catches the defect it \
             should (see e2e/selftest/ and the FAIL lines above)"
        )),
        (Err(a), Err(b)) => Err(anyhow!(
            "the browser test of the book ({a}) and the e2e self-test ({b}) failed: see the FAIL lines above"
        )),
    }
}

fn node(dir: &Path, args: &[String]) -> Result<()> {
    println!("$ node {}   (in e2e/)", args.join(" "));
    let status = Command::new("node")
        .args(args)
        .current_dir(dir)
        .status()
        .context("cannot start `node` (install Node.js 20 or later)")?;
    if status.success() {
        Ok(())
    } else {
        Err(anyhow!("node {}: {status}", args[0]))
    }
}

/// `npm ci` when `node_modules` is missing or was installed from another
/// `package-lock.json` (a copy of the lock it was installed from is kept
/// inside `node_modules`).
fn ensure_node_modules(dir: &Path) -> Result<()> {
    let lock = std::fs::read(dir.join("package-lock.json")).context("e2e/package-lock.json")?;
    let stamp = dir
        .join("node_modules")
        .join(".installed-package-lock.json");
    if std::fs::read(&stamp).is_ok_and(|installed| installed == lock) {
        return Ok(());
    }
    println!("e2e: node_modules is missing or stale; installing the pinned packages");
    process::run(dir, "npm", &["ci", "--no-audit", "--no-fund"])?;
    std::fs::write(&stamp, &lock).map_err(|e| anyhow!("{}: {e}", stamp.display()))
}
