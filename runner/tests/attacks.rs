//! A hostile neighbour on the same machine: the attacks an outside red team
//! ran (and others of the same kinds), each followed by proof that the
//! runner still answers a good request at once and that nothing ran.
//! Attack traffic goes to 127.0.0.1 only, in bounded loops.

#![cfg(unix)]

mod common;

use common::*;
use runner::http::{self, Client, HeadError, Request};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A request head with the book's headers and the session, plus `extra`
/// header lines (each ending in CRLF).
fn head(f: &Fixture, method: &str, path: &str, extra: &str) -> String {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nOrigin: {BOOK}\r\nAuthorization: Bearer {}\r\n{extra}\r\n",
        host(f.port),
        f.session
    )
}

fn connect(f: &Fixture) -> TcpStream {
    TcpStream::connect(("127.0.0.1", f.port)).unwrap()
}

#[test]
fn a_page_at_localhost_cannot_use_the_link_or_a_session() {
    // An impostor on [::1] at the book's port serves `http://localhost:3000`:
    // it may read the fragment, but its origin is not the book's.
    let f = start_fresh("impostor", Options::default());
    let link = format!("Bearer {}", f.link);
    let h = host(f.port);
    let impostor = [
        ("Host", h.as_str()),
        ("Origin", "http://localhost:3000"),
        ("Authorization", link.as_str()),
    ];
    let stolen = request(f.port, "POST", "/api/session", &impostor);
    assert_eq!((stolen.status, stolen.reason()), (403, "bad_origin".into()));
    assert!(!stolen.has_cors());
    let run = request(f.port, "POST", "/api/run/hello", &impostor);
    assert_eq!(run.status, 403);
    // The link is still good for the real page, and its session is no good
    // to the impostor either.
    let real = request(
        f.port,
        "POST",
        "/api/session",
        &[("Host", &h), ("Origin", BOOK), ("Authorization", &link)],
    );
    assert_eq!(real.status, 200, "{}", real.body);
    let session = format!("Bearer {}", real.json()["session"].as_str().unwrap());
    for origin in ["http://localhost:3000", "http://[::1]:3000", "null"] {
        let run = request(
            f.port,
            "POST",
            "/api/run/hello",
            &[
                ("Host", &h),
                ("Origin", origin),
                ("Authorization", &session),
            ],
        );
        assert_eq!(
            (run.status, run.reason()),
            (403, "bad_origin".into()),
            "{origin}"
        );
    }
    assert_nothing_ran(&f);
}

