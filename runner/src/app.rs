//! The endpoints (see README.md for the protocol): who may ask (Host, Origin,
//! no body, the session), then what: run a command of the book's manifest,
//! grade an exercise of `exercises/exercises.toml`, progress, an exercise's
//! file. Ids only select; nothing else of a request reaches a process, except
//! the one body the runner reads: the edited text of a listing
//! (`POST /api/edit/ID`), which goes into a scratch copy and nowhere else.

use crate::Config;
use crate::edit;
use crate::events::{Events, Phase, PhaseReader};
use crate::exec::{self, Control, Finished, Job, Limits};
use crate::experiment;
use crate::guard::{self, Credentials, Refusal, Site};
use crate::http::{self, Client, HeadError, Request};
use crate::plan::{self, Plan, Step};
use mdbook_runnable::CommandManifest;
use mdbook_runnable::commands::BookCommand;
use mdbook_runnable::edit::{EditManifest, MAX_TEXT};
use mdbook_runnable::experiments::{self, ExperimentManifest};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The largest exercise file `/api/file/ID` sends.
const FILE_MAX: u64 = 1 << 20;

/// How much of a grader's output an `error` event carries.
const TAIL: usize = 4000;

const BODY_NOT_ALLOWED: Refusal = Refusal::new(
    413,
    "body_not_allowed",
    "only POST /api/edit/ID takes a request body",
);
const LENGTH_REQUIRED: Refusal = Refusal::new(
    411,
    "length_required",
    "send the edited text with one Content-Length (no Transfer-Encoding)",
);
const TEXT_TOO_LARGE: Refusal = Refusal::new(
    413,
    "too_large",
    "the edited text is over 64 KiB; it was not read",
);
const NOT_FOUND: Refusal = Refusal::new(404, "not_found", "no such endpoint");
const ALREADY_RUNNING: Refusal = Refusal::new(
    409,
    "already_running",
    "this is already running: wait for it to finish",
);

pub struct App {
    config: Config,
    site: Site,
    credentials: Credentials,
    runner_port: u16,
    /// Where Go programs are built, a folder per command id.
    scratch: PathBuf,
    /// What runs or waits now: `run:ID`, `check:ID`, `progress`.
    busy: Mutex<HashSet<String>>,
    /// One grader process at a time: Check and progress both write
    /// `my-work/`, and both compile in `target/grade/`.
    grader: Mutex<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The data behind these locks stays consistent through a panic (a set
    // of keys, a unit), so a poisoned lock is used as it is.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A key of `App::busy`, given back when dropped (a panicking handler too).
struct Claim<'a> {
    busy: &'a Mutex<HashSet<String>>,
    key: String,
}

impl<'a> Claim<'a> {
    fn take(busy: &'a Mutex<HashSet<String>>, key: String) -> Result<Claim<'a>, Refusal> {
        if !lock(busy).insert(key.clone()) {
            return Err(ALREADY_RUNNING);
        }
        Ok(Claim { busy, key })
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        lock(self.busy).remove(&self.key);
    }
}

/// The endpoints, by path: the session exchange (which takes the link
/// token), and the rest (which take a session).
enum Endpoint<'a> {
    Session,
    Api(Api<'a>),
}

enum Api<'a> {
    Hello,
    File(&'a str),
    Run(&'a str),
    Experiment(&'a str),
    Edit(&'a str),
    Check(&'a str),
    Progress,
}

impl Endpoint<'_> {
    fn parse(path: &str) -> Option<Endpoint<'_>> {
        let rest = path.strip_prefix("/api/")?;
        let api = match rest.split_once('/') {
            None => match rest {
                "session" => return Some(Endpoint::Session),
                "hello" => Api::Hello,
                "progress" => Api::Progress,
                _ => return None,
            },
            Some(("file", id)) => Api::File(id),
            Some(("run", id)) => Api::Run(id),
            Some(("experiment", id)) => Api::Experiment(id),
            Some(("edit", id)) => Api::Edit(id),
            Some(("check", id)) => Api::Check(id),
            Some(_) => return None,
        };
        Some(Endpoint::Api(api))
    }

    fn method(&self) -> &'static str {
        match self {
            Endpoint::Session
            | Endpoint::Api(Api::Run(_) | Api::Experiment(_) | Api::Edit(_) | Api::Check(_)) => {
                "POST"
            }
            Endpoint::Api(Api::Hello | Api::File(_) | Api::Progress) => "GET",
        }
    }
}

impl App {
    pub fn new(config: Config, runner_port: u16) -> Result<App, String> {
        let scratch = config
            .root
            .join("target")
            .join("runner-scratch")
            .join(runner_port.to_string());
        // Left over from an earlier start on this port: nothing in it is
        // kept. A run makes its own folder in it when it needs one.
        let _ = std::fs::remove_dir_all(&scratch);
        Ok(App {
            site: Site::new(config.book_port, runner_port),
            credentials: Credentials::new(config.link_token.clone()),
            runner_port,
            scratch,
            busy: Mutex::new(HashSet::new()),
            grader: Mutex::new(()),
            config,
        })
    }

    pub fn link(&self) -> String {
        format!(
            "{}/#runner={}:{}",
            guard::book_origin(self.config.book_port),
            self.runner_port,
            self.config.link_token
        )
    }

    pub fn http_limits(&self) -> http::Limits {
        self.config.http
    }

    /// Headers every answer carries; CORS only for the book's own origin.
    fn common_headers(&self, cors: bool) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
            ("Vary", "Origin".to_owned()),
        ];
        if cors {
            headers.push(("Access-Control-Allow-Origin", self.site.origin().to_owned()));
        }
        headers
    }

