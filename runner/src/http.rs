//! A small HTTP/1.1 server that no client can crash or wedge, std only.
//!
//! Why not a crate: tiny_http (used before) drains a request's body when the
//! request is dropped (a `Content-Length: 2^64-1` kept a thread forever) and
//! starts a thread per connection with no cap, no header limit and no read
//! timeout. The runner needs very little of HTTP (no bodies, no keep-alive, a
//! handful of routes), so the whole protocol fits here, with every limit
//! explicit:
//!
//! - the accept loop never reads from or waits on a client: past
//!   [`Limits::connections`] open connections, the next one gets a ready-made
//!   `503` (built by the caller, so it can carry CORS) and is closed at once;
//! - a connection's request head must arrive whole within [`Limits::head_time`]
//!   (else it is closed without an answer), at most [`Limits::head_bytes`] and
//!   [`Limits::headers`] header lines (else `431`);
//! - a body is read only when the handler asks ([`Client::read_body`]: the
//!   one endpoint that takes code, after its checks), with a length declared
//!   up front, a cap and a deadline; otherwise the handler sees the head only;
//! - every answer has `Connection: close`; writes have a deadline too, so a
//!   client that stops reading cannot hold a thread;
//! - a handler that panics loses its connection, nothing else: the slot is a
//!   drop guard.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; the next one gets the busy answer.
    pub connections: usize,
    /// The request line and headers together, CRLFs included.
    pub head_bytes: usize,
    /// Header lines (the request line not counted).
    pub headers: usize,
    /// From accept to the blank line that ends the head.
    pub head_time: Duration,
    /// Each piece of an answer (a head, an event line) must be written
    /// within this.
    pub write_stall: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 32,
            head_bytes: 8 * 1024,
            headers: 32,
            head_time: Duration::from_secs(5),
            write_stall: Duration::from_secs(10),
        }
    }
}

/// A parsed request head. Header names are lower-cased; values are trimmed
/// of the optional whitespace HTTP allows around them, nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// As sent: `/api/run/ID`, possibly with `?query`.
    pub target: String,
    pub headers: Vec<(String, String)>,
    /// Bytes that arrived with the head, past its blank line: the start of a
    /// body (or of a pipelined request), read only through
    /// [`Client::read_body`].
    pub early: Vec<u8>,
}

impl Request {
    /// Every value of a header, in order (a request may repeat one).
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The header's value when it is there exactly once; a repeated one is
    /// treated as absent (two `Host`s or two `Origin`s are an attack, not a
    /// request to pick one of).
    pub fn one(&self, name: &str) -> Option<&str> {
        let mut values = self.all(name);
        let first = values.next()?;
        values.next().is_none().then_some(first)
    }

    /// The path without query or fragment.
    pub fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("")
    }
}

/// A head that cannot be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeadError {
    /// Over [`Limits::head_bytes`] or [`Limits::headers`]: answered `431`.
    TooLarge(&'static str),
    /// Not HTTP/1.x as this server speaks it: answered `400`.
    Malformed(&'static str),
    /// Closed, or too slow: no answer, the connection is closed.
    Gone,
}

/// Reads one request head, and nothing past it that it can avoid.
pub fn read_head(stream: &mut impl ReadTimeout, limits: &Limits) -> Result<Request, HeadError> {
    let deadline = Instant::now() + limits.head_time;
    let mut buf = vec![0u8; limits.head_bytes];
    let mut len = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(HeadError::Gone);
        }
        stream.set_timeout(left).map_err(|_| HeadError::Gone)?;
        if len == buf.len() {
            return Err(HeadError::TooLarge("the request head is over 8 KiB"));
        }
        let n = match stream.read(&mut buf[len..]) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => n,
        };
        // Only the newly read bytes (and the three before) can complete the
        // blank line.
        let from = len.saturating_sub(3);
        len += n;
        if let Some(end) = find(&buf[from..len], b"\r\n\r\n") {
            let mut request = parse_head(&buf[..from + end], limits)?;
            request.early = buf[from + end + 4..len].to_vec();
            return Ok(request);
        }
    }
}

/// What [`read_head`] needs of a connection, so tests can feed it bytes.
pub trait ReadTimeout: Read {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()>;
}

impl ReadTimeout for TcpStream {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.set_read_timeout(Some(timeout.max(Duration::from_millis(1))))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Parses the head (without its final blank line). Strict: single spaces in
/// the request line, a token before every header's colon, no folded lines,
/// no control characters and no bytes outside ASCII.
pub fn parse_head(head: &[u8], limits: &Limits) -> Result<Request, HeadError> {
    let text = std::str::from_utf8(head)
        .ok()
        .filter(|t| t.is_ascii())
        .ok_or(HeadError::Malformed("the request head is not ASCII"))?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let parts: Vec<&str> = request_line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(HeadError::Malformed(
            "the request line is not `METHOD PATH HTTP/1.1`",
        ));
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(HeadError::Malformed("the method is not a token"));
    }
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(HeadError::Malformed("the target is not a path"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(HeadError::Malformed(
            "only HTTP/1.0 and HTTP/1.1 are spoken here",
        ));
    }
    let mut headers = Vec::new();
    for line in lines {
        if headers.len() == limits.headers {
            return Err(HeadError::TooLarge("more than 32 header lines"));
        }
        let (name, value) = line
            .split_once(':')
            .ok_or(HeadError::Malformed("a header line has no colon"))?;
        // A space before the colon, or a line starting with one (the
        // obsolete line folding), is how request smuggling starts.
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(HeadError::Malformed("a header name is not a token"));
        }
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err(HeadError::Malformed(
                "a header value has a control character",
            ));
        }
        headers.push((name.to_ascii_lowercase(), value.to_owned()));
    }
    Ok(Request {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        early: Vec::new(),
    })
}

