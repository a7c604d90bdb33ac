//! Who may talk to the runner: the book's page, served by `mdbook serve` on
//! `http://127.0.0.1:BOOK_PORT`, in the learner's browser, and nothing else.
//!
//! - `Origin` must be exactly `http://127.0.0.1:BOOK_PORT`. Not `localhost`:
//!   mdBook binds 127.0.0.1 only, so another local process can bind `[::1]`
//!   on the book's port and a browser resolving `localhost` to `::1` would
//!   open its page.
//! - `Host` must be `127.0.0.1:RUNNER_PORT` or `localhost:RUNNER_PORT`
//!   (anything else is DNS rebinding or a misdirected request).
//! - The printed link carries a link token that is good for one
//!   `POST /api/session`, which answers a session; every other endpoint
//!   needs the session. A link found later (browser history, a shell's
//!   scroll-back) is spent.
//!
//! Secrets are compared in time that does not depend on where they differ,
//! and no refusal says what was expected.

use std::sync::Mutex;

/// Why a request was refused: its status, the `reason` code the page acts
/// on, and a line for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
    pub text: &'static str,
}

impl Refusal {
    pub const fn new(status: u16, reason: &'static str, text: &'static str) -> Refusal {
        Refusal {
            status,
            reason,
            text,
        }
    }
}

pub const NO_TOKEN: Refusal = Refusal::new(
    401,
    "no_token",
    "no credential: open the book with the URL `cargo xtask serve` printed",
);
pub const LINK_USED: Refusal = Refusal::new(
    403,
    "link_used",
    "this link was already used: open the book in the browser that used it, or restart `cargo xtask serve` for a new one",
);
pub const UNKNOWN_SESSION: Refusal = Refusal::new(
    403,
    "unknown_session",
    "the runner does not know this session: it was restarted or stopped; open the URL `cargo xtask serve` printed",
);
pub const BAD_ORIGIN: Refusal = Refusal::new(
    403,
    "bad_origin",
    "the request does not come from the book's page (Origin)",
);
pub const BAD_HOST: Refusal = Refusal::new(
    403,
    "bad_host",
    "the Host header is not this runner's loopback address",
);

/// The addresses every request is checked against, fixed at start.
#[derive(Debug, Clone)]
pub struct Site {
    origin: String,
    hosts: [String; 2],
}

impl Site {
    pub fn new(book_port: u16, runner_port: u16) -> Site {
        Site {
            origin: book_origin(book_port),
            hosts: [
                format!("127.0.0.1:{runner_port}"),
                format!("localhost:{runner_port}"),
            ],
        }
    }

    /// The one origin allowed, for `Access-Control-Allow-Origin`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether the request's `Origin` (present once) is the book's, exactly:
    /// browsers send it lower-case, with no path and no trailing slash.
    pub fn is_book(&self, origin: Option<&str>) -> bool {
        origin == Some(self.origin.as_str())
    }

    /// Host, then Origin; the preflight is checked the same way.
    pub fn check(&self, host: Option<&str>, origin: Option<&str>) -> Result<(), Refusal> {
        // Host names are case-insensitive; the port is digits either way.
        let host_ok = host.is_some_and(|h| self.hosts.iter().any(|ok| ok.eq_ignore_ascii_case(h)));
        if !host_ok {
            return Err(BAD_HOST);
        }
        if !self.is_book(origin) {
            return Err(BAD_ORIGIN);
        }
        Ok(())
    }
}

pub fn book_origin(book_port: u16) -> String {
    format!("http://127.0.0.1:{book_port}")
}

/// The link token and the sessions it was exchanged for.
#[derive(Debug)]
pub struct Credentials {
    link: String,
    state: Mutex<Exchange>,
}

#[derive(Debug, Default)]
struct Exchange {
    link_used: bool,
    sessions: Vec<String>,
}