    fn json_bytes(
        &self,
        status: u16,
        value: &Value,
        cors: bool,
        extra: &[(&'static str, String)],
    ) -> Vec<u8> {
        let body = value.to_string();
        let mut headers = self.common_headers(cors);
        headers.push(("Content-Type", "application/json".to_owned()));
        headers.push(("Content-Length", body.len().to_string()));
        headers.extend(extra.iter().cloned());
        let mut bytes = http::head_bytes(status, &headers);
        bytes.extend(body.as_bytes());
        bytes
    }

    fn refusal_bytes(&self, refusal: &Refusal, cors: bool) -> Vec<u8> {
        let extra: Vec<(&'static str, String)> = if refusal.status == 405 {
            vec![("Allow", "GET, POST, OPTIONS".to_owned())]
        } else {
            Vec::new()
        };
        self.json_bytes(
            refusal.status,
            &json!({"error": refusal.text, "reason": refusal.reason}),
            cors,
            &extra,
        )
    }

    /// Answers one request; `Err` is a refusal not sent yet.
    fn route(&self, request: &Request, client: &mut Client, cors: bool) -> Result<(), Refusal> {
        self.site
            .check(request.one("host"), request.one("origin"))?;
        let endpoint = Endpoint::parse(request.path());
        // Only an edit's POST may carry a body, read once its session is
        // known (`edit`); any other declared body is refused, never read.
        let takes_body =
            request.method == "POST" && matches!(endpoint, Some(Endpoint::Api(Api::Edit(_))));
        let declares_body = request.all("transfer-encoding").next().is_some()
            || request
                .all("content-length")
                .any(|v| v.parse::<u64>() != Ok(0));
        if declares_body && !takes_body {
            return Err(BODY_NOT_ALLOWED);
        }
        if request.method == "OPTIONS" {
            let mut headers = self.common_headers(cors);
            headers.push(("Access-Control-Allow-Methods", "GET, POST".to_owned()));
            headers.push(("Access-Control-Allow-Headers", "Authorization".to_owned()));
            headers.push(("Access-Control-Max-Age", "600".to_owned()));
            headers.push(("Content-Length", "0".to_owned()));
            let _ = client.send(&http::head_bytes(204, &headers));
            return Ok(());
        }
        let endpoint = endpoint.ok_or(NOT_FOUND)?;
        if request.method != endpoint.method() {
            return Err(Refusal::new(
                405,
                "method",
                if endpoint.method() == "GET" {
                    "use GET"
                } else {
                    "use POST"
                },
            ));
        }
        let authorization = request.one("authorization");
        match endpoint {
            Endpoint::Session => {
                let session = self.credentials.exchange(authorization)?;
                let answer = self.json_bytes(200, &json!({ "session": session }), cors, &[]);
                let _ = client.send(&answer);
                Ok(())
            }
            Endpoint::Api(api) => {
                self.credentials.check_session(authorization)?;
                self.answer(api, request, client, cors)
            }
        }
    }

    /// An endpoint behind the session.
    fn answer(
        &self,
        api: Api,
        request: &Request,
        client: &mut Client,
        cors: bool,
    ) -> Result<(), Refusal> {
        let json = match api {
            Api::Hello => self.hello(),
            Api::File(id) => self.file(id)?,
            Api::Run(id) => return self.run(id, client, cors),
            Api::Experiment(id) => return self.experiment(id, client, cors),
            Api::Edit(id) => return self.edit(id, request, client, cors),
            Api::Check(id) => {
                self.known_exercise(id)?;
                let argv: Vec<String> = self
                    .config
                    .check
                    .iter()
                    .map(|a| a.replace("{id}", id))
                    .collect();
                return self.grade(&format!("check:{id}"), &argv, client, cors);
            }
            Api::Progress => {
                let argv = self.config.progress.clone();
                return self.grade("progress", &argv, client, cors);
            }
        };
        let _ = client.send(&self.json_bytes(200, &json, cors, &[]));
        Ok(())
    }

    fn hello(&self) -> Value {
        let commands = self.commands().map(|m| m.commands.len()).unwrap_or(0);
        let exercises = self.exercise_ids().unwrap_or_default();
        json!({
            "runner": "who-closes-the-channel",
            "commands": commands,
            "exercises": exercises,
            "book_port": self.config.book_port,
        })
    }

    fn commands(&self) -> Result<CommandManifest, String> {
        CommandManifest::load(&self.config.root.join(&self.config.commands))
    }

    fn exercise_ids(&self) -> Result<Vec<String>, String> {
        let manifest = manifest::Manifest::load(&self.config.root).map_err(|e| e.to_string())?;
        Ok(manifest.ids().map(str::to_owned).collect())
    }

    fn known_exercise(&self, id: &str) -> Result<(), Refusal> {
        let known = self.exercise_ids().map_err(|_| {
            Refusal::new(404, "not_found", "exercises/exercises.toml cannot be read")
        })?;
        if known.iter().any(|k| k == id) {
            Ok(())
        } else {
            Err(Refusal::new(
                404,
                "not_found",
                "no exercise with this id in exercises/exercises.toml",
            ))
        }
    }

    /// The learner's file as it is now on disk: a regular file (not a link
    /// to somewhere else), at most 1 MiB.
    fn file(&self, id: &str) -> Result<Value, Refusal> {
        self.known_exercise(id)?;
        let path = format!("exercises/src/{id}.rs");
        let full = self.config.root.join(&path);
        let unreadable = Refusal::new(
            404,
            "not_found",
            "the exercise's file is missing, not a plain file, or over 1 MiB",
        );
        let meta = std::fs::symlink_metadata(&full).map_err(|_| unreadable.clone())?;
        if !meta.is_file() || meta.len() > FILE_MAX {
            return Err(unreadable);
        }
        let text = std::fs::read_to_string(&full).map_err(|_| unreadable)?;
        Ok(json!({"id": id, "path": path, "text": text}))
    }

    /// The head of an NDJSON stream; `None` when the client is gone.
    fn start_stream<'c>(&self, client: &'c mut Client, cors: bool) -> Option<Events<'c>> {
        let mut headers = self.common_headers(cors);
        headers.push(("Content-Type", "application/x-ndjson".to_owned()));
        client.send(&http::head_bytes(200, &headers)).ok()?;
        Some(Events::new(client))
    }

