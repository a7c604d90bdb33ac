//! Who may talk to the runner: the book's page in the learner's browser, and
//! nothing else. Each check compares whole strings (never `contains`), and no
//! refusal says what the expected token or origin is.

/// What every request must carry, fixed when the runner starts.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The per-start secret, hex; sent as `Authorization: Bearer TOKEN`.
    token: String,
    /// `Origin` values of the book's own page: `http://localhost:PORT` and
    /// `http://127.0.0.1:PORT` (the same server, the two names it is opened by).
    origins: Vec<String>,
    /// `Host` values the runner answers to: `localhost:PORT`, `127.0.0.1:PORT`.
    /// Anything else is a DNS-rebinding attempt or a misdirected request.
    hosts: Vec<String>,
}

/// Why a request was refused: the status and a short reason for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
}

impl Guard {
    pub fn new(token: String, book_port: u16, runner_port: u16) -> Guard {
        Guard {
            token,
            origins: vec![
                format!("http://localhost:{book_port}"),
                format!("http://127.0.0.1:{book_port}"),
            ],
            hosts: vec![
                format!("localhost:{runner_port}"),
                format!("127.0.0.1:{runner_port}"),
            ],
        }
    }

    /// The `Access-Control-Allow-Origin` to answer with: the request's own
    /// origin, once it is known to be the book's (never `*`).
    pub fn allowed_origin<'a>(&self, origin: Option<&'a str>) -> Option<&'a str> {
        origin.filter(|o| self.origins.iter().any(|ok| ok == o))
    }

    /// Host and Origin: checked on every request, the CORS preflight too
    /// (which cannot carry the token).
    pub fn check_site(&self, host: Option<&str>, origin: Option<&str>) -> Result<(), Refusal> {
        let host_ok = host.is_some_and(|h| self.hosts.iter().any(|ok| ok.eq_ignore_ascii_case(h)));
        if !host_ok {
            return Err(Refusal {
                status: 403,
                reason: "the Host header is not this runner's loopback address",
            });
        }
        if self.allowed_origin(origin).is_none() {
            return Err(Refusal {
                status: 403,
                reason: "the request does not come from the book's page (Origin)",
            });
        }
        Ok(())
    }

    /// Host, Origin and the token: every request but the preflight.
    pub fn check(
        &self,
        host: Option<&str>,
        origin: Option<&str>,
        authorization: Option<&str>,
    ) -> Result<(), Refusal> {
        self.check_site(host, origin)?;
        let Some(given) = authorization.and_then(|a| a.strip_prefix("Bearer ")) else {
            return Err(Refusal {
                status: 401,
                reason: "no token: open the book with the URL `cargo xtask serve` printed",
            });
        };
        if !same_secret(given.trim().as_bytes(), self.token.as_bytes()) {
            return Err(Refusal {
                status: 403,
                reason: "wrong token: the runner was restarted; open the new URL it printed",
            });
        }
        Ok(())
    }
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
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness for the token: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::new("ab".repeat(24), 3000, 3001)
    }

    const HOST: Option<&str> = Some("127.0.0.1:3001");
    const BOOK: Option<&str> = Some("http://localhost:3000");

    #[test]
    fn accepts_the_book_with_its_token() {
        let bearer = format!("Bearer {}", "ab".repeat(24));
        assert_eq!(guard().check(HOST, BOOK, Some(&bearer)), Ok(()));
        assert_eq!(
            guard().check(
                Some("localhost:3001"),
                Some("http://127.0.0.1:3000"),
                Some(&bearer)
            ),
            Ok(())
        );
    }

    #[test]
    fn refuses_hosts_and_origins_that_only_look_alike() {
        let bearer = format!("Bearer {}", "ab".repeat(24));
        let g = guard();
        for host in [
            None,
            Some("evil.example:3001"),
            Some("localhost.evil.example:3001"),
            Some("127.0.0.1:3002"),
            Some("127.0.0.1"),
            Some("0.0.0.0:3001"),
        ] {
            assert_eq!(
                g.check(host, BOOK, Some(&bearer)).unwrap_err().status,
                403,
                "{host:?}"
            );
        }
        for origin in [
            None,
            Some("null"),
            Some("http://localhost:3000.evil.example"),
            Some("http://evil.example"),
            Some("http://localhost:3001"),
            Some("https://localhost:3000"),
        ] {
            assert_eq!(
                g.check(HOST, origin, Some(&bearer)).unwrap_err().status,
                403,
                "{origin:?}"
            );
        }
    }

    #[test]
    fn refuses_a_missing_or_wrong_token() {
        let g = guard();
        assert_eq!(g.check(HOST, BOOK, None).unwrap_err().status, 401);
        assert_eq!(g.check(HOST, BOOK, Some("ab")).unwrap_err().status, 401);
        let wrong = format!("Bearer {}", "ac".repeat(24));
        assert_eq!(g.check(HOST, BOOK, Some(&wrong)).unwrap_err().status, 403);
        assert_eq!(
            g.check(HOST, BOOK, Some("Bearer ab")).unwrap_err().status,
            403
        );
    }

    #[test]
    fn tokens_are_48_hex_digits_and_differ() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 48);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
