//! The book's local runner: a small HTTP server on loopback that the book's
//! page calls to run the commands the book shows and to grade the learner's
//! exercises. What it promises (DESIGN.md §11), each with a test:
//!
//! - it binds 127.0.0.1 only;
//! - it runs only commands from the book's generated manifest
//!   (`target/runnable/commands.json`) and grades only exercises in
//!   `exercises/exercises.toml`, both by id: no command text, path or code is
//!   ever taken from a request;
//! - every request needs the per-start token, the book's own `Origin` and a
//!   loopback `Host` at the runner's port;
//! - one run per command at a time, a time limit that kills the process
//!   group, an output cap.
//!
//! API (JSON answers; `Authorization: Bearer TOKEN` on every request):
//! `GET /api/hello`, `POST /api/run/ID`, `POST /api/check/ID`, `GET /api/progress`.

pub mod book_commands;
pub mod exec;
pub mod guard;

use exec::Limits;
use guard::{Guard, Refusal};
use mdbook_runnable::CommandManifest;
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tiny_http::{Header, Method, Request, Response, Server};

/// Requests handled at once; more get 503 rather than more threads.
const MAX_IN_FLIGHT: usize = 16;

#[derive(Debug, Clone)]
pub struct Config {
    /// The workspace root: commands run from here (or the folder they name).
    pub root: PathBuf,
    /// The commands manifest the book build writes.
    pub commands: PathBuf,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// The port `mdbook serve` serves the book on: its origin is the only
    /// one allowed.
    pub book_port: u16,
    /// The grader: program and arguments, `{id}` replaced by the exercise id.
    /// It prints one JSON verdict (see README.md).
    pub check: Vec<String>,
    /// Prints the learner's progress as JSON.
    pub progress: Vec<String>,
    /// For a command of the book.
    pub limits: Limits,
    /// For the grader and progress: longer, because the first Check after
    /// a fresh clone compiles the exercises crate (the grader's own watchdog
    /// already stops a learner's infinite loop within about a second).
    pub grade_limits: Limits,
    pub token: String,
}

pub struct Runner {
    server: Server,
    port: u16,
    state: Arc<State>,
}

struct State {
    config: Config,
    guard: Guard,
    /// What is running now: `run:ID`, `check:ID`, `progress`.
    busy: Mutex<HashSet<String>>,
    in_flight: AtomicUsize,
}