#[test]
fn huge_content_lengths_are_refused_unread_and_give_their_slots_back() {
    let f = start("content_length", Options::default());
    // One that aborted tiny_http, then 16 that each kept a slot forever.
    let one = exchange(
        f.port,
        head(
            &f,
            "GET",
            "/api/hello",
            "Content-Length: 1000000000000000\r\n",
        )
        .as_bytes(),
    );
    assert_eq!((one.status, one.reason()), (413, "body_not_allowed".into()));
    assert!(one.has_cors());
    let started = Instant::now();
    for _ in 0..40 {
        let answer = exchange(
            f.port,
            head(
                &f,
                "POST",
                "/api/run/hello",
                "Content-Length: 18446744073709551615\r\n",
            )
            .as_bytes(),
        );
        assert_eq!(
            (answer.status, answer.reason()),
            (413, "body_not_allowed".into())
        );
    }
    for bad in ["-1", "abc", "1e3", "0x10", "18446744073709551616"] {
        let answer = exchange(
            f.port,
            head(
                &f,
                "POST",
                "/api/run/hello",
                &format!("Content-Length: {bad}\r\n"),
            )
            .as_bytes(),
        );
        assert_eq!(answer.status, 413, "Content-Length: {bad}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_still_serves(&f);
    assert_nothing_ran(&f);
}

#[test]
fn bodies_declared_and_never_sent_are_refused_at_once() {
    let f = start("silent_bodies", Options::default());
    // More than there are slots, all open at once, none sending its body.
    let mut open: Vec<TcpStream> = (0..40)
        .map(|_| {
            let mut s = connect(&f);
            s.write_all(head(&f, "POST", "/api/run/hello", "Content-Length: 10\r\n").as_bytes())
                .unwrap();
            s
        })
        .collect();
    for s in &mut open {
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut first = [0u8; 12];
        s.read_exact(&mut first).unwrap();
        let status = String::from_utf8_lossy(&first[9..12]).into_owned();
        assert!(status == "413" || status == "503", "{status}");
    }
    // Still open, and never sending: each is let go half a second after
    // its answer (the runner's lingering close), whatever the client does.
    let waited = time_until_served(&f);
    assert!(waited < Duration::from_secs(5), "served after {waited:?}");
    drop(open);
    assert_nothing_ran(&f);
}

#[test]
fn chunked_and_smuggled_bodies_are_refused() {
    let f = start("chunked", Options::default());
    for extra in [
        "Transfer-Encoding: chunked\r\n",
        "Transfer-Encoding: identity\r\n",
        "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
        "Content-Length: 0\r\nContent-Length: 5\r\n",
    ] {
        let body = "5\r\nhello\r\n0\r\n\r\n";
        let answer = exchange(
            f.port,
            format!("{}{body}", head(&f, "POST", "/api/run/hello", extra)).as_bytes(),
        );
        assert_eq!(
            (answer.status, answer.reason()),
            (413, "body_not_allowed".into()),
            "{extra}"
        );
    }
    // `Content-Length: 0` is no body, and fine.
    let zero = exchange(
        f.port,
        head(&f, "GET", "/api/hello", "Content-Length: 0\r\n").as_bytes(),
    );
    assert_eq!(zero.status, 200);
    assert_still_serves(&f);
    assert_nothing_ran(&f);
}

#[test]
fn idle_and_slow_heads_get_a_busy_answer_with_cors_then_time_out() {
    let f = start("slowloris", Options::default());
    // Every slot taken by a client that sends its head a byte at a time
    // (slowloris) or not at all.
    let slow_client = |i: usize| {
        let mut s = connect(&f);
        if i % 2 == 0 {
            s.write_all(b"GET /api/hello HTTP/1.1\r\nX-Slow: ").unwrap();
        }
        s
    };
    let mut slow: Vec<TcpStream> = (0..32).map(slow_client).collect();
    // A slot of the fixture's own session request may not be back yet: a
    // slow client that was answered busy is replaced until 32 hold a slot.
    for round in 0.. {
        std::thread::sleep(Duration::from_millis(300));
        let before = slow.len();
        slow.retain(|s| !was_answered(s));
        if slow.len() == before {
            break;
        }
        assert!(round < 10, "the slow clients never all got a slot");
        slow.extend((slow.len()..32).map(slow_client));
    }
    let started = Instant::now();
    let busy = book_request(&f, "GET", "/api/hello");
    assert_eq!(
        (busy.status, busy.reason()),
        (503, "busy".into()),
        "{}",
        busy.body
    );
    assert!(
        busy.has_cors(),
        "the page must be able to read the 503: {}",
        busy.headers
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the busy answer took {:?}",
        started.elapsed()
    );
    // Keep dripping; the head's 5 s limit counts from accept, not from the
    // last byte.
    let drip_until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < drip_until {
        for s in slow.iter_mut().step_by(2) {
            let _ = s.write_all(b"a");
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let waited = time_until_served(&f);
    assert!(
        waited < Duration::from_secs(10),
        "slots came back after {waited:?}"
    );
    // The slow clients were closed without an answer.
    for s in &mut slow {
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    }
    assert_nothing_ran(&f);
}

/// Whether the runner already sent something on this connection.
fn was_answered(s: &TcpStream) -> bool {
    s.set_nonblocking(true).unwrap();
    let answered = s.peek(&mut [0u8; 1]).is_ok_and(|n| n > 0);
    s.set_nonblocking(false).unwrap();
    answered
}

#[test]
fn oversized_or_malformed_heads_are_refused_and_nothing_runs() {
    let f = start("heads", Options::default());
    let many: String = (0..40).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let cases: Vec<(&str, String, u16, &str)> = vec![
        (
            "40 headers",
            head(&f, "POST", "/api/run/hello", &many),
            431,
            "too_large",
        ),
        (
            "a 100 KiB header",
            head(
                &f,
                "POST",
                "/api/run/hello",
                &format!("X-Big: {}\r\n", "a".repeat(100_000)),
            ),
            431,
            "too_large",
        ),
        (
            "a 1 MiB path",
            head(&f, "POST", &format!("/api/run/{}", "a".repeat(1 << 20)), ""),
            431,
            "too_large",
        ),
        (
            "a 100 KiB method",
            head(&f, &"POST".repeat(25_000), "/api/run/hello", ""),
            431,
            "too_large",
        ),
        (
            "a header line without colon",
            head(&f, "POST", "/api/run/hello", "this line has no colon\r\n"),
            400,
            "bad_request",
        ),
        (
            "a space before the colon",
            head(
                &f,
                "POST",
                "/api/run/hello",
                "Origin : http://evil.example\r\n",
            ),
            400,
            "bad_request",
        ),
        (
            "a folded header",
            head(&f, "POST", "/api/run/hello", "X-A: b\r\n c\r\n"),
            400,
            "bad_request",
        ),
        (
            "a NUL in a value",
            head(&f, "POST", "/api/run/hello", "X-A: b\0c\r\n"),
            400,
            "bad_request",
        ),
        (
            "an absolute URL",
            head(&f, "POST", "http://127.0.0.1/api/run/hello", ""),
            400,
            "bad_request",
        ),
    ];
    for (what, text, status, reason) in cases {
        let answer = exchange(f.port, text.as_bytes());
        assert_eq!(answer.status, status, "{what}: {}", answer.body);
        assert_eq!(answer.reason(), reason, "{what}");
        assert!(answer.has_cors(), "{what}: the page could not read it");
        assert_still_serves(&f);
    }
    assert_nothing_ran(&f);
}

#[test]
fn a_pipelined_second_request_is_never_served() {
    let f = start("pipelined", Options::default());
    let first = head(&f, "GET", "/api/hello", "");
    let second = head(&f, "POST", "/api/run/hello", "");
    let answer = exchange(f.port, format!("{first}{second}{second}").as_bytes());
    assert_eq!(answer.status, 200);
    assert!(answer.headers.contains("connection: close\r\n"));
    assert_eq!(
        answer.body.matches("HTTP/1.1").count(),
        0,
        "{}",
        answer.body
    );
    assert!(answer.json()["runner"].is_string());
    assert_still_serves(&f);
    assert_nothing_ran(&f);
}

#[test]
fn host_and_origin_look_alikes_are_refused() {
    let f = start("lookalikes", Options::default());
    let h = host(f.port);
    let session = format!("Bearer {}", f.session);
    let cases: Vec<(String, String, &str)> = vec![
        (h.clone(), "HTTP://127.0.0.1:3000".into(), "bad_origin"),
        (h.clone(), "http://127.0.0.1:3000/".into(), "bad_origin"),
        (h.clone(), "http://127.0.0.1:03000".into(), "bad_origin"),
        (
            h.clone(),
            "http://127.0.0.1:3000, http://evil.example".into(),
            "bad_origin",
        ),
        (h.clone(), "http://127.1:3000".into(), "bad_origin"),
        (h.clone(), "http://2130706433:3000".into(), "bad_origin"),
        (
            h.clone(),
            "http://[::ffff:127.0.0.1]:3000".into(),
            "bad_origin",
        ),
        (format!("localhost.:{}", f.port), BOOK.into(), "bad_host"),
        (
            format!("127.0.0.1:{}.evil.example", f.port),
            BOOK.into(),
            "bad_host",
        ),
        (format!("127.1:{}", f.port), BOOK.into(), "bad_host"),
        (
            format!("evil.example, 127.0.0.1:{}", f.port),
            BOOK.into(),
            "bad_host",
        ),
        (format!("127.0.0.1:0{}", f.port), BOOK.into(), "bad_host"),
    ];
    for (host_value, origin, reason) in &cases {
        let answer = request(
            f.port,
            "POST",
            "/api/run/hello",
            &[
                ("Host", host_value),
                ("Origin", origin),
                ("Authorization", &session),
            ],
        );
        assert_eq!(
            answer.status, 403,
            "Host {host_value:?} Origin {origin:?}: {}",
            answer.body
        );
        assert_eq!(
            &answer.reason(),
            reason,
            "Host {host_value:?} Origin {origin:?}"
        );
    }
    // Twice the header, one of them right: refused, not picked from.
    for extra in [
        format!("Host: evil.example:{}\r\n", f.port),
        "Origin: http://evil.example\r\n".to_owned(),
    ] {
        let answer = exchange(
            f.port,
            head(&f, "POST", "/api/run/hello", &extra).as_bytes(),
        );
        assert_eq!(answer.status, 403, "{extra}: {}", answer.body);
    }
    // What HTTP allows is accepted: a Host name in capitals, whitespace
    // around a value, header names in any case.
    let loud = format!("LOCALHOST:{}", f.port);
    let ok = request(
        f.port,
        "GET",
        "/api/hello",
        &[
            ("host", &loud),
            ("ORIGIN", &format!(" {BOOK}\t")),
            ("authorization", &session),
        ],
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_nothing_ran(&f);
}

#[test]
fn a_flood_is_answered_in_bounded_time_and_leaves_the_runner_serving() {
    let f = start("flood", Options::default());
    let started = Instant::now();
    let text = Arc::new(head(&f, "GET", "/api/hello", ""));
    let port = f.port;
    let clients: Vec<_> = (0..8)
        .map(|_| {
            let text = Arc::clone(&text);
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                for _ in 0..50 {
                    statuses.push(exchange(port, text.as_bytes()).status);
                }
                statuses
            })
        })
        .collect();
    let statuses: Vec<u16> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert_eq!(statuses.len(), 400);
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
    assert_still_serves(&f);
}

#[test]
fn a_setsid_escapee_neither_survives_nor_holds_the_request() {
    let f = start("escapee", Options::default());
    let started = Instant::now();
    // The run exits at once; its escapee sleeps 30 s holding stdout.
    let run = book_request(&f, "POST", "/api/run/escape").result();
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the request took {:?}",
        started.elapsed()
    );
    assert_eq!(run["exit_code"], 0, "{run}");
    let pid = std::fs::read_to_string(f.dir.join("escapee")).unwrap();
    wait_for("the escapee to be killed and reaped", || {
        is_reaped(&pid).then_some(())
    });
}

#[test]
fn an_escapee_that_also_clears_its_environment_holds_the_request_one_second_at_most() {
    let f = start("escapee_no_marker", Options::default());
    let started = Instant::now();
    let run = book_request(&f, "POST", "/api/run/escape_all").result();
    let took = started.elapsed();
    let pid = std::fs::read_to_string(f.dir.join("escapee")).unwrap();
    // Out of reach of the group kill and of the marker sweep: the test ends
    // it, and the runner (this process, its subreaper) reaps it.
    let escapee = nix::unistd::Pid::from_raw(pid.trim().parse().unwrap());
    let _ = nix::sys::signal::kill(escapee, nix::sys::signal::Signal::SIGKILL);
    assert!(
        took < Duration::from_secs(10),
        "the request waited {took:?} on the escapee's pipe"
    );
    assert_eq!(run["output"][0]["text"], "started\n", "{run}");
    wait_for("the killed escapee to be reaped", || {
        is_reaped(&pid).then_some(())
    });
    assert_still_serves(&f);
}

#[test]
fn a_setsid_escapee_of_a_run_past_its_limit_is_killed_too() {
    let f = start(
        "escapee_forever",
        Options {
            time_limit: Duration::from_secs(2),
            ..Options::default()
        },
    );
    let started = Instant::now();
    let run = book_request(&f, "POST", "/api/run/escape_forever").result();
    // The limit, the kill and at most a second of draining the pipes.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the request took {:?}",
        started.elapsed()
    );
    assert_eq!(run["timed_out"], true, "{run}");
    let pid = std::fs::read_to_string(f.dir.join("escapee")).unwrap();
    wait_for("the escapee to be killed and reaped", || {
        is_reaped(&pid).then_some(())
    });
    assert_still_serves(&f);
}

/// A handler with a bug: it panics on every request.
struct Panics;

impl http::Handler for Panics {
    fn handle(&self, head: Result<Request, HeadError>, client: &mut Client) {
        if head.as_ref().is_ok_and(|r| r.path() == "/fine") {
            let _ =
                client.send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        panic!("a handler's bug");
    }

    fn busy_answer(&self) -> Vec<u8> {
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec()
    }

    fn panic_answer(&self) -> Vec<u8> {
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec()
    }
}

#[test]
fn a_handler_that_panics_gives_its_slot_back_and_answers_500() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let limits = http::Limits {
        connections: 4,
        ..http::Limits::default()
    };
    std::thread::spawn(move || http::serve(listener, limits, Arc::new(Panics)));
    // Ten times the slots: had one panic kept its slot, the runner would
    // answer 503 for ever after the fourth. A slot comes back once the
    // connection is closed, a moment after the answer: 503 meanwhile.
    let answer_within_5s = |path: &str| {
        let started = Instant::now();
        loop {
            let answer = exchange(port, format!("GET {path} HTTP/1.1\r\n\r\n").as_bytes());
            if answer.status != 503 || started.elapsed() > Duration::from_secs(5) {
                return answer.status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    for _ in 0..40 {
        assert_eq!(answer_within_5s("/boom"), 500);
    }
    assert_eq!(answer_within_5s("/fine"), 200);
}

/// Answers `/big` with 64 MiB (more than any socket buffer holds), and
/// reports how that write ended.
struct Big(std::sync::Mutex<std::sync::mpsc::Sender<std::io::Result<()>>>);

impl http::Handler for Big {
    fn handle(&self, head: Result<Request, HeadError>, client: &mut Client) {
        if head.as_ref().is_ok_and(|r| r.path() == "/big") {
            let mut answer = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
            answer.resize(64 << 20, b'x');
            let sent = client.send(&answer);
            let _ = self.0.lock().unwrap().send(sent);
        } else {
            let _ =
                client.send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    }

    fn busy_answer(&self) -> Vec<u8> {
        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .to_vec()
    }

    fn panic_answer(&self) -> Vec<u8> {
        Vec::new()
    }
}

#[test]
fn a_client_that_never_reads_its_answer_loses_the_connection() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    let limits = http::Limits {
        connections: 1,
        write_stall: Duration::from_secs(1),
        ..http::Limits::default()
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        http::serve(listener, limits, Arc::new(Big(std::sync::Mutex::new(tx))))
    });
    let mut reader_that_never_reads = TcpStream::connect(("127.0.0.1", port)).unwrap();
    reader_that_never_reads
        .write_all(b"GET /big HTTP/1.1\r\n\r\n")
        .unwrap();
    let sent = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the write to a client that never reads did not give up");
    assert!(sent.is_err(), "64 MiB went to a client that never read");
    // The only slot is free again.
    let started = Instant::now();
    loop {
        let answer = exchange(port, b"GET /small HTTP/1.1\r\n\r\n");
        if answer.status == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the slot never came back"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(reader_that_never_reads);
}
