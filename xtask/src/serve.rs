//! `cargo xtask serve`: the book (`mdbook serve` on 127.0.0.1) and the local
//! runner behind its Run and Check buttons, started in an order that never
//! leaves half of it running: ports checked first, the runner and the book's
//! preprocessor built with their progress on screen, the book, then the
//! runner, whose single-use link is relayed as it prints it. While both run,
//! `serve` restarts a runner that dies (a few times a minute at most),
//! stops everything when mdBook dies, and keeps `my-work/serve.json` for the
//! links other commands print.

mod args;
mod builds;
mod children;
pub mod info;
mod ports;
mod prebuild;
mod signals;

use crate::book;
use args::{Options, Parsed};
use info::ServeInfo;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

pub use args::USAGE;

/// The runner prints this, then the link; `serve` relays the line as it is
/// (e2e reads it).
pub const LINK_PREFIX: &str = "Open the book with Run and Check buttons: ";

/// At most this many restarts of the runner within [`RESTART_WINDOW`].
const MAX_RESTARTS: usize = 3;
const RESTART_WINDOW: Duration = Duration::from_secs(60);
/// How often the children are looked at.
const POLL: Duration = Duration::from_millis(200);
/// Ctrl-C reaches the children and `serve` at once; a child that exits is
/// taken for a crash only if no stop request follows within this time.
const STOP_GRACE: Duration = Duration::from_millis(500);
/// What a stop signal is called on screen (the handler is not told which).
const STOP_SIGNAL: &str = "Ctrl-C or SIGTERM";
/// A second stop signal this long after the first ends `serve` at once.
const AT_ONCE_AFTER: Duration = Duration::from_secs(1);
/// How long the runner may take to print its link.
const RUNNER_START_LIMIT: Duration = Duration::from_secs(30);

