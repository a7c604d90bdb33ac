//! Build errors that point at the chapter source, so a broken reference reads
//! like a compiler error: `src/leak/index.md:12: what is wrong`.

use std::fmt;

/// One problem found while expanding a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The chapter as the author knows it, e.g. `src/leak/index.md`.
    pub file: String,
    /// 1-based line of the directive's `{{`; 0 when the whole file is meant.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// A problem inside one chapter, before we know which file the chapter is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        LineError {
            line,
            message: message.into(),
        }
    }

    pub fn in_file(self, file: &str) -> Diagnostic {
        Diagnostic {
            file: file.to_owned(),
            line: self.line,
            message: self.message,
        }
    }
}