/// RFC 9110's `tchar`.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The reason phrase of the statuses the runner uses.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

/// A whole answer's head: status line, the given headers, `Connection:
/// close`, and the blank line. A body without `Content-Length` runs to the
/// end of the connection (how the NDJSON streams are sent).
pub fn head_bytes(status: u16, headers: &[(&str, String)]) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status));
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("Connection: close\r\n\r\n");
    text.into_bytes()
}

/// The client end of one connection, for the handler to answer on. Every
/// write has a stall limit, so a client that stops reading is dropped.
pub struct Client {
    /// The connection (a clone of the read end: both are the one socket).
    stream: TcpStream,
    stall: Duration,
    answered: bool,
}

impl Client {
    /// Writes bytes (the head first, then the body, in as many calls as
    /// wanted) and flushes them. Each call must be done within
    /// [`Limits::write_stall`], so a client that reads a byte now and then
    /// cannot hold the connection either.
    pub fn send(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.answered = true;
        let deadline = Instant::now() + self.stall;
        let mut rest = bytes;
        while !rest.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.stream.set_write_timeout(Some(left))?;
            match self.stream.write(rest) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.stream.flush()
    }

    /// Reads exactly `len` body bytes, `early` (what came with the head)
    /// first, within `time`; past `len` nothing is read. The caller checked
    /// `len` against its cap before calling. `None`: the client closed or
    /// was too slow.
    pub fn read_body(&mut self, early: &[u8], len: usize, time: Duration) -> Option<Vec<u8>> {
        let mut body = early[..early.len().min(len)].to_vec();
        let deadline = Instant::now() + time;
        let mut buf = [0u8; 8192];
        while body.len() < len {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            self.stream.set_timeout(left).ok()?;
            let want = (len - body.len()).min(buf.len());
            match self.stream.read(&mut buf[..want]) {
                Ok(0) => return None,
                Ok(n) => body.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        Some(body)
    }

    /// Whether anything was sent yet (after a panic, a 500 can still go).
    pub fn answered(&self) -> bool {
        self.answered
    }
}

/// What the server calls: the head (or why there is none usable) and the
/// client to answer. Runs on the connection's own thread.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, head: Result<Request, HeadError>, client: &mut Client);
    /// Sent when all slots are taken: written once, without reading.
    fn busy_answer(&self) -> Vec<u8>;
    /// Sent when `handle` panicked before answering.
    fn panic_answer(&self) -> Vec<u8>;
}

/// Takes a connection slot; gives it back when dropped, panic or not.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(open: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
        open.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
            (n < max).then_some(n + 1)
        })
        .ok()
        .map(|_| Slot(Arc::clone(open)))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves forever: one thread per connection, at most `limits.connections`.
pub fn serve(listener: TcpListener, limits: Limits, handler: Arc<dyn Handler>) {
    let open = Arc::new(AtomicUsize::new(0));
    let busy = handler.busy_answer();
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // EMFILE and the like: the next accept may work once
            // connections close; do not spin on it.
            std::thread::sleep(Duration::from_millis(10));
            continue;
        };
        let Some(slot) = Slot::take(&open, limits.connections) else {
            refuse_busy(stream, &busy);
            continue;
        };
        let handler = Arc::clone(&handler);
        // If the thread cannot start, the closure (slot and stream) is
        // dropped: the slot comes back and the connection closes.
        let _ = std::thread::Builder::new()
            .name("runner-connection".to_owned())
            .spawn(move || {
                let _slot = slot;
                serve_one(stream, &limits, handler.as_ref());
            });
    }
}

/// The busy answer, without ever blocking the accept loop: the socket is
/// non-blocking, so a write that would wait is dropped.
fn refuse_busy(stream: TcpStream, busy: &[u8]) {
    if stream.set_nonblocking(true).is_ok() {
        let mut stream = stream;
        let _ = stream.write(busy);
        let _ = stream.shutdown(Shutdown::Write);
        // What the client already sent, read so the close is a FIN, not a
        // reset that could destroy the answer before it is read.
        let mut sink = [0u8; 8192];
        let _ = stream.read(&mut sink);
    }
}

