//! Is a port free, before anything starts? And the book's port on IPv6
//! loopback, held for the whole session.
//!
//! mdBook listens on 127.0.0.1 only. A browser may resolve `localhost` to
//! `::1` first, so a program listening on `[::1]:BOOK_PORT` would get the
//! learner's `http://localhost:BOOK_PORT` and could pass itself off as the
//! book. So `serve` refuses to start when something is there, and keeps the
//! address itself while it runs, answering with a redirect to 127.0.0.1.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

/// How long a connection attempt may take before the port counts as free:
/// on loopback an answer takes microseconds.
const PROBE_TIMEOUT: Duration = Duration::from_millis(300);

/// What is on a port.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    Free,
    Taken,
    /// The port cannot be used for another reason (a privileged port).
    Unusable(String),
}

/// Whether something accepts connections on `addr` (without binding it, so
/// never in the way of a program about to listen there).
pub fn answers(addr: SocketAddr) -> bool {
    TcpStream::connect_timeout(&addr, PROBE_TIMEOUT).is_ok()
}

/// Whether we could listen on `addr` now. A listener is found both ways:
/// binding fails on a plain listener, connecting succeeds on one that
/// shares its port (`SO_REUSEPORT`), where binding would not say so.
pub fn probe(addr: SocketAddr) -> Found {
    if answers(addr) {
        return Found::Taken;
    }
    match TcpListener::bind(addr) {
        Ok(_) => Found::Free,
        Err(e) if e.kind() == ErrorKind::AddrInUse => Found::Taken,
        // No IPv6 on this machine: then nothing can listen on [::1] either.
        Err(e) if e.kind() == ErrorKind::AddrNotAvailable && addr.is_ipv6() => Found::Free,
        Err(e) => Found::Unusable(e.to_string()),
    }
}

pub fn loopback_v4(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

pub fn loopback_v6(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv6Addr::LOCALHOST, port))
}

/// The book's port must be free on 127.0.0.1 and on [::1].
pub fn check_book_port(port: u16) -> Result<(), String> {
    match probe(loopback_v4(port)) {
        Found::Free => {}
        Found::Taken => {
            return Err(format!(
                "port {port} (the book's) is already in use on 127.0.0.1: another `cargo xtask \
                 serve` or `mdbook serve`? Stop it, or serve the book on another port with \
                 `-p N`, e.g. `cargo xtask serve -p {}`. Nothing was started.",
                suggestion(port)
            ));
        }
        Found::Unusable(e) => {
            return Err(format!(
                "cannot use port {port} for the book ({e}); choose another with `-p N`. \
                 Nothing was started."
            ));
        }
    }
    match probe(loopback_v6(port)) {
        Found::Free | Found::Unusable(_) => Ok(()),
        Found::Taken => Err(format!(
            "another program is listening on [::1]:{port}, the book's port on IPv6 loopback. \
             A browser may open http://localhost:{port} there instead of the book, and a page \
             served from there could pass itself off as the book, so `serve` refuses to start. \
             Find it with `ss -ltnp 'sport = :{port}'` (Linux) or `lsof -i :{port}` and stop it, \
             or serve the book on another port with `-p N`, e.g. `cargo xtask serve -p {}`. \
             Nothing was started.",
            suggestion(port)
        )),
    }
}

pub fn check_runner_port(port: u16) -> Result<(), String> {
    match probe(loopback_v4(port)) {
        Found::Free => Ok(()),
        Found::Taken => Err(format!(
            "port {port} (the runner's) is already in use on 127.0.0.1: another `cargo xtask \
             serve`? Stop it, or start the runner on another port with `--runner-port N`, e.g. \
             `cargo xtask serve --runner-port {}`. Nothing was started.",
            suggestion(port)
        )),
        Found::Unusable(e) => Err(format!(
            "cannot use port {port} for the runner ({e}); choose another with `--runner-port N`. \
             Nothing was started."
        )),
    }
}

/// A port to suggest instead of a taken one.
fn suggestion(port: u16) -> u16 {
    port.checked_add(10).unwrap_or(port - 10)
}

/// Takes `[::1]:book_port` for as long as `serve` runs, and answers every
/// request there with a redirect to the book on 127.0.0.1 (so `localhost`
/// works, and nobody else can sit there). None where there is no IPv6.
pub fn hold_localhost_v6(book_port: u16) -> Option<()> {
    let listener = TcpListener::bind(loopback_v6(book_port)).ok()?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            redirect(stream, book_port);
        }
    });
    Some(())
}

/// One connection at a time, each bounded by a read timeout: a client that
/// sends nothing delays the next one by two seconds, no more.
fn redirect(mut stream: TcpStream, book_port: u16) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while head.len() < 8192 && !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let path = request_path(&head).unwrap_or("/");
    let location = format!("http://127.0.0.1:{book_port}{path}");
    let body = format!("The book is at {location}\n");
    let _ = write!(
        stream,
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {location}\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The path of a request line (`GET /leak/index.html HTTP/1.1`), if it is
/// a plain one: it goes into a `Location` header.
fn request_path(head: &[u8]) -> Option<&str> {
    let line = std::str::from_utf8(head).ok()?.lines().next()?;
    let path = line.split(' ').nth(1)?;
    let plain = path.starts_with('/') && path.bytes().all(|b| b.is_ascii_graphic());
    plain.then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_is_taken_and_a_closed_port_is_free() {
        let listener = TcpListener::bind(loopback_v4(0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        assert_eq!(probe(loopback_v4(port)), Found::Taken);
        assert!(check_book_port(port).unwrap_err().contains("`-p N`"));
        assert!(
            check_runner_port(port)
                .unwrap_err()
                .contains("`--runner-port N`")
        );
        drop(listener);
        assert_eq!(probe(loopback_v4(port)), Found::Free);
    }

    #[test]
    fn only_plain_paths_are_redirected() {
        assert_eq!(
            request_path(b"GET /leak/index.html HTTP/1.1\r\n"),
            Some("/leak/index.html")
        );
        assert_eq!(request_path(b"GET http://evil/ HTTP/1.1\r\n"), None);
        assert_eq!(request_path(b"GET /a\x01b HTTP/1.1\r\n"), None);
        assert_eq!(request_path(b""), None);
    }
}
