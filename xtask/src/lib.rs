//! The learner's commands (`cargo xtask`, `src/main.rs`) and the plumbing the
//! maintainers' commands (`cargo dev`, the `devtools` crate) share with them:
//! running programs, the pinned mdBook, the starters as shipped, a translated
//! book's configuration, argument parsing. Dependencies point one way:
//! `devtools` uses this library; nothing here knows `devtools`.

pub mod args;
pub mod book;
pub mod chapter;
pub mod check;
pub mod grade;
pub mod hint;
pub mod i18n;
pub mod phases;
pub mod process;
pub mod progress;
pub mod reset;
pub mod serve;
pub mod starters;
pub mod state;
pub mod verdict;
pub mod watch;

/// Loads the manifest or explains why not.
pub fn load_manifest(root: &std::path::Path) -> Result<manifest::Manifest, String> {
    manifest::Manifest::load(root).map_err(|e| e.to_string())
}

/// Looks an exercise up, listing the known ids when the name is wrong.
pub fn find_exercise<'m>(
    manifest: &'m manifest::Manifest,
    id: &str,
) -> Result<&'m manifest::Exercise, String> {
    manifest.get(id).ok_or_else(|| {
        let ids: Vec<&str> = manifest.ids().collect();
        format!("no exercise `{id}`; the exercises are: {}", ids.join(", "))
    })
}
