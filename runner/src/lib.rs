//! The book's local runner: a small HTTP server on 127.0.0.1 that the book's
//! page calls to run the commands the book shows and to grade the learner's
//! exercises. `runner/README.md` is the protocol and what it promises; each
//! promise has a test in `runner/tests/`.
//!
//! Modules: `http` (the server and its limits), `guard` (Host, Origin, link
//! token and sessions), `app` (the endpoints), `plan` (build-then-run of a
//! book command), `exec` (one program with limits), `hygiene` (nothing a run
//! starts outlives it), `events` (the NDJSON streams), `edit` (the page's edit of a listing, in a scratch copy),
//! `book_commands` (a
//! maintainer command: every book command once, against its output block).

mod app;
pub mod book_commands;
pub mod edit;
pub mod events;
pub mod exec;
pub mod experiment;
pub mod guard;
pub mod http;
pub mod hygiene;
pub mod plan;

use exec::Limits;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// The workspace root: commands run from here (or the folder they name).
    pub root: PathBuf,
    /// The commands manifest the book build writes.
    pub commands: PathBuf,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// The port `mdbook serve` serves the book on: `http://127.0.0.1:PORT`
    /// is the only origin allowed.
    pub book_port: u16,
    /// The grader: program and arguments, `{id}` replaced by the exercise id.
    /// It prints one JSON verdict (see README.md).
    pub check: Vec<String>,
    /// Prints the learner's progress as JSON.
    pub progress: Vec<String>,
    /// A book command's program (its build has `build_time`).
    pub limits: Limits,
    /// Compiling: a build step, and the grader until it says it grades.
    pub build_time: Duration,
    /// The grader once it grades (its own watchdog already stops a learner's
    /// infinite loop within about a second); `output` caps what it prints.
    pub grade_limits: Limits,
    /// Good for one `POST /api/session`.
    pub link_token: String,
    pub http: http::Limits,
}

pub struct Runner {
    listener: TcpListener,
    port: u16,
    app: Arc<app::App>,
}

impl Runner {
    /// Binds 127.0.0.1 (never another interface) at `config.port`.
    pub fn bind(config: Config) -> Result<Runner, String> {
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", config.port))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("the listener has no address: {e}"))?
            .port();
        let app = app::App::new(config, port)?;
        Ok(Runner {
            listener,
            port,
            app: Arc::new(app),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The link the learner opens: the book at 127.0.0.1 (never `localhost`,
    /// which may resolve to `::1`, where another process can listen), with
    /// the runner's port and the link token in the fragment (a fragment is
    /// never sent to a server).
    pub fn link(&self) -> String {
        self.app.link()
    }

    /// Serves until the process ends. Makes this process the reaper of what
    /// runs leave behind (Linux).
    pub fn serve(self) {
        if let Err(e) = hygiene::become_subreaper() {
            eprintln!("runner: {e}; orphans of a run are reaped by init instead");
        }
        let limits = self.app.http_limits();
        http::serve(self.listener, limits, self.app);
    }
}
