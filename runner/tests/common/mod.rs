//! A runner on a free port, over real HTTP, with `sh` scripts as the book's
//! commands and fakes of `cargo`, `go` and the grader, each in a folder of
//! the test's own (marker files say what ran). The runner runs whatever the
//! manifest says; the manifest's shapes are mdbook-runnable's job.

#![allow(dead_code)] // each test file uses some of these

use mdbook_runnable::commands::{BookCommand, CommandManifest, Place};
use runner::exec::Limits;
use runner::{Config, Runner};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const LINK: &str = "0123456789abcdef0123456789abcdef0123456789abcdef";
pub const BOOK: &str = "http://127.0.0.1:3000";

pub struct Fixture {
    pub port: u16,
    pub dir: PathBuf,
    pub link: String,
    /// The session the link was exchanged for (the page's credential).
    pub session: String,
}

fn sh(id: &str, script: &str) -> BookCommand {
    command(id, "sh", &["-c", script])
}

fn command(id: &str, program: &str, args: &[&str]) -> BookCommand {
    BookCommand {
        id: id.to_owned(),
        text: format!("{program} {}", args.join(" ")),
        dir: ".".to_owned(),
        program: program.to_owned(),
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        shown_at: vec![Place {
            file: "src/test.md".to_owned(),
            line: 1,
        }],
        outputs: Vec::new(),
    }
}

fn executable(path: &Path, script: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, script).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

pub struct Options {
    pub time_limit: Duration,
    pub build_time: Duration,
    pub grade_time: Duration,
    /// The workspace root the runner serves (default: this repository).
    pub root: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: Duration::from_secs(30),
            build_time: Duration::from_secs(30),
            grade_time: Duration::from_secs(30),
            root: None,
        }
    }
}