impl Credentials {
    pub fn new(link: String) -> Credentials {
        Credentials {
            link,
            state: Mutex::new(Exchange::default()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Exchange> {
        // Nothing in the critical sections can panic half-way; a poisoned
        // lock still holds consistent data.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `POST /api/session`: the link token, once, for a new session.
    pub fn exchange(&self, authorization: Option<&str>) -> Result<String, Refusal> {
        let given = bearer(authorization)?;
        if !same_secret(given.as_bytes(), self.link.as_bytes()) {
            return Err(UNKNOWN_SESSION);
        }
        let mut state = self.state();
        if state.link_used {
            return Err(LINK_USED);
        }
        let session = new_token().map_err(|_| {
            Refusal::new(
                500,
                "internal",
                "the runner has no randomness for a session",
            )
        })?;
        state.link_used = true;
        state.sessions.push(session.clone());
        Ok(session)
    }

    /// Every other endpoint: a session this start handed out (a link token
    /// is not one).
    pub fn check_session(&self, authorization: Option<&str>) -> Result<(), Refusal> {
        let given = bearer(authorization)?;
        let state = self.state();
        // Every session is compared, so the time says nothing about which.
        let known = state.sessions.iter().fold(false, |hit, s| {
            same_secret(given.as_bytes(), s.as_bytes()) | hit
        });
        if known { Ok(()) } else { Err(UNKNOWN_SESSION) }
    }
}

fn bearer(authorization: Option<&str>) -> Result<&str, Refusal> {
    let value = authorization.ok_or(NO_TOKEN)?;
    let (scheme, token) = value.split_once(' ').ok_or(NO_TOKEN)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(NO_TOKEN);
    }
    Ok(token.trim())
}

/// Compares in time that depends on the length only, not on where the first
/// difference is.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// 24 random bytes from the operating system, as 48 hex digits.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for a token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "abababababababababababababababababababababababab";

    #[test]
    fn accepts_the_book_at_127_0_0_1_only() {
        let site = Site::new(3000, 3001);
        for host in ["127.0.0.1:3001", "localhost:3001", "LocalHost:3001"] {
            assert_eq!(
                site.check(Some(host), Some("http://127.0.0.1:3000")),
                Ok(())
            );
        }
        for origin in [
            None,
            Some("null"),
            Some("http://localhost:3000"),
            Some("http://[::1]:3000"),
            Some("http://127.0.0.1:3000/"),
            Some("HTTP://127.0.0.1:3000"),
            Some("http://127.0.0.1:3000.evil.example"),
            Some("http://127.0.0.1:30000"),
            Some("https://127.0.0.1:3000"),
            Some("http://127.0.0.1:3001"),
        ] {
            assert_eq!(
                site.check(Some("127.0.0.1:3001"), origin),
                Err(BAD_ORIGIN),
                "{origin:?}"
            );
        }
        for host in [
            None,
            Some("evil.example:3001"),
            Some("localhost.evil.example:3001"),
            Some("localhost.:3001"),
            Some("127.0.0.1:3002"),
            Some("127.0.0.1"),
            Some("[::1]:3001"),
            Some("0.0.0.0:3001"),
            Some("127.0.0.1:3001 127.0.0.1:3001"),
        ] {
            assert_eq!(
                site.check(host, Some("http://127.0.0.1:3000")),
                Err(BAD_HOST),
                "{host:?}"
            );
        }
    }

    #[test]
    fn the_link_gives_one_session_and_only_sessions_open_the_rest() {
        let creds = Credentials::new(LINK.to_owned());
        let link = format!("Bearer {LINK}");
        assert_eq!(creds.check_session(Some(&link)), Err(UNKNOWN_SESSION));
        let session = creds.exchange(Some(&link)).unwrap();
        assert_eq!(session.len(), 48);
        assert_ne!(session, LINK);
        assert_eq!(creds.exchange(Some(&link)), Err(LINK_USED));
        assert_eq!(
            creds.check_session(Some(&format!("Bearer {session}"))),
            Ok(())
        );
        assert_eq!(creds.check_session(Some(&link)), Err(UNKNOWN_SESSION));
        let wrong = format!("Bearer {}", "ac".repeat(24));
        assert_eq!(creds.exchange(Some(&wrong)), Err(UNKNOWN_SESSION));
        assert_eq!(creds.check_session(Some(&wrong)), Err(UNKNOWN_SESSION));
        for none in [None, Some(""), Some("Bearer"), Some("Bearer  "), Some(LINK)] {
            assert_eq!(creds.check_session(none), Err(NO_TOKEN), "{none:?}");
        }
    }

    #[test]
    fn tokens_are_48_hex_digits_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 48);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
