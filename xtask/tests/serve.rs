//! `cargo xtask serve` from the outside: its own help and flags, a taken
//! port refused before anything starts (and an impostor on `[::1]`), and,
//! where mdBook is installed, a real serve of a small book with a stand-in
//! runner: the link relayed, `my-work/serve.json` written, a killed runner
//! restarted with a new link, everything stopped and the file removed on
//! SIGTERM. Every process a test starts runs in a process group of its own,
//! killed when the test ends however it ends.

#![cfg(unix)]

use nix::sys::signal::{Signal, kill, killpg};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

const LINK_PREFIX: &str = "Open the book with Run and Check buttons: ";

/// A stand-in for `runner/`: answers `--help`, records its pid, prints the
/// contract's link line with a fresh 48-hex-digit token, then waits (or,
/// once `runner.crashes` exists, exits).
const FAKE_RUNNER: &str = r#"#!/bin/sh
if [ "$1" = "--help" ]; then echo "usage: fake runner"; exit 0; fi
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2;;
    --book-port) book="$2"; shift 2;;
    *) shift;;
  esac
done
echo $$ >> "$(dirname "$0")/runner.pids"
token=$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')
echo "runner: listening on http://127.0.0.1:$port for the book on port $book"
echo "Open the book with Run and Check buttons: http://127.0.0.1:$book/#runner=$port:$token"
# A runner that crashes at once after its start, when the test says so.
if [ -f "$(dirname "$0")/runner.crashes" ]; then exit 3; fi
exec sleep 600
"#;

/// A workbook root with a one-page book, and the fake runner.
fn workbook(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-{name}"));
    let _ = std::fs::remove_dir_all(&root);
    for (path, text) in [
        ("exercises/exercises.toml", ""),
        (
            "book.toml",
            "[book]\ntitle = \"A small book\"\nsrc = \"src\"\n",
        ),
        ("src/SUMMARY.md", "# Summary\n\n- [Chapter](chapter.md)\n"),
        ("src/chapter.md", "# Chapter\n\nText.\n"),
        ("runner.sh", FAKE_RUNNER),
    ] {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let status = Command::new("chmod")
        .args(["+x", "runner.sh"])
        .current_dir(&root)
        .status()
        .unwrap();
    assert!(status.success());
    root
}

/// A port nothing listens on now, on 127.0.0.1 and, where it exists, [::1].
fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let v6 = TcpListener::bind((Ipv6Addr::LOCALHOST, port));
        if v6.is_ok() || v6.is_err_and(|e| e.kind() == std::io::ErrorKind::AddrNotAvailable) {
            return port;
        }
    }
}

fn listening(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, Duration::from_millis(300)).is_ok()
}