enum Event {
    Stop(&'static str),
    /// The runner printed its link (a new one after each restart).
    Link,
}

/// Why serving ended without an error.
struct Stopped(&'static str);

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let options = match args::parse(args)? {
        Parsed::Help => {
            print!("{USAGE}");
            return Ok(());
        }
        Parsed::Serve(options) => options,
    };
    // Before anything starts or is built; again just before each start.
    check_ports(&options)?;
    let (tx, rx) = mpsc::channel();
    let stopping = Arc::new(AtomicBool::new(false));
    stop_on_signals(root, tx.clone(), Arc::clone(&stopping))?;
    let session = Session {
        root: root.to_path_buf(),
        options,
        tx,
        rx,
        stopping,
    };
    match session.serve() {
        Ok(Stopped(why)) => {
            println!("serve: stopped ({why}).");
            Ok(())
        }
        // A build or install that Ctrl-C interrupted fails: that is no error.
        Err(_) if session.stopping.load(Ordering::Relaxed) => {
            println!("serve: stopped before the book was served.");
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// The first Ctrl-C (or SIGTERM, SIGHUP) asks the session to stop; a second
/// one, a moment later, ends `serve` at once (the children had the same
/// signal). The same signal sent twice in a row, as `timeout` sends it to a
/// process and to its group, counts once.
fn stop_on_signals(
    root: &Path,
    tx: Sender<Event>,
    stopping: Arc<AtomicBool>,
) -> Result<(), String> {
    let serve_json = info::path(root);
    let first = std::sync::Mutex::new(None::<Instant>);
    signals::on_stop_signal(move || {
        stopping.store(true, Ordering::Relaxed);
        let Ok(mut first) = first.lock() else { return };
        match *first {
            None => {
                *first = Some(Instant::now());
                let _ = tx.send(Event::Stop(STOP_SIGNAL));
            }
            Some(at) if at.elapsed() > AT_ONCE_AFTER => {
                if info::read(&serve_json).is_some_and(|i| i.pid == std::process::id()) {
                    let _ = std::fs::remove_file(&serve_json);
                }
                eprintln!("serve: stopped at once ({STOP_SIGNAL} again).");
                std::process::exit(130);
            }
            Some(_) => {}
        }
    })
}

fn check_ports(options: &Options) -> Result<(), String> {
    ports::check_book_port(options.book_port)?;
    if options.runner {
        ports::check_runner_port(options.runner_port)?;
    }
    Ok(())
}

struct Session {
    root: PathBuf,
    options: Options,
    tx: Sender<Event>,
    rx: Receiver<Event>,
    stopping: Arc<AtomicBool>,
}

impl Session {
    fn book_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.options.book_port)
    }

    /// An error if a stop was asked for during a step that ran to its end
    /// anyway (a build Ctrl-C interrupted reports a failure of its own).
    fn not_stopped(&self) -> Result<(), String> {
        if self.stopping.load(Ordering::Relaxed) {
            Err("stopped before the book was served.".to_owned())
        } else {
            Ok(())
        }
    }

    fn serve(&self) -> Result<Stopped, String> {
        book::ensure_mdbook(&self.root)?;
        self.not_stopped()?;
        let runner = if self.options.runner {
            Some(builds::runner(&self.root)?)
        } else {
            None
        };
        self.not_stopped()?;
        builds::preprocessors(&self.root)?;
        self.not_stopped()?;
        // Building took a while: the ports again, before anything starts.
        check_ports(&self.options)?;
        ports::hold_localhost_v6(self.options.book_port);

        let mut mdbook = self.start_mdbook()?;
        let result = self.serve_with(&mut mdbook, runner.as_deref());
        children::stop(&mut mdbook, false);
        result
    }

    fn serve_with(&self, mdbook: &mut Child, runner: Option<&Path>) -> Result<Stopped, String> {
        if let Some(stopped) = self.wait_for_book(mdbook)? {
            return Ok(stopped);
        }
        // The book is up: its links are good from now on.
        let info = ServeInfo {
            book_port: self.options.book_port,
            runner_port: self.options.runner.then_some(self.options.runner_port),
            pid: std::process::id(),
            book_url: self.book_url(),
        };
        let _published = info::publish(&self.root, &info)?;
        let mut runner = match runner {
            Some(program) => match self.start_runner(program, mdbook)? {
                Started::Running(child) => Some(Supervised::new(program, child)),
                Started::Stopped(why) => return Ok(why),
            },
            None => None,
        };
        let url = self.book_url();
        if runner.is_some() {
            println!(
                "serve: the book is at {url}; open the link above to get its Run and Check \
                 buttons (it works once: a new tab of the book shares it). Ctrl-C stops both."
            );
        } else {
            println!(
                "serve: the book is at {url} (no runner: no Run and Check buttons). Ctrl-C stops it."
            );
        }
        let _prebuild = (self.options.prebuild && runner.is_some()).then(|| {
            let xtask = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("cargo-xtask"));
            prebuild::Prebuild::start(&self.root, prebuild::jobs(&self.root, &xtask))
        });
        let result = self.supervise(mdbook, runner.as_mut());
        if let Some(runner) = &mut runner {
            children::stop(&mut runner.child, false);
        }
        result
        // `_prebuild` stops its job, `_published` removes serve.json.
    }

    fn start_mdbook(&self) -> Result<Child, String> {
        let port = self.options.book_port.to_string();
        let mut args = vec!["serve", "-n", "127.0.0.1", "-p", &port];
        let mut env = Vec::new();
        let out_dir;
        if let Some(lang) = &self.options.lang {
            // The translated build, served on its own at the book's root: it
            // writes the commands manifest the runner reads (the ids are the
            // English build's), and its links start at `/`.
            env = crate::i18n::prepare(&self.root, lang)?
                .into_iter()
                .filter(|(key, _)| {
                    key != "MDBOOK_PREPROCESSOR__RUNNABLE__COMMANDS"
                        && key != "MDBOOK_OUTPUT__HTML__SITE_URL"
                })
                .collect();
            out_dir = format!("book/{lang}");
            args.extend(["-d", &out_dir]);
        }
        args.extend(self.options.mdbook_args.iter().map(String::as_str));
        println!("$ mdbook {}", args.join(" "));
        Command::new("mdbook")
            .args(&args)
            .envs(env)
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start mdbook: {e}"))
    }

    /// Until mdBook answers on its port (it builds the book first).
    fn wait_for_book(&self, mdbook: &mut Child) -> Result<Option<Stopped>, String> {
        println!("serve: building the book...");
        loop {
            if ports::answers(ports::loopback_v4(self.options.book_port)) {
                return Ok(None);
            }
            match self.rx.recv_timeout(POLL) {
                Ok(Event::Stop(why)) => return Ok(Some(Stopped(why))),
                Ok(Event::Link) | Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the session holds a sender"),
            }
            if let Some(status) = exited(mdbook) {
                return match self.stop_request_within(STOP_GRACE) {
                    Some(stopped) => Ok(Some(stopped)),
                    None => Err(format!(
                        "mdBook stopped before serving the book ({status}); its messages are \
                         above. If it says the address is in use, another program took port {} \
                         meanwhile: serve the book on another port with `-p N`. Nothing else \
                         was started.",
                        self.options.book_port
                    )),
                };
            }
        }
    }

    fn spawn_runner(&self, program: &Path) -> Result<Child, String> {
        let mut cmd = Command::new(program);
        cmd.arg("--root")
            .arg(&self.root)
            .args(["--port", &self.options.runner_port.to_string()])
            .args(["--book-port", &self.options.book_port.to_string()]);
        cmd.args(builds::direct_grader_args(program));
        let mut child = cmd
            .current_dir(&self.root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the runner ({}): {e}", program.display()))?;
        let stdout = child.stdout.take().expect("piped");
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            // Relayed line by line as it comes, the link line unchanged.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                println!("{line}");
                if line.starts_with(LINK_PREFIX) {
                    let _ = tx.send(Event::Link);
                }
            }
        });
        Ok(child)
    }

    /// Starts the runner and waits for its link; stops mdBook's side of
    /// things (the caller) if the runner cannot start.
    fn start_runner(&self, program: &Path, mdbook: &mut Child) -> Result<Started, String> {
        if let Err(e) = ports::check_runner_port(self.options.runner_port) {
            return Err(format!("{e} (mdBook was stopped again)"));
        }
        let mut child = self.spawn_runner(program)?;
        match self.wait_for_link(&mut child, mdbook) {
            Ok(LinkWait::Printed) => Ok(Started::Running(child)),
            Ok(LinkWait::Stopped(why)) => {
                children::stop(&mut child, false);
                Ok(Started::Stopped(why))
            }
            Err(e) => {
                children::stop(&mut child, false);
                Err(e)
            }
        }
    }

    fn wait_for_link(&self, runner: &mut Child, mdbook: &mut Child) -> Result<LinkWait, String> {
        let deadline = Instant::now() + RUNNER_START_LIMIT;
        loop {
            match self.rx.recv_timeout(POLL) {
                Ok(Event::Link) => return Ok(LinkWait::Printed),
                Ok(Event::Stop(why)) => return Ok(LinkWait::Stopped(Stopped(why))),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the session holds a sender"),
            }
            if let Some(status) = exited(runner) {
                return match self.stop_request_within(STOP_GRACE) {
                    Some(stopped) => Ok(LinkWait::Stopped(stopped)),
                    None => Err(format!(
                        "the runner did not start ({status}); its messages are above. If port {} \
                         is taken, start it on another with `--runner-port N`. mdBook was \
                         stopped again.",
                        self.options.runner_port
                    )),
                };
            }
            if let Some(status) = exited(mdbook) {
                return Err(format!(
                    "mdBook stopped ({status}); its messages are above."
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the runner printed no link within {} s; stopped it and mdBook.",
                    RUNNER_START_LIMIT.as_secs()
                ));
            }
        }
    }

    /// Serves until a stop request or mdBook's end; restarts the runner.
    fn supervise(
        &self,
        mdbook: &mut Child,
        mut runner: Option<&mut Supervised>,
    ) -> Result<Stopped, String> {
        loop {
            match self.rx.recv_timeout(POLL) {
                Ok(Event::Stop(why)) => return Ok(Stopped(why)),
                Ok(Event::Link) => {
                    if runner.as_ref().is_some_and(|r| !r.restarts.is_empty()) {
                        println!(
                            "serve: the runner restarted with a new link (above); the old one \
                             no longer works. Open pages say so: open the new link."
                        );
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the session holds a sender"),
            }
            if let Some(status) = exited(mdbook) {
                if let Some(stopped) = self.stop_request_within(STOP_GRACE) {
                    return Ok(stopped);
                }
                return Err(format!(
                    "mdBook stopped ({status}); its messages are above. The runner was stopped \
                     too: start `cargo xtask serve` again."
                ));
            }
            if let Some(runner) = runner.as_deref_mut().filter(|r| !r.given_up) {
                if let Some(status) = exited(&mut runner.child) {
                    if let Some(stopped) = self.stop_request_within(STOP_GRACE) {
                        return Ok(stopped);
                    }
                    self.restart(runner, status)?;
                }
            }
        }
    }

    fn restart(&self, runner: &mut Supervised, status: ExitStatus) -> Result<(), String> {
        let now = Instant::now();
        runner
            .restarts
            .retain(|at| now.duration_since(*at) < RESTART_WINDOW);
        if runner.restarts.len() >= MAX_RESTARTS {
            runner.given_up = true;
            println!(
                "serve: the runner stopped again ({status}), its {} time within a minute; it is \
                 not restarted any more. The book goes on at {} without Run and Check buttons; \
                 its messages above say why. Ctrl-C, then `cargo xtask serve` again.",
                ordinal(MAX_RESTARTS + 1),
                self.book_url()
            );
            return Ok(());
        }
        runner.restarts.push_back(now);
        println!(
            "serve: the runner stopped ({status}); restarting it ({} of at most {MAX_RESTARTS} \
             restarts a minute)...",
            runner.restarts.len()
        );
        runner.child = self.spawn_runner(&runner.program)?;
        Ok(())
    }

    /// A stop request that arrives within `grace`, if any.
    fn stop_request_within(&self, grace: Duration) -> Option<Stopped> {
        let deadline = Instant::now() + grace;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(Event::Stop(why)) => return Some(Stopped(why)),
                Ok(Event::Link) => {}
                Err(_) => return None,
            }
        }
    }
}

enum Started {
    Running(Child),
    Stopped(Stopped),
}

enum LinkWait {
    Printed,
    Stopped(Stopped),
}

struct Supervised {
    program: PathBuf,
    child: Child,
    restarts: VecDeque<Instant>,
    given_up: bool,
}

impl Supervised {
    fn new(program: &Path, child: Child) -> Supervised {
        Supervised {
            program: program.to_path_buf(),
            child,
            restarts: VecDeque::new(),
            given_up: false,
        }
    }
}

fn exited(child: &mut Child) -> Option<ExitStatus> {
    child.try_wait().ok().flatten()
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "1st".to_owned(),
        2 => "2nd".to_owned(),
        3 => "3rd".to_owned(),
        n => format!("{n}th"),
    }
}
