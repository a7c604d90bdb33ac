//! What every renderer may need: the book root, and the exercise manifest of
//! the workspace the book lives in (loaded once, on first use).

use manifest::{MANIFEST_PATH, Manifest};
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub struct Env {
    /// Directive paths are relative to this (the folder holding book.toml).
    pub book_root: PathBuf,
    /// Directive names of other preprocessors to leave alone
    /// (`[preprocessor.runnable] passthrough = [...]`).
    pub passthrough: Vec<String>,
    manifest: OnceCell<Result<(PathBuf, Manifest), String>>,
    /// Exercise ids that got a card, to warn about ones the book never shows.
    pub shown_exercises: RefCell<BTreeSet<String>>,
}

impl Env {
    pub fn new(book_root: &Path) -> Env {
        Env {
            book_root: book_root.to_path_buf(),
            passthrough: Vec::new(),
            manifest: OnceCell::new(),
            shown_exercises: RefCell::new(BTreeSet::new()),
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
