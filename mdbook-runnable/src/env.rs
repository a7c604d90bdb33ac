//! What every renderer may need: the book root, and the exercise manifest of
//! the workspace the book lives in (loaded once, on first use).

use crate::commands::{self, Parsed, Place, Shown};
use crate::edit::Editable;
use crate::experiments::Experiment;
use manifest::{MANIFEST_PATH, Manifest};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub struct Env {
    /// Directive paths are relative to this (the folder holding book.toml).
    pub book_root: PathBuf,
    /// Directive names of other preprocessors to leave alone
    /// (`[preprocessor.runnable] passthrough = [...]`).
    pub passthrough: Vec<String>,
    /// Where `src/CH/experiments.toml` is read from, when not from the book
    /// root (`[preprocessor.runnable] experiments-dir`: a translated build's
    /// copies).
    pub experiments_dir: Option<PathBuf>,
    manifest: OnceCell<Result<(PathBuf, Manifest), String>>,
    /// Exercise ids that got a card, to warn about ones the book never shows.
    pub shown_exercises: RefCell<BTreeSet<String>>,
    /// The page being expanded (`src/...md`) and the line of the directive
    /// being rendered: where a command is shown.
    pub page: RefCell<String>,
    pub line: Cell<usize>,
    /// Every command and grading command shown, in order.
    pub shown_commands: RefCell<Vec<Shown>>,
    /// Not errors, but worth a line on stderr (a starter read from disk).
    pub warnings: RefCell<Vec<String>>,
    /// Every experiment shown, checked, in order.
    pub experiments: RefCell<Vec<Experiment>>,
    /// Every editable listing, once per id, in order.
    pub edits: RefCell<Vec<Editable>>,
}

impl Env {
    pub fn new(book_root: &Path) -> Env {
        Env {
            book_root: book_root.to_path_buf(),
            passthrough: Vec::new(),
            experiments_dir: None,
            manifest: OnceCell::new(),
            shown_exercises: RefCell::new(BTreeSet::new()),
            page: RefCell::new(String::new()),
            line: Cell::new(0),
            shown_commands: RefCell::new(Vec::new()),
            warnings: RefCell::new(Vec::new()),
            experiments: RefCell::new(Vec::new()),
            edits: RefCell::new(Vec::new()),
        }
    }

    fn place(&self) -> Place {
        Place {
            file: self.page.borrow().clone(),
            line: self.line.get(),
        }
    }

    /// Checks a `run=` command and records it; returns its id.
    pub fn run_command(&self, text: &str) -> Result<String, String> {
        let parsed = commands::parse(text, &self.book_root)?;
        let id = parsed.id();
        self.shown_commands.borrow_mut().push(Shown::Run {
            parsed,
            text: text.to_owned(),
            at: self.place(),
        });
        Ok(id)
    }

    /// Checks an output block's `cmd=` and records it with its file.
    pub fn output_command(&self, text: &str, file: &str) -> Result<String, String> {
        let parsed: Parsed = commands::parse(text, &self.book_root)?;
        let id = parsed.id();
        self.shown_commands.borrow_mut().push(Shown::Output {
            parsed,
            text: text.to_owned(),
            file: file.to_owned(),
            at: self.place(),
        });
        Ok(id)
    }

    /// Records a checked experiment; an id shown twice is an error (the
    /// runner selects by id).
    pub fn record_experiment(&self, experiment: Experiment) -> Result<(), String> {
        let mut all = self.experiments.borrow_mut();
        if let Some(known) = all.iter().find(|e| e.id == experiment.id) {
            return Err(format!(
                "experiment `{}` is shown twice (also at {}): ids are unique in the book",
                experiment.id, known.shown_at
            ));
        }
        all.push(experiment);
        Ok(())
    }

    /// The `data-edit-id` attribute (with its leading space) when the listing
    /// `spec`, shown with the command `run`, is editable (see `edit.rs`), and
    /// records it; an empty string when it is not. The same listing with the
    /// same program is one entry however often it is shown.
    pub fn edit_attribute(&self, spec: &crate::anchors::Spec, run: &str) -> Result<String, String> {
        let Some(mut edit) = crate::edit::editable(&self.book_root, spec, run, self.place())?
        else {
            return Ok(String::new());
        };
        let mut all = self.edits.borrow_mut();
        let base = edit.id.clone();
        let mut n = 1;
        loop {
            match all.iter().find(|e| e.id == edit.id) {
                Some(known) if known.command == edit.command => break,
                Some(_) => {
                    n += 1;
                    let suffix = format!("-{n}");
                    edit.id = format!("{}{suffix}", &base[..base.len().min(64 - suffix.len())]);
                }
                None => {
                    all.push(edit.clone());
                    break;
                }
            }
        }
        Ok(format!(" data-edit-id=\"{}\"", edit.id))
    }

    /// Records an exercise card's grading command.
    pub fn exercise_command(&self, id: &str, command: &str) {
        self.shown_commands.borrow_mut().push(Shown::Exercise {
            id: id.to_owned(),
            command: command.to_owned(),
            at: self.place(),
        });
    }

    /// The workspace root (where `exercises/exercises.toml` is, the book root
    /// or a folder above it) and its manifest.
    pub fn manifest(&self) -> Result<(&Path, &Manifest), String> {
        let loaded = self.manifest.get_or_init(|| {
            let root = self
                .book_root
                .ancestors()
                .find(|dir| dir.join(MANIFEST_PATH).is_file())
                .ok_or_else(|| {
                    format!(
                        "no {MANIFEST_PATH} in the book root {} or above it",
                        self.book_root.display()
                    )
                })?;
            let manifest = Manifest::load(root).map_err(|e| e.0)?;
            Ok((root.to_path_buf(), manifest))
        });
        match loaded {
            Ok((root, manifest)) => Ok((root, manifest)),
            Err(e) => Err(e.clone()),
        }
    }

    /// The manifest, if some directive already loaded it successfully.
    pub fn loaded_manifest(&self) -> Option<&Manifest> {
        self.manifest.get()?.as_ref().ok().map(|(_, m)| m)
    }
}