    fn run(&self, id: &str, client: &mut Client, cors: bool) -> Result<(), Refusal> {
        let manifest = self.commands().map_err(|_| {
            Refusal::new(
                404,
                "not_found",
                "the book's commands manifest is missing: build the book first",
            )
        })?;
        let command = manifest.command(id).cloned().ok_or(Refusal::new(
            404,
            "not_found",
            "no command with this id in the book's commands manifest",
        ))?;
        let _claim = Claim::take(&self.busy, format!("run:{id}"))?;
        let Some(mut events) = self.start_stream(client, cors) else {
            return Ok(());
        };
        let scratch = self.scratch.join(&command.id);
        let plan = plan::plan(&command, &scratch);
        if plan.build.is_some() {
            if let Err(e) = std::fs::create_dir_all(&scratch) {
                events.error(&format!("cannot make {}: {e}", scratch.display()), "");
                return Ok(());
            }
        }
        match self.build_then_run(&command, &plan, plan.env, &mut events) {
            Ok((done, limits, step)) => events.done(&run_json(&command, &done, limits, step)),
            Err(e) => events.error(&e, ""),
        }
        Ok(())
    }

    /// A guided experiment: its package copied to
    /// `SCRATCH/experiments/ID/`, the manifest's edit applied to the copy,
    /// then built and run like Run. Nothing is written before the id is
    /// known and claimed.
    fn experiment(&self, id: &str, client: &mut Client, cors: bool) -> Result<(), Refusal> {
        let unknown = Refusal::new(
            404,
            "not_found",
            "no experiment with this id in the book's experiments manifest",
        );
        if !experiments::is_valid_id(id) {
            return Err(unknown);
        }
        let manifest = ExperimentManifest::load(&self.experiments_path()).map_err(|_| {
            Refusal::new(
                404,
                "not_found",
                "the book's experiments manifest is missing: build the book first",
            )
        })?;
        let experiment = manifest.experiment(id).cloned().ok_or(unknown)?;
        let _claim = Claim::take(&self.busy, format!("experiment:{id}"))?;
        let Some(mut events) = self.start_stream(client, cors) else {
            return Ok(());
        };
        events.phase(
            Phase::Building,
            &format!(
                "copying {} to a scratch folder and editing {}",
                experiment.package, experiment.file
            ),
        );
        let scratch = self.scratch.join("experiments").join(id);
        let ready = match experiment::ready(
            &self.config.root,
            &experiment,
            &scratch,
            &self.experiments_target(),
        ) {
            Ok(ready) => ready,
            Err(e) => {
                events.error(&e, "");
                return Ok(());
            }
        };
        let env = ready.env();
        match self.build_then_run(&ready.command, &ready.plan, &env, &mut events) {
            Ok((done, limits, step)) => {
                let mut result = run_json(&ready.command, &done, limits, step);
                let failed = (!done.succeeded()).then_some(step);
                result["experiment"] = experiment::judge(&experiment, failed, &done);
                events.done(&result);
            }
            Err(e) => events.error(&e, ""),
        }
        Ok(())
    }

