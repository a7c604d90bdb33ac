//! What a renderer gets besides its directive's arguments: [`Env`], what
//! every directive of a build reads (the book root, the settings, the
//! catalogue, the exercise manifest); [`Site`], where the directive stands;
//! and [`Found`], where it records what the build collects (commands,
//! experiments, editable listings, exercise cards, warnings). Nothing here
//! is set behind a caller's back: the site is an argument, the collector a
//! `&mut`.

use crate::commands::{self, Place, Shown};
use crate::edit::Editable;
use crate::experiments::Experiment;
use crate::i18n::Catalogue;
use manifest::{MANIFEST_PATH, Manifest};
use std::cell::OnceCell;
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
    /// Our own words in the book's language (empty in English: see i18n.rs).
    pub catalogue: Catalogue,
    /// Loaded on first use, by the first directive that needs it: a cache
    /// (the same value whoever asks first), not state a caller sets.
    manifest: OnceCell<Result<(PathBuf, Manifest), String>>,
}

/// Where a directive stands.
#[derive(Debug, Clone, Copy)]
pub struct Site<'a> {
    /// The page from the book root (`src/leak/index.md`): where a command is
    /// shown, and the folder its `experiments.toml` is in.
    pub file: &'a str,
    /// The same page below `src/` (`leak/index.md`), as the exercise
    /// manifest's `chapter` names it.
    pub chapter: &'a Path,
    /// The line of the directive's `{{`.
    pub line: usize,
}

impl Site<'_> {
    pub fn place(&self) -> Place {
        Place {
            file: self.file.to_owned(),
            line: self.line,
        }
    }
}

/// What the directives of a build show, in the order they are rendered.
#[derive(Debug, Default)]
pub struct Found {
    /// Exercise ids that got a card, to warn about ones the book never shows.
    pub exercises: BTreeSet<String>,
    /// Every command and grading command shown, in order.
    pub commands: Vec<Shown>,
    /// Not errors, but worth a line on stderr (a starter read from disk).
    pub warnings: Vec<String>,
    /// Every experiment shown, checked, in order.
    pub experiments: Vec<Experiment>,
    /// Every editable listing, once per id, in order.
    pub edits: Vec<Editable>,
}

impl Found {
    /// Checks a `run=` command shown at `site` and records it; returns its id.
    pub fn run_command(&mut self, root: &Path, site: Site, text: &str) -> Result<String, String> {
        let parsed = commands::parse(text, root)?;
        let id = parsed.id();
        self.commands.push(Shown::Run {
            parsed,
            text: text.to_owned(),
            at: site.place(),
        });
        Ok(id)
    }

    /// Checks an output block's `cmd=` and records it with its file.
    pub fn output_command(
        &mut self,
        root: &Path,
        site: Site,
        text: &str,
        file: &str,
    ) -> Result<String, String> {
        let parsed = commands::parse(text, root)?;
        let id = parsed.id();
        self.commands.push(Shown::Output {
            parsed,
            text: text.to_owned(),
            file: file.to_owned(),
            at: site.place(),
        });
        Ok(id)
    }

    /// Records an exercise card and its grading command.
    pub fn exercise(&mut self, site: Site, id: &str, command: &str) {
        self.exercises.insert(id.to_owned());
        self.commands.push(Shown::Exercise {
            id: id.to_owned(),
            command: command.to_owned(),
            at: site.place(),
        });
    }

    /// Records a checked experiment; an id shown twice is an error (the
    /// runner selects by id).
    pub fn experiment(&mut self, experiment: Experiment) -> Result<(), String> {
        if let Some(known) = self.experiments.iter().find(|e| e.id == experiment.id) {
            return Err(format!(
                "experiment `{}` is shown twice (also at {}): ids are unique in the book",
                experiment.id, known.shown_at
            ));
        }
        self.experiments.push(experiment);
        Ok(())
    }

    /// The `data-edit-id` attribute (with its leading space) when the listing
    /// `spec`, shown at `site` with the command `run`, is editable (see
    /// `edit.rs`), and records it; an empty string when it is not. The same
    /// listing with the same program is one entry however often it is shown.
    pub fn edit_attribute(
        &mut self,
        root: &Path,
        site: Site,
        spec: &crate::anchors::Spec,
        run: &str,
    ) -> Result<String, String> {
        let Some(mut edit) = crate::edit::editable(root, spec, run, site.place())? else {
            return Ok(String::new());
        };
        let base = edit.id.clone();
        let mut n = 1;
        loop {
            match self.edits.iter().find(|e| e.id == edit.id) {
                Some(known) if known.command == edit.command => break,
                Some(_) => {
                    n += 1;
                    let suffix = format!("-{n}");
                    edit.id = format!("{}{suffix}", &base[..base.len().min(64 - suffix.len())]);
                }
                None => {
                    self.edits.push(edit.clone());
                    break;
                }
            }
        }
        Ok(format!(" data-edit-id=\"{}\"", edit.id))
    }
}

impl Env {
    /// An English build's settings: no passthrough, experiments read from
    /// the book root.
    pub fn new(book_root: &Path) -> Env {
        Env {
            book_root: book_root.to_path_buf(),
            passthrough: Vec::new(),
            experiments_dir: None,
            catalogue: Catalogue::default(),
            manifest: OnceCell::new(),
        }
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