impl Runner {
    /// Binds 127.0.0.1 (never another interface) at `config.port`.
    pub fn bind(config: Config) -> Result<Runner, String> {
        let server = Server::http(("127.0.0.1", config.port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
        let port = server
            .server_addr()
            .to_ip()
            .map(|a| a.port())
            .ok_or("the server has no IP address")?;
        let guard = Guard::new(config.token.clone(), config.book_port, port);
        Ok(Runner {
            server,
            port,
            state: Arc::new(State {
                config,
                guard,
                busy: Mutex::new(HashSet::new()),
                in_flight: AtomicUsize::new(0),
            }),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process ends; each request in a thread of its own.
    pub fn serve(self) {
        for request in self.server.incoming_requests() {
            let state = Arc::clone(&self.state);
            if state.in_flight.fetch_add(1, Ordering::SeqCst) >= MAX_IN_FLIGHT {
                state.in_flight.fetch_sub(1, Ordering::SeqCst);
                let _ = request.respond(text(503, "the runner is busy; try again"));
                continue;
            }
            std::thread::spawn(move || {
                handle(&state, request);
                state.in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        }
    }
}

type Reply = Response<std::io::Cursor<Vec<u8>>>;

fn handle(state: &State, request: Request) {
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_owned())
    };
    let (host, origin, auth) = (header("Host"), header("Origin"), header("Authorization"));
    let reply = if *request.method() == Method::Options {
        state
            .guard
            .check_site(host.as_deref(), origin.as_deref())
            .map(|()| preflight())
    } else {
        state
            .guard
            .check(host.as_deref(), origin.as_deref(), auth.as_deref())
            .and_then(|()| route(state, request.method(), request.url()))
    };
    let mut reply = reply.unwrap_or_else(|refusal| text(refusal.status, refusal.reason));
    // CORS: only the book's own origin may read the answer, never `*`.
    if let Some(origin) = state.guard.allowed_origin(origin.as_deref()) {
        reply.add_header(header_of("Access-Control-Allow-Origin", origin));
    }
    reply.add_header(header_of("Vary", "Origin"));
    reply.add_header(header_of("Cache-Control", "no-store"));
    let _ = request.respond(reply);
}

fn preflight() -> Reply {
    let mut reply = Response::from_data(Vec::new()).with_status_code(204);
    reply.add_header(header_of("Access-Control-Allow-Methods", "GET, POST"));
    reply.add_header(header_of("Access-Control-Allow-Headers", "Authorization"));
    reply.add_header(header_of("Access-Control-Max-Age", "600"));
    reply
}

fn route(state: &State, method: &Method, url: &str) -> Result<Reply, Refusal> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    match (method, path.strip_prefix("/api/")) {
        (Method::Get, Some("hello")) => Ok(hello(state)),
        (Method::Get, Some("progress")) => exclusive(state, "progress", || progress(state)),
        (Method::Post, Some(rest)) => match rest.split_once('/') {
            Some(("run", id)) => run_command(state, id),
            Some(("check", id)) => check_exercise(state, id),
            _ => Err(not_found()),
        },
        (_, Some("hello" | "progress")) => Err(Refusal {
            status: 405,
            reason: "use GET",
        }),
        _ => Err(not_found()),
    }
}

fn not_found() -> Refusal {
    Refusal {
        status: 404,
        reason: "no such endpoint",
    }
}

fn hello(state: &State) -> Reply {
    let commands = load_commands(state).map(|m| m.commands.len()).unwrap_or(0);
    let exercises = exercise_ids(state).unwrap_or_default();
    json_reply(
        200,
        &json!({"runner": "who-closes-the-channel", "commands": commands, "exercises": exercises}),
    )
}

fn load_commands(state: &State) -> Result<CommandManifest, String> {
    CommandManifest::load(&state.config.root.join(&state.config.commands))
}

fn exercise_ids(state: &State) -> Result<Vec<String>, String> {
    let manifest = manifest::Manifest::load(&state.config.root).map_err(|e| e.to_string())?;
    Ok(manifest.ids().map(str::to_owned).collect())
}

/// Runs `work` unless the same key is already running: one at a time.
fn exclusive(
    state: &State,
    key: &str,
    work: impl FnOnce() -> Result<Reply, Refusal>,
) -> Result<Reply, Refusal> {
    {
        let mut busy = state.busy.lock().map_err(|_| internal())?;
        if !busy.insert(key.to_owned()) {
            return Err(Refusal {
                status: 409,
                reason: "this is already running: wait for it to finish",
            });
        }
    }
    let reply = work();
    if let Ok(mut busy) = state.busy.lock() {
        busy.remove(key);
    }
    reply
}

fn internal() -> Refusal {
    Refusal {
        status: 500,
        reason: "the runner's state is poisoned; restart it",
    }
}

fn run_command(state: &State, id: &str) -> Result<Reply, Refusal> {
    // The id only selects an entry of the manifest; nothing else of the
    // request reaches the process.
    let manifest = load_commands(state).map_err(|_| Refusal {
        status: 503,
        reason: "the book's commands manifest is missing: build the book first",
    })?;
    let Some(command) = manifest.command(id).cloned() else {
        return Err(Refusal {
            status: 404,
            reason: "no command with this id in the book's commands manifest",
        });
    };
    exclusive(state, &format!("run:{id}"), || {
        let dir = state.config.root.join(&command.dir);
        let done = exec::run(
            &dir,
            &command.program,
            &command.args,
            command.environment(),
            state.config.limits,
        )
        .map_err(|_| Refusal {
            status: 500,
            reason: "the command could not be started (is its program installed?)",
        })?;
        Ok(json_reply(
            200,
            &run_json(&command.id, &command.text, &done, state.config.limits),
        ))
    })
}

fn run_json(id: &str, text: &str, done: &exec::Finished, limits: Limits) -> Value {
    let mut notes = Vec::new();
    if done.timed_out {
        notes.push(format!(
            "stopped after {} s: the time limit (its process group was killed)",
            limits.time.as_secs()
        ));
    }
    if done.truncated {
        notes.push(format!("output truncated at {} KiB", limits.output / 1024));
    }
    json!({
        "id": id,
        "command": text,
        "exit_code": done.code,
        "signal": done.signal,
        "timed_out": done.timed_out,
        "truncated": done.truncated,
        "millis": done.elapsed.as_millis(),
        "output": done.chunks.iter().map(|(s, t)| json!({"stream": s.name(), "text": t})).collect::<Vec<_>>(),
        "notes": notes,
    })
}

fn check_exercise(state: &State, id: &str) -> Result<Reply, Refusal> {
    let known = exercise_ids(state).map_err(|_| Refusal {
        status: 503,
        reason: "exercises/exercises.toml cannot be read",
    })?;
    if !known.iter().any(|k| k == id) {
        return Err(Refusal {
            status: 404,
            reason: "no exercise with this id in exercises/exercises.toml",
        });
    }
    exclusive(state, &format!("check:{id}"), || {
        let argv: Vec<String> = state
            .config
            .check
            .iter()
            .map(|a| a.replace("{id}", id))
            .collect();
        grader_json(state, &argv)
    })
}

fn progress(state: &State) -> Result<Reply, Refusal> {
    let argv = state.config.progress.clone();
    grader_json(state, &argv)
}

/// Runs the grader (or progress) command and passes its JSON on. Its exit
/// status says passed or not; the JSON says why, so it is what counts.
fn grader_json(state: &State, argv: &[String]) -> Result<Reply, Refusal> {
    let Some((program, args)) = argv.split_first() else {
        return Err(internal());
    };
    let done = exec::run(
        &state.config.root,
        program,
        args,
        &[],
        state.config.grade_limits,
    )
    .map_err(|_| Refusal {
        status: 500,
        reason: "the grader could not be started",
    })?;
    let stdout = done.stdout();
    match serde_json::from_str::<Value>(stdout.trim()) {
        Ok(verdict) if !done.timed_out && !done.truncated => Ok(json_reply(200, &verdict)),
        _ => {
            let all: String = done.chunks.iter().map(|(_, t)| t.as_str()).collect();
            let tail: String = all
                .chars()
                .rev()
                .take(4000)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            Ok(json_reply(
                502,
                &json!({
                    "error": format!("`{}` did not print a verdict", argv.join(" ")),
                    "exit_code": done.code,
                    "timed_out": done.timed_out,
                    "output": tail,
                }),
            ))
        }
    }
}

fn json_reply(status: u16, value: &Value) -> Reply {
    let mut reply = Response::from_data(value.to_string().into_bytes()).with_status_code(status);
    reply.add_header(header_of("Content-Type", "application/json"));
    reply
}

fn text(status: u16, reason: &str) -> Reply {
    json_reply(status, &json!({ "error": reason }))
}

fn header_of(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("ASCII header")
}