    /// The page's edit of a listing: the listing's package copied to
    /// `SCRATCH/edit/ID/copy/`, the request's text spliced into the region
    /// the edits manifest names, then built and run like Run. Before the
    /// body is read: its length is declared and at most 64 KiB, the id is in
    /// the manifest and claimed. Nothing of the request but the text is used.
    fn edit(
        &self,
        id: &str,
        request: &Request,
        client: &mut Client,
        cors: bool,
    ) -> Result<(), Refusal> {
        if request.all("transfer-encoding").next().is_some() {
            return Err(LENGTH_REQUIRED);
        }
        // Digits only (`parse` would take a `+`), one header only.
        let length = request
            .one("content-length")
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or(LENGTH_REQUIRED)?;
        if length > MAX_TEXT as u64 {
            return Err(TEXT_TOO_LARGE);
        }
        let unknown = Refusal::new(
            404,
            "not_found",
            "no editable listing with this id in the book's edits manifest",
        );
        if !experiments::is_valid_id(id) {
            return Err(unknown);
        }
        let missing = Refusal::new(
            404,
            "not_found",
            "the book's edits manifest is missing: build the book first",
        );
        let manifest = EditManifest::load(&self.edits_path()).map_err(|_| missing.clone())?;
        let entry = manifest.edit(id).cloned().ok_or(unknown)?;
        let command = self
            .commands()
            .map_err(|_| missing)?
            .command(&entry.command)
            .cloned()
            .ok_or(Refusal::new(
                404,
                "not_found",
                "the listing's program is not in the book's commands manifest: build the book again",
            ))?;
        let _claim = Claim::take(&self.busy, format!("edit:{id}"))?;
        let length = usize::try_from(length).unwrap_or(usize::MAX);
        let body = client
            .read_body(&request.early, length, self.config.http.head_time)
            .ok_or(Refusal::new(
                408,
                "timeout",
                "the edited text did not arrive whole in time",
            ))?;
        let text = String::from_utf8(body)
            .map_err(|_| Refusal::new(400, "bad_request", "the edited text is not UTF-8"))?;
        let Some(mut events) = self.start_stream(client, cors) else {
            return Ok(());
        };
        events.phase(
            Phase::Building,
            &format!(
                "copying {} to a scratch folder and putting your text into {}",
                entry.package,
                entry.path()
            ),
        );
        let scratch = self.scratch.join("edit").join(id);
        let prepared = match edit::ready(
            &self.config.root,
            &entry,
            &command,
            &text,
            &scratch,
            &self.experiments_target(),
        ) {
            Ok(prepared) => prepared,
            Err(e) => {
                events.error(&e, "");
                return Ok(());
            }
        };
        let ready = &prepared.ready;
        let env = ready.env();
        match self.build_then_run(&ready.command, &ready.plan, &env, &mut events) {
            Ok((mut done, limits, step)) => {
                let mut marks = Vec::new();
                let mut last = String::new();
                for (_, chunk) in &mut done.chunks {
                    let region = edit::Region {
                        first: prepared.first_line,
                        count: prepared.lines,
                        indent: prepared.indent,
                    };
                    *chunk = edit::map_output(chunk, &entry.file, region, &mut marks, &mut last);
                }
                let mut result = run_json(&ready.command, &done, limits, step);
                result["command"] = json!(command.text);
                result["edit"] = edit::marks_json(&entry, prepared.first_line, &marks);
                events.done(&result);
            }
            Err(e) => events.error(&e, ""),
        }
        Ok(())
    }

