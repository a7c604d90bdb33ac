//! The Go side (`go/`): every Go listing of the book compiles, and `go test`
//! proves what the book claims about it.

use crate::process;
use anyhow::{Context, Result, anyhow};
use std::path::Path;
use std::process::Command;

/// Whether the Go checks ran or were skipped for want of Go.
pub enum GoOutcome {
    Ran,
    Skipped,
}

pub fn run(root: &Path) -> Result<GoOutcome> {
    if process::version("go").is_none() {
        println!("skipped: go not found (install it with `sudo bash .ci/install-go.sh`)");
        return Ok(GoOutcome::Skipped);
    }
    let dir = root.join("go");
    // No module proxy is reachable: dependencies come from Debian packages,
    // wired with `replace` directives (see go/README.md).
    let env = [
        ("GOTOOLCHAIN", "local"),
        ("GOPROXY", "off"),
        ("GOFLAGS", "-mod=mod"),
    ];
    let gofmt = Command::new("gofmt")
        .args(["-l", "."])
        .current_dir(&dir)
        .output()
        .context("cannot run gofmt")?;
    let unformatted = String::from_utf8_lossy(&gofmt.stdout);
    if !gofmt.status.success() || !unformatted.trim().is_empty() {
        return Err(anyhow!(
            "gofmt: these files need `gofmt -w`:\n{unformatted}"
        ));
    }
    println!("$ gofmt -l .   (clean)");
    for args in [&["vet", "./..."][..], &["test", "-count=1", "./..."][..]] {
        println!("$ go {}", args.join(" "));
        let status = Command::new("go")
            .args(args)
            .envs(env)
            .current_dir(&dir)
            .status()
            .context("cannot run go")?;
        if !status.success() {
            return Err(anyhow!("`go {}` failed in go/", args.join(" ")));
        }
    }
    Ok(GoOutcome::Ran)
}
