//! The runner binary stopped (Ctrl-C in the terminal, `serve` stopping it)
//! while a run is going: the run's processes, in a process group of their
//! own that the terminal's signal never reaches, must go with it.

#![cfg(unix)]

mod common;

use common::*;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn stopping_the_runner_ends_its_runs() {
    for signal in [Signal::SIGTERM, Signal::SIGINT] {
        let prepared = prepare(&format!("stop_{signal}"));
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut runner = Command::new(env!("CARGO_BIN_EXE_runner"))
            .arg("--root")
            .arg(&root)
            .arg("--commands")
            .arg(&prepared.commands)
            .args(["--port", "0", "--book-port", "3000"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(runner.stdout.take().unwrap()).lines();
        let link = lines
            .by_ref()
            .map_while(Result::ok)
            .find_map(|l| {
                l.strip_prefix("Open the book with Run and Check buttons: ")
                    .map(str::to_owned)
            })
            .expect("the runner printed its link");
        let (port, token) = link
            .strip_prefix("http://127.0.0.1:3000/#runner=")
            .and_then(|rest| rest.split_once(':'))
            .expect("the link's shape");
        let port: u16 = port.parse().unwrap();
        let session = request(
            port,
            "POST",
            "/api/session",
            &[
                ("Host", &host(port)),
                ("Origin", BOOK),
                ("Authorization", &format!("Bearer {token}")),
            ],
        )
        .json()["session"]
            .as_str()
            .unwrap()
            .to_owned();
        let run = std::thread::spawn(move || {
            let bearer = format!("Bearer {session}");
            let h = host(port);
            let headers = [
                ("Host", h.as_str()),
                ("Origin", BOOK),
                ("Authorization", &bearer),
            ];
            // The runner dies mid-answer: whatever arrives, or nothing.
            std::panic::catch_unwind(|| request(port, "POST", "/api/run/forever", &headers)).ok();
        });
        let pid_file = prepared.dir.join("grandchild");
        let pid = wait_for("the run to start its grandchild", || {
            std::fs::read_to_string(&pid_file)
                .ok()
                .filter(|s| s.ends_with('\n'))
        });
        kill(Pid::from_raw(runner.id() as i32), signal).unwrap();
        let status = runner.wait().unwrap();
        assert_eq!(
            status.code(),
            Some(128 + signal as i32),
            "{signal}: {status:?}"
        );
        wait_for("the run's grandchild to be gone", || {
            is_gone(&pid).then_some(())
        });
        run.join().unwrap();
    }
}