    /// Beside the commands manifest, written by the same build.
    fn edits_path(&self) -> PathBuf {
        self.config
            .root
            .join(&self.config.commands)
            .with_file_name(mdbook_runnable::edit::MANIFEST_NAME)
    }

    /// Beside the commands manifest, written by the same build.
    fn experiments_path(&self) -> PathBuf {
        self.config
            .root
            .join(&self.config.commands)
            .with_file_name(experiments::MANIFEST_NAME)
    }

    /// One Cargo target for every Rust experiment and edit, kept across
    /// starts (it holds compiled dependencies; an edit's own crate builds
    /// there too, under a version of its own, and is rebuilt on each edit).
    fn experiments_target(&self) -> PathBuf {
        self.config
            .root
            .join("target")
            .join("runner-scratch")
            .join("experiments-target")
    }

    /// Build (if the plan has a build step), then run; the finished step,
    /// its limits and its name (`build` when the build failed).
    fn build_then_run(
        &self,
        command: &BookCommand,
        plan: &Plan,
        env: &[(&str, &str)],
        events: &mut Events,
    ) -> Result<(Finished, Limits, &'static str), String> {
        if let Some(build) = &plan.build {
            events.phase(Phase::Building, &format!("building: {}", build.text()));
            let limits = Limits {
                time: self.config.build_time,
                ..self.config.limits
            };
            let mut phases = PhaseReader::new(Phase::Building, None);
            let done = self.step(command, build, env, limits, &mut |stream, line| {
                phases.line(events, stream, line)
            })?;
            if !done.succeeded() {
                return Ok((done, limits, "build"));
            }
        }
        events.phase(Phase::Running, &format!("running: {}", command.text));
        let limits = self.config.limits;
        let done = self.step(command, &plan.run, env, limits, &mut |_, _| {
            if events.gone() {
                Control::Stop
            } else {
                Control::Go
            }
        })?;
        Ok((done, limits, "run"))
    }