fn serve_one(mut stream: TcpStream, limits: &Limits, handler: &dyn Handler) {
    // Event lines go out as they are written, not when Nagle sees fit.
    let _ = stream.set_nodelay(true);
    let head = read_head(&mut stream, limits);
    let Ok(write_end) = stream.try_clone() else {
        return;
    };
    let mut client = Client {
        stream: write_end,
        stall: limits.write_stall,
        answered: false,
    };
    let handled = catch_unwind(AssertUnwindSafe(|| handler.handle(head, &mut client)));
    if handled.is_err() && !client.answered() {
        let _ = client.send(&handler.panic_answer());
    }
    linger(stream);
}

/// Closes after the answer is out: shuts the write side (a FIN after the
/// queued answer), then reads what the client still sends, briefly, so that
/// unread request bytes (a body, a pipelined request) do not make the kernel
/// reset the connection and drop the end of the answer.
fn linger(mut stream: TcpStream) {
    const LINGER: Duration = Duration::from_millis(500);
    const LINGER_BYTES: usize = 64 * 1024;
    if stream.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let deadline = Instant::now() + LINGER;
    let mut sink = [0u8; 8192];
    let mut read = 0;
    while read < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes arriving in the given pieces, then EOF.
    struct Pieces(Vec<Vec<u8>>);

    impl Read for Pieces {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Ok(0);
            }
            let piece = &mut self.0[0];
            let n = piece.len().min(buf.len());
            buf[..n].copy_from_slice(&piece[..n]);
            piece.drain(..n);
            if piece.is_empty() {
                self.0.remove(0);
            }
            Ok(n)
        }
    }

    impl ReadTimeout for Pieces {
        fn set_timeout(&mut self, _: Duration) -> io::Result<()> {
            Ok(())
        }
    }

    fn head(text: &str) -> Result<Request, HeadError> {
        read_head(
            &mut Pieces(vec![text.as_bytes().to_vec()]),
            &Limits::default(),
        )
    }

    #[test]
    fn parses_a_head_split_anywhere() {
        let text = "GET /api/hello?x=1 HTTP/1.1\r\nHost:  127.0.0.1:3001 \t\r\nX-Two: a\r\nx-two: b\r\n\r\n";
        for cut in 1..text.len() {
            let (a, b) = text.as_bytes().split_at(cut);
            let r = read_head(
                &mut Pieces(vec![a.to_vec(), b.to_vec()]),
                &Limits::default(),
            )
            .unwrap_or_else(|e| panic!("cut at {cut}: {e:?}"));
            assert_eq!(r.method, "GET");
            assert_eq!(r.path(), "/api/hello");
            assert_eq!(r.one("HOST"), Some("127.0.0.1:3001"));
            assert_eq!(r.one("x-two"), None, "a repeated header is not one value");
            assert_eq!(r.all("X-TWO").collect::<Vec<_>>(), ["a", "b"]);
        }
    }

    #[test]
    fn refuses_heads_that_are_not_plain_http() {
        for bad in [
            "GET /api/hello HTTP/1.1\r\nno colon here\r\n\r\n",
            "GET /api/hello HTTP/1.1\r\nHost : x\r\n\r\n",
            "GET /api/hello HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET  /api/hello HTTP/1.1\r\n\r\n",
            "GET /api/hello HTTP/2\r\n\r\n",
            "GET http://evil/ HTTP/1.1\r\n\r\n",
            "G(T /api/hello HTTP/1.1\r\n\r\n",
            "GET /api/hello HTTP/1.1\r\nX: a\x01b\r\n\r\n",
            "GET /api/h\u{e9}llo HTTP/1.1\r\n\r\n",
        ] {
            assert!(
                matches!(head(bad), Err(HeadError::Malformed(_))),
                "{bad:?}: {:?}",
                head(bad)
            );
        }
    }

    #[test]
    fn refuses_heads_over_the_limits() {
        let many: String = (0..33).map(|i| format!("X-{i}: {i}\r\n")).collect();
        let text = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert!(matches!(head(&text), Err(HeadError::TooLarge(_))));
        let exactly: String = (0..32).map(|i| format!("X-{i}: {i}\r\n")).collect();
        assert!(head(&format!("GET / HTTP/1.1\r\n{exactly}\r\n")).is_ok());
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
        assert!(matches!(head(&long), Err(HeadError::TooLarge(_))));
    }

    #[test]
    fn a_head_cut_short_is_gone_not_an_answer() {
        assert_eq!(head("GET / HTTP/1.1\r\nHost: x\r\n"), Err(HeadError::Gone));
        assert_eq!(head(""), Err(HeadError::Gone));
    }

    #[test]
    fn slots_come_back_when_dropped_even_by_a_panic() {
        let open = Arc::new(AtomicUsize::new(0));
        let a = Slot::take(&open, 2).unwrap();
        let b = Slot::take(&open, 2).unwrap();
        assert!(Slot::take(&open, 2).is_none());
        drop(a);
        let panicked = std::panic::catch_unwind(AssertUnwindSafe(move || {
            let _b = b;
            panic!("a handler's bug");
        }));
        assert!(panicked.is_err());
        assert_eq!(open.load(Ordering::SeqCst), 0);
    }
}
