//! Runs a real `mdbook build` on tests/fixture-book (a book with its own
//! manifest and crates, so these tests do not depend on the workbook's
//! content), with the preprocessor binary cargo just built.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The mdBook to build with: $MDBOOK, else `mdbook` on PATH. Missing is a
/// failure, not a skip: a skipped build test proves nothing.
fn mdbook() -> String {
    let bin = std::env::var("MDBOOK").unwrap_or_else(|_| "mdbook".to_owned());
    match Command::new(&bin).arg("--version").output() {
        Ok(out) if out.status.success() => {
            let version = String::from_utf8_lossy(&out.stdout);
            assert!(
                version.contains("v0.5."),
                "`{bin} --version` says {version:?}; these tests need mdBook 0.5.4: \
                 cargo install mdbook --locked --version 0.5.4"
            );
            bin
        }
        _ => panic!(
            "`{bin}` was not found: this test runs a real `mdbook build`. Install mdBook 0.5.4 \
             (cargo install mdbook --locked --version 0.5.4; CI installs it before the tests) \
             or set MDBOOK to its path."
        ),
    }
}

/// A fresh copy of the fixture book whose book.toml runs this build's binary
/// and whose theme/ is the workbook's real CSS and JS.
fn fixture_copy(name: &str) -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dest = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dest.exists() {
        fs::remove_dir_all(&dest).unwrap();
    }
    copy_dir(&crate_dir.join("tests/fixture-book"), &dest);
    fs::create_dir_all(dest.join("theme")).unwrap();
    for asset in ["runnable.css", "runnable.js"] {
        fs::copy(
            crate_dir.join("../theme").join(asset),
            dest.join("theme").join(asset),
        )
        .unwrap();
    }
    let binary = env!("CARGO_BIN_EXE_mdbook-runnable").replace('\\', "/");
    let config = fs::read_to_string(dest.join("book.toml")).unwrap();
    fs::write(
        dest.join("book.toml"),
        config.replace("@RUNNABLE@", &binary),
    )
    .unwrap();
    dest
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn build(root: &Path) -> Output {
    Command::new(mdbook())
        .arg("build")
        .current_dir(root)
        .output()
        .expect("mdbook build runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn mdbook_build_renders_every_directive() {
    let root = fixture_copy("build-ok");
    let out = build(&root);
    assert!(
        out.status.success(),
        "mdbook build failed:\n{}",
        stderr(&out)
    );

    // The commands manifest, where book.toml's `commands` says.
    let commands = mdbook_runnable::CommandManifest::load(&root.join("out/build/commands.json"))
        .expect("the build writes the commands manifest");
    let go = commands.command("go-run-demo").expect("the Go command");
    assert_eq!(go.shown_at[0].to_string(), "src/chapter.md:5");
    assert_eq!(go.outputs[0].file, "out/demo.out");
    assert!(
        commands
            .command("cargo-run-p-listings-example-demo")
            .is_some()
    );

    let chapter = fs::read_to_string(root.join("book/chapter.html")).unwrap();
    for piece in [
        "<div class=\"runnable-exercise\" id=\"exercise-leak_demo\" data-exercise=\"leak_demo\">",
        "<details class=\"runnable-hint\">\n<summary>Hint 1 — nudge</summary>",
        "<summary>Hint 3 — almost the answer</summary>",
        "<details class=\"runnable-solution\">",
        "drop(tx); // SOLUTION-MARKER",
        "<div class=\"runnable-compare\">",
        "<div class=\"runnable-pane\" data-lang=\"go\">",
        "<code class=\"language-go\">func greet",
        "<div class=\"runnable-pane\" data-lang=\"rust\">",
        "<code class=\"language-rust ignore noplayground\">fn greet",
        "Run it: <code>cd go &amp;&amp; go run ./demo</code>",
        "<div class=\"runnable-listing\" data-lang=\"rust\">",
        // playground=true: mdBook's Run button
        "<pre class=\"playground\"><code class=\"language-rust edition2024\"><span class=\"boring\">fn greet",
        "<div class=\"runnable-output\" data-source=\"out/demo.out\" data-command=\"go-run-demo\">",
        "<code class=\"language-console\">$ cd go &amp;&amp; go run ./demo\nhello gopher",
        "<div class=\"runnable-quiz\" data-quiz=\"quiz/demo.toml\">",
        "<button type=\"button\" class=\"runnable-choice\" data-index=\"1\">",
        "<details class=\"runnable-explanation\">",
        "<p>It prints <strong>hello</strong> and the name.</p>",
    ] {
        assert!(chapter.contains(piece), "chapter.html lacks {piece:?}");
    }
    assert!(
        !chapter.contains("```"),
        "a code block inside our HTML was not rendered"
    );

    let plain = fs::read_to_string(root.join("book/plain.html")).unwrap();
    assert!(
        plain.contains("GO-MARKER"),
        "mdBook's {{{{#include}}}} was not expanded"
    );
    assert!(
        plain.contains("{{#exercise leak_demo}}") && plain.contains("{{#listing go/demo.go:greet"),
        "directives shown as code must stay as they are"
    );
    assert!(!plain.contains("runnable-exercise"));

    assert_eq!(mdbook_runnable::check_built_html(&root), Ok(()));
    assert_eq!(
        mdbook_runnable::check_built_html(&root.join("book")),
        Ok(())
    );
}

#[test]
fn mdbook_build_fails_on_a_broken_reference_with_path_and_line() {
    let root = fixture_copy("build-broken");
    fs::write(
        root.join("src/chapter.md"),
        "# Broken\n\nSome text.\n\n{{#listing go/demo.go:no_such_anchor}}\n\n{{#exercise leak_nope}}\n",
    )
    .unwrap();
    let out = build(&root);
    let err = stderr(&out);
    assert!(!out.status.success(), "the build should fail:\n{err}");
    assert!(
        err.contains("src/chapter.md:5: go/demo.go: no `ANCHOR: no_such_anchor` in the file"),
        "{err}"
    );
    assert!(
        err.contains("src/chapter.md:7: unknown exercise `leak_nope`"),
        "{err}"
    );
}

#[test]
fn check_built_html_catches_a_misspelled_output_html_key() {
    let root = fixture_copy("build-misspelled");
    let config = fs::read_to_string(root.join("book.toml")).unwrap();
    // mdBook logs this, exits 0, and builds with its default HTML config.
    fs::write(
        root.join("book.toml"),
        config.replace("additional-css =", "additional_css ="),
    )
    .unwrap();
    let out = build(&root);
    assert!(root.join("book/index.html").is_file(), "{}", stderr(&out));
    let problems = mdbook_runnable::check_built_html(&root).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("does not link theme/runnable.css")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.contains("hidelines")),
        "the reverted config also loses the Go hidden lines: {problems:#?}"
    );
}