    fn step(
        &self,
        command: &BookCommand,
        step: &Step,
        env: &[(&str, &str)],
        limits: Limits,
        watch: &mut dyn FnMut(exec::Stream, &str) -> Control,
    ) -> Result<Finished, String> {
        exec::run_watched(
            Job {
                dir: &self.config.root.join(&command.dir),
                program: &step.program,
                args: &step.args,
                env,
                limits,
            },
            watch,
        )
    }

    /// Check or progress: one grader process at a time, streamed.
    fn grade(
        &self,
        key: &str,
        argv: &[String],
        client: &mut Client,
        cors: bool,
    ) -> Result<(), Refusal> {
        let Some((program, args)) = argv.split_first() else {
            return Err(Refusal::new(
                500,
                "internal",
                "no grader command is configured",
            ));
        };
        let _claim = Claim::take(&self.busy, key.to_owned())?;
        let Some(mut events) = self.start_stream(client, cors) else {
            return Ok(());
        };
        let _turn = match self.grader.try_lock() {
            Ok(turn) => turn,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                events.phase(
                    Phase::Waiting,
                    "waiting for another Check or progress to finish",
                );
                lock(&self.grader)
            }
        };
        let shown = argv.join(" ");
        events.phase(Phase::Building, &format!("starting `{shown}`"));
        let limits = Limits {
            time: self.config.build_time,
            ..self.config.grade_limits
        };
        let mut phases = PhaseReader::new(Phase::Building, Some(self.config.grade_limits.time));
        let done = exec::run_watched(
            Job {
                dir: &self.config.root,
                program,
                args,
                env: &[],
                limits,
            },
            &mut |stream, line| phases.line(&mut events, stream, line),
        );
        let done = match done {
            Ok(done) => done,
            Err(e) => {
                events.error(&e, "");
                return Ok(());
            }
        };
        let stdout = done.stdout();
        let verdict = stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .and_then(|l| serde_json::from_str::<Value>(l).ok());
        match verdict {
            Some(verdict) if !done.timed_out && !done.truncated && !done.stopped => {
                events.done(&verdict);
            }
            _ => {
                let why = if done.timed_out {
                    format!("`{shown}` did not finish within its time limit and was stopped")
                } else if done.truncated {
                    format!("`{shown}` printed more than its output cap")
                } else {
                    format!("`{shown}` did not print a verdict")
                };
                events.error(&why, &done.tail(TAIL));
            }
        }
        Ok(())
    }
}

