//! The learner commands' arguments: the flags a command knows and at most
//! so many positional words (an exercise id). Anything else is an error that
//! says what the command accepts, never silently ignored: `check --jsn`
//! printing text, or `check a b` grading only `a`, would mislead a learner
//! and a tool alike. Std only, so the first `cargo xtask hint` stays quick.

use std::collections::BTreeSet;

/// What a command accepts.
pub struct Spec {
    /// `check`, `watch`, ...: for the error message.
    pub command: &'static str,
    /// Flags without a value, e.g. `--json`.
    pub flags: &'static [&'static str],
    /// What the positional words are, e.g. `ID`; empty when there are none.
    pub positional: &'static str,
    /// How many positional words at most.
    pub max_positional: usize,
}

/// The flags given and the positional words, in order.
#[derive(Debug, Default)]
pub struct Parsed {
    flags: BTreeSet<&'static str>,
    pub positional: Vec<String>,
}

impl Parsed {
    pub fn has(&self, flag: &str) -> bool {
        self.flags.contains(flag)
    }

    /// The first positional word (an exercise id), if any.
    pub fn first(&self) -> Option<&str> {
        self.positional.first().map(String::as_str)
    }
}

impl Spec {
    pub fn parse(&self, args: &[String]) -> Result<Parsed, String> {
        let mut parsed = Parsed::default();
        for arg in args {
            if arg.starts_with('-') {
                match self.flags.iter().find(|f| **f == arg) {
                    Some(flag) => {
                        parsed.flags.insert(flag);
                    }
                    None => return Err(format!("unknown option `{arg}`\n\n{}", self.usage())),
                }
            } else {
                parsed.positional.push(arg.clone());
            }
        }
        if parsed.positional.len() > self.max_positional {
            let extra = parsed.positional[self.max_positional..].join(" ");
            return Err(format!(
                "unexpected `{extra}`: {} takes {}\n\n{}",
                self.command,
                match self.max_positional {
                    0 => "no argument".to_owned(),
                    1 => format!("at most one {}", self.positional),
                    n => format!("at most {n} of {}", self.positional),
                },
                self.usage()
            ));
        }
        Ok(parsed)
    }

    fn usage(&self) -> String {
        let mut words = vec![format!("usage: cargo xtask {}", self.command)];
        words.extend(self.flags.iter().map(|f| format!("[{f}]")));
        if self.max_positional > 0 {
            words.push(format!("[{}]", self.positional));
        }
        format!(
            "{}\n(`cargo xtask help` lists every command)",
            words.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHECK: Spec = Spec {
        command: "check",
        flags: &["--json", "--all"],
        positional: "ID",
        max_positional: 1,
    };

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| (*w).to_owned()).collect()
    }

    #[test]
    fn known_flags_and_one_id_are_accepted() {
        let p = CHECK.parse(&args(&["leak_runner", "--json"])).unwrap();
        assert!(p.has("--json") && !p.has("--all"));
        assert_eq!(p.first(), Some("leak_runner"));
    }

    #[test]
    fn a_misspelled_flag_is_an_error_that_lists_the_right_ones() {
        let e = CHECK.parse(&args(&["--jsn"])).unwrap_err();
        assert!(e.contains("unknown option `--jsn`"), "{e}");
        assert!(e.contains("[--json]") && e.contains("[--all]"), "{e}");
    }

    #[test]
    fn a_second_id_is_an_error_not_ignored() {
        let e = CHECK.parse(&args(&["a", "b"])).unwrap_err();
        assert!(
            e.contains("unexpected `b`") && e.contains("at most one ID"),
            "{e}"
        );
    }
}