/// A runner whose link was already exchanged for a session.
pub fn start(name: &str, options: Options) -> Fixture {
    let mut f = start_fresh(name, options);
    let answer = request(
        f.port,
        "POST",
        "/api/session",
        &[
            ("Host", &host(f.port)),
            ("Origin", BOOK),
            ("Authorization", &format!("Bearer {}", f.link)),
        ],
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    f.session = answer.json()["session"].as_str().unwrap().to_owned();
    f
}

/// A runner whose link was not used yet.
pub fn start_fresh(name: &str, options: Options) -> Fixture {
    let prepared = prepare(name);
    let root = options
        .root
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let runner = Runner::bind(Config {
        root,
        commands: prepared.commands,
        port: 0,
        book_port: 3000,
        check: vec!["sh".into(), prepared.grader.clone(), "{id}".into()],
        progress: vec!["sh".into(), prepared.grader, "progress".into()],
        limits: Limits {
            time: options.time_limit,
            output: 1000,
        },
        build_time: options.build_time,
        grade_limits: Limits {
            time: options.grade_time,
            output: 1000,
        },
        link_token: LINK.to_owned(),
        http: runner::http::Limits::default(),
    })
    .unwrap();
    let port = runner.port();
    let link = runner.link();
    assert_eq!(
        link,
        format!("http://127.0.0.1:3000/#runner={port}:{LINK}"),
        "the printed link names 127.0.0.1, never localhost"
    );
    std::thread::spawn(move || runner.serve());
    Fixture {
        port,
        dir: prepared.dir,
        link: LINK.to_owned(),
        session: String::new(),
    }
}

/// A test's folder with the commands manifest, the fakes and the grader.
pub struct Prepared {
    pub dir: PathBuf,
    pub commands: PathBuf,
    /// The grader script, for `sh GRADER ID`.
    pub grader: String,
}

pub fn prepare(name: &str) -> Prepared {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("bin")).unwrap();
    let d = dir.display();
    // `cargo build` waits on the lock, compiles, and records that it ran;
    // `cargo run` prints. The build takes longer than the run limit of
    // the `slow_build` test: only the program counts against it.
    let cargo = dir.join("bin/cargo");
    executable(
        &cargo,
        &format!(
            "#!/bin/sh\n\
             case \"$1\" in\n\
             build) echo '    Blocking waiting for file lock on build directory' >&2; sleep 0.3;\n\
                    echo '   Compiling listings v0.1.0' >&2; sleep $(cat {d}/build-sleep 2>/dev/null || echo 0);\n\
                    echo \"$@\" > {d}/built; [ -e {d}/break-build ] && {{ echo 'error[E0425]: nope' >&2; exit 101; }}; exit 0;;\n\
             run) echo \"ran with $*\"; exit 0;;\n\
             esac\nexit 2\n"
        ),
    );
    // `go build -o BIN ./pkg` writes a program that prints its arguments.
    let go = dir.join("bin/go");
    executable(
        &go,
        "#!/bin/sh\n\
         [ \"$1\" = build ] && [ \"$2\" = -o ] || exit 2\n\
         printf '#!/bin/sh\\necho \"go program: $*\"; echo \"GOPROXY=$GOPROXY\"\\n' > \"$3\"\n\
         chmod +x \"$3\"\n",
    );
    let manifest = CommandManifest {
        commands: vec![
            sh(
                "hello",
                &format!("echo hello; echo warning >&2; touch {d}/ran"),
            ),
            sh("fails", "echo oops >&2; exit 3"),
            // Starts a grandchild that would outlive its parent, records its
            // pid, then waits on it: only killing the group ends both.
            sh(
                "forever",
                &format!("sleep 1000 & echo $! > {d}/grandchild; wait"),
            ),
            sh("chatty", "head -c 5000 /dev/zero | tr '\\0' x"),
            // Leaves a `setsid` descendant that holds stdout open for 30 s
            // and exits at once.
            sh(
                "escape",
                &format!(
                    "setsid sh -c 'echo $$ > {d}/escapee.tmp; mv {d}/escapee.tmp {d}/escapee; sleep 30; echo late' & \
                     while [ ! -e {d}/escapee ]; do sleep 0.05; done; echo started"
                ),
            ),
            // The same, forever, and the run itself never ends either.
            sh(
                "escape_forever",
                &format!(
                    "setsid sh -c 'echo $$ > {d}/escapee.tmp; mv {d}/escapee.tmp {d}/escapee; exec sleep infinity' & sleep 1000"
                ),
            ),
            // Escapes the group and the marker (setsid, empty environment)
            // and holds stdout for 30 s; the run itself exits at once.
            sh(
                "escape_all",
                &format!(
                    "setsid env -i sh -c 'echo $$ > {d}/escapee.tmp; mv {d}/escapee.tmp {d}/escapee; sleep 30' & \\
                     while [ ! -e {d}/escapee ]; do sleep 0.05; done; echo started"
                ),
            ),
            command(
                "listing",
                &cargo.display().to_string(),
                &[
                    "run",
                    "--release",
                    "-p",
                    "listings",
                    "--example",
                    "demo",
                    "--",
                    "7",
                ],
            ),
            command(
                "goprog",
                &go.display().to_string(),
                &["run", "./leak/cmd/oneshot", "-n", "3"],
            ),
        ],
        exercises: Vec::new(),
    };
    let commands = dir.join("commands.json");
    std::fs::write(&commands, serde_json::to_string(&manifest).unwrap()).unwrap();
    // Records start and end of each grading in one file, so the tests can
    // tell whether two ever overlapped.
    let grader = dir.join("grader.sh");
    std::fs::write(
        &grader,
        format!(
            "echo \"start $1\" >> {d}/graded; echo \"building $1...\" >&2; sleep $(cat {d}/grade-sleep 2>/dev/null || echo 0.3);\n\
             [ -e {d}/hang-grader ] && sleep 1000\n\
             echo \"grading $1...\" >&2; echo \"end $1\" >> {d}/graded\n\
             printf '{{\"id\":\"%s\",\"status\":\"failed\",\"passed\":1,\"total\":2,\"checks\":[\
             {{\"name\":\"a\",\"ok\":true,\"message\":null}},{{\"name\":\"b\",\"ok\":false,\"message\":\"who drops tx?\"}}],\
             \"broken\":null}}\\n' \"$1\"; exit 1\n"
        ),
    )
    .unwrap();
    Prepared {
        dir,
        commands,
        grader: grader.display().to_string(),
    }
}