/// The result of a Run: what the program did, and which step stopped it.
fn run_json(command: &BookCommand, done: &Finished, limits: Limits, step: &str) -> Value {
    let mut notes = Vec::new();
    if done.timed_out {
        notes.push(if step == "build" {
            format!(
                "the build was stopped after {} s: its time limit (--build-time-limit)",
                limits.time.as_secs()
            )
        } else {
            format!(
                "stopped after {} s: the time limit (everything it started was killed)",
                limits.time.as_secs()
            )
        });
    }
    if done.truncated {
        notes.push(format!("output truncated at {} KiB", limits.output / 1024));
    }
    let mut result = json!({
        "id": command.id,
        "command": command.text,
        "exit_code": done.code,
        "signal": done.signal,
        "timed_out": done.timed_out,
        "truncated": done.truncated,
        "millis": u64::try_from(done.elapsed.as_millis()).unwrap_or(u64::MAX),
        "output": done.chunks.iter().map(|(s, t)| json!({"stream": s.name(), "text": t})).collect::<Vec<_>>(),
        "notes": notes,
    });
    if !done.succeeded() {
        result["phase"] = json!(step);
    }
    result
}

impl http::Handler for App {
    fn handle(&self, head: Result<Request, HeadError>, client: &mut Client) {
        let request = match head {
            Ok(request) => request,
            Err(HeadError::Gone) => return,
            // The head could not be read whole or trusted, so its Origin is
            // unknown: the book's origin is named anyway, as on the busy
            // answer. The page can meet a 431: the browser sends every
            // cookie of 127.0.0.1, whatever port set it.
            Err(HeadError::TooLarge(text)) => {
                let refusal = Refusal::new(431, "too_large", text);
                let _ = client.send(&self.refusal_bytes(&refusal, true));
                return;
            }
            Err(HeadError::Malformed(text)) => {
                let refusal = Refusal::new(400, "bad_request", text);
                let _ = client.send(&self.refusal_bytes(&refusal, true));
                return;
            }
        };
        let cors = self.site.is_book(request.one("origin"));
        if let Err(refusal) = self.route(&request, client, cors) {
            if !client.answered() {
                let _ = client.send(&self.refusal_bytes(&refusal, cors));
            }
        }
    }

    fn busy_answer(&self) -> Vec<u8> {
        // Sent before the request is read, so its Origin is unknown: the
        // book's origin is named anyway (naming it grants nothing to
        // another origin), or the page could not read why it was refused.
        let refusal = Refusal::new(
            503,
            "busy",
            "the runner has too many open connections; try again in a moment",
        );
        self.refusal_bytes(&refusal, true)
    }

    fn panic_answer(&self) -> Vec<u8> {
        let refusal = Refusal::new(
            500,
            "internal",
            "the runner failed on this request (a bug); other requests still work",
        );
        self.refusal_bytes(&refusal, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_given_back_even_when_its_holder_panics() {
        let busy = Mutex::new(HashSet::new());
        let first = Claim::take(&busy, "run:x".to_owned()).unwrap();
        assert_eq!(
            Claim::take(&busy, "run:x".to_owned()).err(),
            Some(ALREADY_RUNNING)
        );
        let other = Claim::take(&busy, "run:y".to_owned());
        assert!(other.is_ok());
        drop(other);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _held = first;
            panic!("a handler's bug");
        }));
        assert!(panicked.is_err());
        assert!(Claim::take(&busy, "run:x".to_owned()).is_ok());
        // The lock was poisoned by nothing (the panic was outside it), and a
        // poisoned one would still be used.
        assert!(lock(&busy).is_empty());
    }

    #[test]
    fn paths_select_endpoints_and_nothing_else() {
        assert!(matches!(
            Endpoint::parse("/api/run/a"),
            Some(Endpoint::Api(Api::Run("a")))
        ));
        assert!(matches!(
            Endpoint::parse("/api/file/leak_coordinator"),
            Some(Endpoint::Api(Api::File("leak_coordinator")))
        ));
        assert!(matches!(
            Endpoint::parse("/api/session"),
            Some(Endpoint::Session)
        ));
        for path in [
            "/",
            "/api",
            "/api/",
            "/api/nothing",
            "/api/x/y",
            "/apix/hello",
            "/api/hello/",
        ] {
            assert!(Endpoint::parse(path).is_none(), "{path}");
        }
    }
}