fn v4(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// `xtask ARGS` in `root`, in a process group of its own that is killed when
/// this is dropped; its output lines arrive on `lines`.
struct Serve {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Serve {
    fn start(root: &Path, args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("serve")
            .args(args)
            .current_dir(root)
            .env("XTASK_SERVE_RUNNER", root.join("runner.sh"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        for stream in [Box::new(out) as Box<dyn Read + Send>, Box::new(err)] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        Serve {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next line that `wanted` accepts, within `limit`.
    fn wait_for(&mut self, what: &str, limit: Duration, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if wanted(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no {what} within {limit:?}; serve printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    /// Everything it prints until it exits (within `limit`), and its status.
    fn finish(&mut self, limit: Duration) -> (std::process::ExitStatus, String) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "serve did not stop within {limit:?}; it printed:\n{}",
                self.seen.join("\n")
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        // Its pipes close with it (and with the last child it started).
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(2)) {
            self.seen.push(line);
        }
        (status, self.seen.join("\n"))
    }

    fn pgid(&self) -> Pid {
        Pid::from_raw(self.child.id() as i32)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = killpg(self.pgid(), Signal::SIGKILL);
        let _ = self.child.wait();
    }
}

/// `serve` with ports that must be refused: it exits at once, non-zero.
fn refused(root: &Path, args: &[&str]) -> String {
    let mut serve = Serve::start(root, args);
    let (status, output) = serve.finish(Duration::from_secs(30));
    assert!(!status.success(), "{output}");
    assert!(!output.contains(LINK_PREFIX), "no link printed: {output}");
    assert!(
        !root.join("runner.pids").exists(),
        "no runner started: {output}"
    );
    assert!(!root.join("my-work/serve.json").exists());
    assert!(!root.join("book").exists(), "no book built: {output}");
    output
}

fn xtask(root: &Path, args: &[&str]) -> (std::process::ExitStatus, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status, text)
}

#[test]
fn help_is_ours_and_an_unknown_flag_is_an_error() {
    let root = workbook("help");
    let (status, help) = xtask(&root, &["serve", "--help"]);
    assert!(status.success(), "{help}");
    assert!(help.starts_with("usage: cargo xtask serve"), "{help}");
    for flag in [
        "-p, --port N",
        "--runner-port N",
        "--no-runner",
        "-- MDBOOK_ARGS",
    ] {
        assert!(help.contains(flag), "help names {flag}: {help}");
    }
    assert!(!help.contains("http://localhost"), "{help}");

    for unknown in ["--open", "-n"] {
        let (status, text) = xtask(&root, &["serve", unknown, "0.0.0.0"]);
        assert!(!status.success(), "{text}");
        assert!(
            text.contains(&format!("unknown option `{unknown}`")),
            "{text}"
        );
        assert!(text.contains("usage: cargo xtask serve"), "{text}");
    }
    assert!(!root.join("book").exists(), "nothing was served");
}

#[test]
fn a_taken_book_port_is_refused_naming_dash_p() {
    let root = workbook("book-port");
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let runner_port = free_port();
    let output = refused(
        &root,
        &[
            "-p",
            &port.to_string(),
            "--runner-port",
            &runner_port.to_string(),
        ],
    );
    assert!(
        output.contains(&format!("port {port} (the book's)")),
        "{output}"
    );
    assert!(output.contains("`-p N`"), "{output}");
    assert!(!listening(v4(runner_port)), "no runner left behind");
}

#[test]
fn a_taken_runner_port_is_refused_naming_runner_port() {
    let root = workbook("runner-port");
    let taken = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let book_port = free_port();
    let output = refused(
        &root,
        &[
            "-p",
            &book_port.to_string(),
            "--runner-port",
            &port.to_string(),
        ],
    );
    assert!(
        output.contains(&format!("port {port} (the runner's)")),
        "{output}"
    );
    assert!(output.contains("`--runner-port N`"), "{output}");
    assert!(!listening(v4(book_port)), "no book left behind");
}

#[test]
fn an_impostor_on_ipv6_loopback_is_refused() {
    let root = workbook("impostor");
    let book_port = free_port();
    let Ok(impostor) = TcpListener::bind((Ipv6Addr::LOCALHOST, book_port)) else {
        println!("skipped: no IPv6 loopback on this machine");
        return;
    };
    let runner_port = free_port();
    let output = refused(
        &root,
        &[
            "-p",
            &book_port.to_string(),
            "--runner-port",
            &runner_port.to_string(),
        ],
    );
    assert!(output.contains(&format!("[::1]:{book_port}")), "{output}");
    assert!(output.contains("pass itself off as the book"), "{output}");
    assert!(output.contains("`-p N`"), "{output}");
    assert!(!listening(v4(book_port)) && !listening(v4(runner_port)));
    drop(impostor);
}

fn mdbook_installed() -> bool {
    Command::new("mdbook")
        .arg("--version")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("v0.5.4"))
}

/// The token of a link line, checked against the contract's format.
fn token_of(line: &str, book_port: u16, runner_port: u16) -> String {
    let expected = format!("{LINK_PREFIX}http://127.0.0.1:{book_port}/#runner={runner_port}:");
    let token = line
        .strip_prefix(&expected)
        .unwrap_or_else(|| panic!("`{line}` is not `{expected}TOKEN`"));
    assert!(
        token.len() == 48 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );
    token.to_owned()
}

fn http_get(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
}

/// Whether `pid` still exists a moment from now (an exited child of serve's
/// may take a moment to be reaped once serve is gone).
fn alive(pid: i32) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    while kill(Pid::from_raw(pid), None).is_ok() {
        if Instant::now() > deadline {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// Whether any process is left in the group `pgid`, allowing the same moment.
fn group_alive(pgid: Pid) -> bool {
    let deadline = Instant::now() + Duration::from_secs(3);
    while killpg(pgid, None).is_ok() {
        if Instant::now() > deadline {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn serves_relays_the_link_restarts_the_runner_and_cleans_up() {
    if !mdbook_installed() {
        println!("skipped: mdBook 0.5.4 not installed (`cargo install mdbook --version 0.5.4`)");
        return;
    }
    let root = workbook("real");
    let (book_port, runner_port) = (free_port(), free_port());
    let mut serve = Serve::start(
        &root,
        &[
            "-p",
            &book_port.to_string(),
            "--runner-port",
            &runner_port.to_string(),
            "--no-prebuild",
        ],
    );
    let link = serve.wait_for("link", Duration::from_secs(120), |l| {
        l.starts_with(LINK_PREFIX)
    });
    let first = token_of(&link, book_port, runner_port);

    // The book answers on 127.0.0.1, and serve.json says where.
    let page = http_get(v4(book_port), "/chapter.html");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    let info: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("my-work/serve.json")).expect("serve.json written"),
    )
    .unwrap();
    assert_eq!(
        info,
        serde_json::json!({"book_port": book_port, "runner_port": runner_port,
            "pid": serve.child.id(), "book_url": format!("http://127.0.0.1:{book_port}")})
    );
    // `localhost` that resolves to ::1 is sent to the book, not left free.
    let v6 = SocketAddr::from((Ipv6Addr::LOCALHOST, book_port));
    if listening(v6) {
        let answer = http_get(v6, "/chapter.html");
        assert!(answer.starts_with("HTTP/1.1 307"), "{answer}");
        assert!(
            answer.contains(&format!(
                "Location: http://127.0.0.1:{book_port}/chapter.html\r\n"
            )),
            "{answer}"
        );
    }

    // A runner that dies is restarted, with a new link.
    let pids = std::fs::read_to_string(root.join("runner.pids")).unwrap();
    let runner: i32 = pids.trim().parse().unwrap();
    kill(Pid::from_raw(runner), Signal::SIGKILL).unwrap();
    serve.wait_for("restart notice", Duration::from_secs(30), |l| {
        l.contains("the runner stopped") && l.contains("restarting it")
    });
    let link = serve.wait_for("new link", Duration::from_secs(30), |l| {
        l.starts_with(LINK_PREFIX)
    });
    let second = token_of(&link, book_port, runner_port);
    assert_ne!(first, second, "a new link after a restart");
    let pids = std::fs::read_to_string(root.join("runner.pids")).unwrap();
    let restarted: i32 = pids.lines().nth(1).unwrap().parse().unwrap();

    // SIGTERM: everything stops and serve.json goes.
    kill(serve.pgid(), Signal::SIGTERM).unwrap();
    let (status, output) = serve.finish(Duration::from_secs(20));
    assert!(status.success(), "{output}");
    assert!(
        output.contains("serve: stopped (Ctrl-C or SIGTERM)"),
        "{output}"
    );
    assert!(!root.join("my-work/serve.json").exists(), "{output}");
    assert!(!listening(v4(book_port)), "mdBook stopped: {output}");
    assert!(!alive(restarted), "the runner stopped: {output}");
    assert!(
        !group_alive(serve.pgid()),
        "nothing of serve's is left: {output}"
    );
}

#[test]
fn when_mdbook_dies_serve_stops_the_runner_and_fails() {
    if !mdbook_installed() {
        println!("skipped: mdBook 0.5.4 not installed (`cargo install mdbook --version 0.5.4`)");
        return;
    }
    let root = workbook("mdbook-dies");
    let (book_port, runner_port) = (free_port(), free_port());
    let mut serve = Serve::start(
        &root,
        &[
            "-p",
            &book_port.to_string(),
            "--runner-port",
            &runner_port.to_string(),
            "--no-prebuild",
        ],
    );
    serve.wait_for("link", Duration::from_secs(120), |l| {
        l.starts_with(LINK_PREFIX)
    });
    let mdbook = Command::new("pgrep")
        .args(["-g", &serve.child.id().to_string(), "-x", "mdbook"])
        .output()
        .unwrap();
    let mdbook: i32 = String::from_utf8_lossy(&mdbook.stdout)
        .trim()
        .parse()
        .expect("one mdbook in serve's process group");
    kill(Pid::from_raw(mdbook), Signal::SIGKILL).unwrap();
    let (status, output) = serve.finish(Duration::from_secs(20));
    assert!(!status.success(), "{output}");
    assert!(output.contains("mdBook stopped"), "{output}");
    assert!(output.contains("The runner was stopped too"), "{output}");
    let runner: i32 = std::fs::read_to_string(root.join("runner.pids"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(!alive(runner), "{output}");
    assert!(!root.join("my-work/serve.json").exists(), "{output}");
}

#[test]
fn a_runner_that_keeps_crashing_is_restarted_three_times_a_minute_then_left() {
    if !mdbook_installed() {
        println!("skipped: mdBook 0.5.4 not installed (`cargo install mdbook --version 0.5.4`)");
        return;
    }
    let root = workbook("crashes");
    let (book_port, runner_port) = (free_port(), free_port());
    let mut serve = Serve::start(
        &root,
        &[
            "-p",
            &book_port.to_string(),
            "--runner-port",
            &runner_port.to_string(),
            "--no-prebuild",
        ],
    );
    serve.wait_for("link", Duration::from_secs(120), |l| {
        l.starts_with(LINK_PREFIX)
    });
    std::fs::write(root.join("runner.crashes"), "").unwrap();
    let first: i32 = std::fs::read_to_string(root.join("runner.pids"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    kill(Pid::from_raw(first), Signal::SIGKILL).unwrap();
    for n in 1..=3 {
        serve.wait_for("restart", Duration::from_secs(30), |l| {
            l.contains(&format!(
                "restarting it ({n} of at most 3 restarts a minute)"
            ))
        });
    }
    serve.wait_for("giving up", Duration::from_secs(30), |l| {
        l.contains("its 4th time within a minute; it is not restarted any more")
    });
    // The book goes on; serve.json stays while it does.
    std::thread::sleep(Duration::from_secs(1));
    assert!(listening(v4(book_port)), "{}", serve.seen.join("\n"));
    assert!(root.join("my-work/serve.json").exists());
    let starts = std::fs::read_to_string(root.join("runner.pids")).unwrap();
    assert_eq!(starts.lines().count(), 4, "the first start and 3 restarts");

    kill(serve.pgid(), Signal::SIGTERM).unwrap();
    let (status, output) = serve.finish(Duration::from_secs(20));
    assert!(status.success(), "{output}");
    assert!(!root.join("my-work/serve.json").exists(), "{output}");
}