/// A translated build (`book.language`, as `cargo dev i18n build` sets it)
/// takes our own words and the manifest's texts from `po/LANG.po`, hands the
/// page scripts their words in the page, and leaves untranslated ones English.
#[test]
fn a_translated_build_uses_the_catalogue_for_our_own_words() {
    let root = fixture_copy("build-xx");
    fs::create_dir_all(root.join("po")).unwrap();
    fs::write(
        root.join("po/xx.po"),
        "msgid \"\"\nmsgstr \"Language: xx\\n\"\n\n\
         #: mdbook-runnable/src/strings.rs:18\nmsgid \"Hint 1 — nudge\"\nmsgstr \"XX-HINT-ONE\"\n\n\
         #: mdbook-runnable/src/strings.rs:25\nmsgid \"Run it: {command}\"\nmsgstr \"XX-RUN {command}\"\n\n\
         #: exercises/exercises.toml:3\nmsgid \"Close the `demo` channel\"\nmsgstr \"XX-TITLE `demo`\"\n\n\
         #: theme/runnable.js:14\nmsgid \"Try again\"\nmsgstr \"XX-TRY-AGAIN\"\n\n\
         #, fuzzy\nmsgid \"Hint 2 — concept\"\nmsgstr \"XX-STALE\"\n",
    )
    .unwrap();
    let out = Command::new(mdbook())
        .arg("build")
        .env("MDBOOK_BOOK__LANGUAGE", "xx")
        .current_dir(&root)
        .output()
        .expect("mdbook build runs");
    assert!(
        out.status.success(),
        "mdbook build failed:\n{}",
        stderr(&out)
    );
    let chapter = fs::read_to_string(root.join("book/chapter.html")).unwrap();
    for piece in [
        "<summary>XX-HINT-ONE</summary>",
        "XX-RUN <code>cd go &amp;&amp; go run ./demo</code>",
        "XX-TITLE <code>demo</code>",
        // fuzzy: the English stays
        "<summary>Hint 2 — concept</summary>",
        "<script type=\"application/json\" id=\"runnable-strings\">{\"Try again\":\"XX-TRY-AGAIN\"}</script>",
    ] {
        assert!(chapter.contains(piece), "chapter.html lacks {piece:?}");
    }
    assert!(!chapter.contains("XX-STALE"));
    // A page without our blocks gets no table.
    let plain = fs::read_to_string(root.join("book/plain.html")).unwrap();
    assert!(!plain.contains("runnable-strings"));
}

#[test]
fn the_english_build_has_no_table_of_translations() {
    let root = fixture_copy("build-en");
    let out = build(&root);
    assert!(
        out.status.success(),
        "mdbook build failed:\n{}",
        stderr(&out)
    );
    let chapter = fs::read_to_string(root.join("book/chapter.html")).unwrap();
    assert!(!chapter.contains("runnable-strings"));
    assert!(chapter.contains("<summary>Hint 1 — nudge</summary>"));
}
