//! The arguments of a directive: bare positional words (an id, a path) and
//! `key="value"` attributes. Values may hold spaces, `}}` and `\"` when quoted.

use std::collections::BTreeMap;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Attrs {
    pub positional: Vec<String>,
    named: BTreeMap<String, String>,
}

pub fn parse(args: &str) -> Result<Attrs, String> {
    let mut attrs = Attrs::default();
    let mut chars = args.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, first)) = chars.peek() else {
            return Ok(attrs);
        };
        if first == '"' {
            chars.next();
            attrs.positional.push(quoted(&mut chars, args, start)?);
            continue;
        }
        let mut word = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && *c != '=') {
            if c == '"' {
                return Err(format!(
                    "malformed attributes: stray `\"` in `{}`",
                    &args[start..]
                ));
            }
            word.push(c);
        }
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            attrs.positional.push(word);
            continue;
        }
        if !is_key(&word) {
            return Err(format!(
                "malformed attributes: `{word}=` is not a valid attribute name (write key=\"value\")"
            ));
        }
        let value = match chars.peek() {
            Some(&(at, '"')) => {
                chars.next();
                quoted(&mut chars, args, at)?
            }
            Some((_, c)) if !c.is_whitespace() => {
                let mut value = String::new();
                while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace()) {
                    if c == '"' {
                        return Err(format!(
                            "malformed attributes: stray `\"` in the value of `{word}`"
                        ));
                    }
                    value.push(c);
                }
                value
            }
            _ => {
                return Err(format!(
                    "malformed attributes: `{word}=` has no value (write {word}=\"...\")"
                ));
            }
        };
        if attrs.named.insert(word.clone(), value).is_some() {
            return Err(format!("malformed attributes: `{word}` is given twice"));
        }
    }
}

fn quoted(
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
    args: &str,
    start: usize,
) -> Result<String, String> {
    let mut value = String::new();
    while let Some((_, c)) = chars.next() {
        match c {
            '"' => return Ok(value),
            '\\' => match chars.next() {
                Some((_, c @ ('"' | '\\'))) => value.push(c),
                Some((_, c)) => {
                    value.push('\\');
                    value.push(c);
                }
                None => break,
            },
            c => value.push(c),
        }
    }
    Err(format!(
        "malformed attributes: unterminated quote in `{}`",
        &args[start..]
    ))
}

fn is_key(word: &str) -> bool {
    let mut chars = word.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

impl Attrs {
    /// Removes and returns an attribute, so that `finish` can reject the rest.
    pub fn take(&mut self, key: &str) -> Option<String> {
        self.named.remove(key)
    }

    pub fn take_bool(&mut self, key: &str) -> Result<Option<bool>, String> {
        match self.take(key).as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(format!(
                "malformed attributes: `{key}` must be true or false, not `{other}`"
            )),
        }
    }

    /// The single positional argument a directive needs (an id or a path).
    pub fn one_positional(&self, directive: &str, what: &str) -> Result<String, String> {
        match self.positional.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(format!("{{{{#{directive}}}}} needs {what}")),
            [_, extra, ..] => Err(format!(
                "malformed attributes: unexpected `{extra}` in {{{{#{directive}}}}} (attributes are key=\"value\")"
            )),
        }
    }

    pub fn no_positional(&self, directive: &str) -> Result<(), String> {
        match self.positional.first() {
            None => Ok(()),
            Some(word) => Err(format!(
                "malformed attributes: unexpected `{word}` in {{{{#{directive}}}}} (attributes are key=\"value\")"
            )),
        }
    }

    /// Fails on any attribute the directive did not take: a typo must not be
    /// silently ignored.
    pub fn finish(self, directive: &str, known: &[&str]) -> Result<(), String> {
        match self.named.keys().next() {
            None => Ok(()),
            Some(key) => Err(format!(
                "malformed attributes: {{{{#{directive}}}}} has no attribute `{key}` (it takes: {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_positional_quoted_and_bare_values() {
        let mut a = parse(
            " go/x.go:a  run=\"cd go && go run ./x\" playground=true  note=\"say \\\"hi\\\" }}\"",
        )
        .unwrap();
        assert_eq!(a.positional, ["go/x.go:a"]);
        assert_eq!(a.take("run").unwrap(), "cd go && go run ./x");
        assert_eq!(a.take_bool("playground").unwrap(), Some(true));
        assert_eq!(a.take("note").unwrap(), "say \"hi\" }}");
        a.finish("listing", &[]).unwrap();
    }

    #[test]
    fn spans_lines() {
        let a = parse("\n  go=\"a.go\"\n  rust=\"b.rs\"\n").unwrap();
        assert_eq!(a.named.len(), 2);
    }

    #[test]
    fn rejects_malformed_attributes() {
        for (args, expected) in [
            ("run=\"cargo run", "unterminated quote"),
            ("run=", "has no value"),
            ("run= x", "has no value"),
            ("=x", "not a valid attribute name"),
            ("a=1 a=2", "given twice"),
            ("a\"b", "stray"),
            ("a=b\"c", "stray"),
        ] {
            let err = parse(args).unwrap_err();
            assert!(err.contains(expected), "{args}: {err}");
        }
    }

    #[test]
    fn unknown_and_bad_boolean_attributes_are_errors() {
        let mut a = parse("x.rs playground=yes").unwrap();
        assert!(
            a.take_bool("playground")
                .unwrap_err()
                .contains("true or false")
        );
        let a = parse("x.rs rnu=\"x\"").unwrap();
        let err = a.finish("listing", &["run", "playground"]).unwrap_err();
        assert!(err.contains("no attribute `rnu`"), "{err}");
        let a = parse("a b").unwrap();
        assert!(
            a.one_positional("listing", "a path")
                .unwrap_err()
                .contains("`b`")
        );
    }
}
