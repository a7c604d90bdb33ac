//! The options of `cargo xtask serve`, parsed by us: an unknown flag is an
//! error with the usage, never passed silently to mdBook (that is what `--`
//! is for).

/// The book's and the runner's default ports.
pub const DEFAULT_BOOK_PORT: u16 = 3000;
pub const DEFAULT_RUNNER_PORT: u16 = 3001;

pub const USAGE: &str = "\
usage: cargo xtask serve [OPTIONS] [-- MDBOOK_ARGS..]

Serves the book on http://127.0.0.1:3000 with `mdbook serve` (installing the
pinned mdBook if missing) and starts the local runner on 127.0.0.1:3001, behind
the book's Run and Check buttons. It prints one URL to open: the book with a
single-use link for the runner. It does not open a browser.

options:
  -p, --port N        the book's port (default 3000)
  --runner-port N     the runner's port (default 3001)
  --no-runner         the book alone: no Run and Check buttons
  --lang LANG         the book in another language: zh-CN (po/README.md);
                      edits of po/ show after a restart of serve
  --no-prebuild       do not compile the listings, Go programs and grading
                      crates in the background (by default they are, at low
                      priority, so the first Run and Check are quick)
  -h, --help          this text
  -- MDBOOK_ARGS..    passed to `mdbook serve` as they are

While it runs, my-work/serve.json tells `watch`, `check`, `progress` and `hint`
which port the book is on. Ctrl-C stops the book and the runner.
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub book_port: u16,
    pub runner_port: u16,
    pub runner: bool,
    pub prebuild: bool,
    /// A translation (`po/LANG.po`) instead of the English book.
    pub lang: Option<String>,
    /// After `--`: for `mdbook serve`, as given.
    pub mdbook_args: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    Help,
    Serve(Options),
}

pub fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut options = Options {
        book_port: DEFAULT_BOOK_PORT,
        runner_port: DEFAULT_RUNNER_PORT,
        runner: true,
        prebuild: true,
        lang: None,
        mdbook_args: Vec::new(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // `--port=N` as well as `--port N`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-p" | "--port" => options.book_port = port(flag, &value()?)?,
            "--runner-port" => options.runner_port = port(flag, &value()?)?,
            "--no-runner" if inline.is_none() => options.runner = false,
            "--no-prebuild" if inline.is_none() => options.prebuild = false,
            "--lang" => {
                let lang = value()?;
                options.lang = (lang != "en").then_some(lang);
            }
            "--" => {
                options.mdbook_args = args.cloned().collect();
                break;
            }
            _ => {
                return Err(format!(
                    "unknown option `{arg}` for `cargo xtask serve` (options for `mdbook serve` \
                     go after `--`)\n\n{USAGE}"
                ));
            }
        }
    }
    // The book's address is ours to set: the runner trusts exactly it.
    if let Some(address) = options.mdbook_args.iter().find(|a| {
        ["-n", "--hostname", "-p", "--port"]
            .iter()
            .any(|f| *a == f || a.starts_with(&format!("{f}=")))
    }) {
        return Err(format!(
            "`-- {address}`: `serve` sets mdBook's address itself (127.0.0.1, the port of \
             `-p N`)\n\n{USAGE}"
        ));
    }
    if options.runner && options.book_port == options.runner_port {
        return Err(format!(
            "the book and the runner cannot share port {}: choose another with `-p N` or \
             `--runner-port N`",
            options.book_port
        ));
    }
    Ok(Parsed::Serve(options))
}

fn port(flag: &str, value: &str) -> Result<u16, String> {
    match value.parse::<u16>() {
        Ok(0) | Err(_) => Err(format!(
            "`{flag} {value}`: a port is a number from 1 to 65535\n\n{USAGE}"
        )),
        Ok(port) => Ok(port),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(line: &str) -> Result<Parsed, String> {
        let args: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        parse(&args)
    }

    fn options(line: &str) -> Options {
        match parse_words(line) {
            Ok(Parsed::Serve(options)) => options,
            other => panic!("`{line}` gave {other:?}"),
        }
    }

    #[test]
    fn defaults_then_each_flag() {
        let plain = options("");
        assert_eq!((plain.book_port, plain.runner_port), (3000, 3001));
        assert!(plain.runner && plain.prebuild && plain.mdbook_args.is_empty());
        assert_eq!(options("-p 4000").book_port, 4000);
        assert_eq!(options("--port=4001").book_port, 4001);
        assert_eq!(options("--runner-port 4002").runner_port, 4002);
        assert!(!options("--no-runner").runner);
        assert_eq!(options("--lang zh-CN").lang.as_deref(), Some("zh-CN"));
        assert_eq!(options("--lang=en").lang, None);
        assert!(!options("--no-prebuild").prebuild);
        assert_eq!(
            options("-p 4000 -- --open -d x").mdbook_args,
            ["--open", "-d", "x"]
        );
        assert_eq!(parse_words("--help"), Ok(Parsed::Help));
        assert_eq!(parse_words("-p 4000 -h"), Ok(Parsed::Help));
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for (line, says) in [
            ("--open", "unknown option `--open`"),
            ("-n 0.0.0.0", "unknown option `-n`"),
            ("--no-runner=1", "unknown option `--no-runner=1`"),
            ("-p", "`-p` needs a value"),
            ("--lang", "`--lang` needs a value"),
            ("-p x", "a port is a number"),
            ("--runner-port 0", "a port is a number"),
            ("-p 70000", "a port is a number"),
            ("-p 3001", "cannot share port 3001"),
            ("-- -n 0.0.0.0", "sets mdBook's address itself"),
            ("-- --port=4000", "sets mdBook's address itself"),
        ] {
            let error = parse_words(line).expect_err(line);
            assert!(error.contains(says), "`{line}`: {error}");
        }
        // Without a runner, its port does not matter.
        assert!(!options("-p 3001 --no-runner").runner);
    }
}