pub struct Answer {
    pub status: u16,
    /// Lower-cased.
    pub headers: String,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    pub fn reason(&self) -> String {
        self.json()["reason"].as_str().unwrap_or("").to_owned()
    }

    /// The NDJSON lines of a stream.
    pub fn events(&self) -> Vec<Value> {
        self.body
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// The last event, which must be `done`: its result.
    pub fn result(&self) -> Value {
        let events = self.events();
        let last = events
            .last()
            .unwrap_or_else(|| panic!("no event: {}", self.body));
        assert_eq!(last["event"], "done", "{}", self.body);
        last["result"].clone()
    }

    pub fn phases(&self) -> Vec<String> {
        self.events()
            .iter()
            .filter(|e| e["event"] == "phase")
            .map(|e| e["phase"].as_str().unwrap().to_owned())
            .collect()
    }

    pub fn has_cors(&self) -> bool {
        self.headers
            .contains(&format!("access-control-allow-origin: {BOOK}\r\n"))
    }
}

/// Sends raw bytes and reads the answer to the end (60 s at most).
pub fn exchange(port: u16, bytes: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A runner that never answers fails the test instead of hanging it.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    // The runner may answer and close before reading all of it (a refused
    // body): a failed write is not the test's failure; the answer is.
    let _ = stream.write_all(bytes);
    read_answer(stream)
}

pub fn read_answer(mut stream: TcpStream) -> Answer {
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        if raw.is_empty() {
            panic!("no answer within 60 s: {e}");
        }
    }
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP answer: {raw:?}"));
    Answer {
        status,
        headers: format!("{}\r\n", head.to_ascii_lowercase()),
        body: body.to_owned(),
    }
}

/// One request with exactly these headers (a client library would fix Host).
pub fn request(port: u16, method: &str, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut text = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    exchange(port, text.as_bytes())
}

pub fn host(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

/// What the book's page sends: its Host, Origin and session.
pub fn book_request(f: &Fixture, method: &str, path: &str) -> Answer {
    let bearer = format!("Bearer {}", f.session);
    request(
        f.port,
        method,
        path,
        &[
            ("Host", &host(f.port)),
            ("Origin", BOOK),
            ("Authorization", &bearer),
        ],
    )
}

/// The page's probe answers, and fast (the runner is not wedged).
pub fn assert_still_serves(f: &Fixture) {
    let started = Instant::now();
    let hello = book_request(f, "GET", "/api/hello");
    assert_eq!(
        hello.status, 200,
        "a good request after the attack: {}",
        hello.body
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "a good request took {:?}",
        started.elapsed()
    );
}

/// Polls until a good request is answered 200 (slots held by an attack are
/// given back on their own limits), for at most 30 s; the time it took.
pub fn time_until_served(f: &Fixture) -> Duration {
    let started = Instant::now();
    loop {
        let hello = book_request(f, "GET", "/api/hello");
        if hello.status == 200 {
            return started.elapsed();
        }
        assert_eq!(hello.status, 503, "{}", hello.body);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still busy after 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn assert_nothing_ran(f: &Fixture) {
    assert!(
        !f.dir.join("ran").exists(),
        "an attack ran the book's command"
    );
}

/// Polls `probe` (every 20 ms, at most 20 s): for things another process
/// does, which the test cannot be told about.
pub fn wait_for<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..1000 {
        if let Some(value) = probe() {
            return value;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("gave up after 20 s waiting for {what}");
}

/// Gone, or a zombie nobody reaped yet.
pub fn is_gone(pid: &str) -> bool {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).ok();
    stat.is_none_or(|s| s.contains(") Z "))
}

/// Gone and reaped: not even a zombie left. (An orphan of a run is
/// re-parented to the runner, here the test process, which must reap it.)
pub fn is_reaped(pid: &str) -> bool {
    !Path::new(&format!("/proc/{}", pid.trim())).exists()
}
