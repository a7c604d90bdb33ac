//! Markdown in, Markdown-with-HTML out, on the fixture book's files; and one
//! test per way a directive can be broken, each checking `src/page.md:LINE`.

use mdbook_runnable::expand_page;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture-book")
}

fn expand(markdown: &str) -> String {
    expand_page(&fixture(), "chapter.md", markdown).unwrap_or_else(|errors| {
        panic!(
            "expected no error, got:\n{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

/// The one error `markdown` must produce, as `src/chapter.md:LINE: message`.
fn error(markdown: &str) -> String {
    match expand_page(&fixture(), "chapter.md", markdown) {
        Ok(out) => panic!("expected an error, got output:\n{out}"),
        Err(errors) => {
            assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
            errors[0].to_string()
        }
    }
}

fn assert_error(markdown: &str, line: usize, needle: &str) {
    let message = error(markdown);
    let prefix = format!("src/chapter.md:{line}: ");
    assert!(
        message.starts_with(&prefix),
        "want prefix {prefix:?}: {message}"
    );
    assert!(message.contains(needle), "want {needle:?} in: {message}");
}

// ---- transformations ----------------------------------------------------

#[test]
fn listing_becomes_a_labelled_block_with_its_run_line() {
    let out = expand(
        "Before.\n\n{{#listing go/demo.go:greet run=\"cd go && go run ./demo\"}}\n\nAfter.\n",
    );
    assert_eq!(
        out,
        "Before.\n\n\
         <div class=\"runnable-listing\" data-lang=\"go\">\n\
         <p class=\"runnable-listing-label\"><code>go/demo.go:greet</code></p>\n\n\
         ```go\n\
         func greet(names []string) {\n\
         \tfor _, n := range names {\n\
         \t\tfmt.Println(\"hello\", n) // GO-MARKER\n\
         \t}\n\
         }\n\
         ```\n\n\
         <p class=\"runnable-run\" data-command=\"go-run-demo\">Run it: <code>cd go &amp;&amp; go run ./demo</code></p>\n\
         </div>\n\n\n\
         After.\n"
    );
}

#[test]
fn rust_listing_keeps_the_run_button_only_with_playground_true() {
    let on = expand("{{#listing listings/demo.rs:main playground=true}}\n");
    // The rest of the file comes along hidden, so the Run button compiles it.
    assert!(
        on.contains("\n```rust\n# fn greet(names: &[&str]) {\n#     for n in names {"),
        "{on}"
    );
    assert!(
        on.contains("\n# }\n# \nfn main() {\n    greet(&[\"ferris\"]);\n}\n```"),
        "{on}"
    );
    assert!(!on.contains("ANCHOR"), "{on}");
    let off = expand("{{#listing listings/demo.rs:main}}\n");
    assert!(
        off.contains("\n```rust,ignore,noplayground\nfn main() {"),
        "{off}"
    );
    let whole = expand("{{#listing listings/demo.rs}}\n");
    assert!(
        !whole.contains("ANCHOR"),
        "anchor lines leak into the listing:\n{whole}"
    );
}

#[test]
fn output_is_a_console_block_headed_by_the_command() {
    assert_eq!(
        expand("{{#output out/demo.out cmd=\"cd go && go run ./demo\"}}\n"),
        "<div class=\"runnable-output\" data-source=\"out/demo.out\" data-command=\"go-run-demo\">\n\n\
         ```console\n$ cd go && go run ./demo\nhello gopher\n```\n\n\
         </div>\n\n"
    );
}

#[test]
fn output_checked_by_a_test_names_it_and_is_not_a_runnable_command() {
    let out =
        expand("{{#output out/demo.out cmd=\"go vet ./x\" checked_by=\"go/demo.go:greet\"}}\n");
    assert!(!out.contains("data-command"), "{out}");
    assert!(out.contains("$ go vet ./x\nhello gopher"), "{out}");
    assert!(
        out.contains("checked by <code>go/demo.go:greet</code>"),
        "{out}"
    );
    assert_error(
        "{{#output out/demo.out cmd=\"go vet ./x\" checked_by=\"go/demo.go:TestNope\"}}\n",
        1,
        "go/demo.go has no test `TestNope`",
    );
}

#[test]
fn compare_puts_go_and_rust_side_by_side_over_several_lines() {
    let out = expand(
        "{{#compare go=\"go/demo.go:greet\" rust=\"listings/demo.rs:greet\"\n   rust_run=\"cargo run -p listings --example demo\"}}\n",
    );
    let go = out
        .find("<div class=\"runnable-pane\" data-lang=\"go\">")
        .expect(&out);
    let rust = out
        .find("<div class=\"runnable-pane\" data-lang=\"rust\">")
        .expect(&out);
    assert!(
        out.starts_with("<div class=\"runnable-compare\">\n"),
        "{out}"
    );
    assert!(go < rust, "Go comes first");
    assert!(out[go..rust].contains("<span class=\"runnable-lang\">Go</span>"));
    assert!(out[go..rust].contains("```go\nfunc greet"));
    assert!(!out[go..rust].contains("Run it"), "no go_run, no run line");
    assert!(out[rust..].contains("```rust,ignore,noplayground\nfn greet"));
    assert!(out[rust..].contains(
        "<p class=\"runnable-run\" data-command=\"cargo-run-p-listings-example-demo\">\
         Run it: <code>cargo run -p listings --example demo</code>"
    ));
    assert!(out.ends_with("</div>\n</div>\n\n"), "{out}");
}

#[test]
fn exercise_card_comes_from_the_manifest_and_both_crates() {
    let out = expand("{{#exercise leak_demo}}\n");
    let expected_in_order = [
        "<div class=\"runnable-exercise\" id=\"exercise-leak_demo\" data-exercise=\"leak_demo\">",
        "Close the <code>demo</code> channel",
        "Make `run` return.",
        "Edit <code>exercises/src/leak_demo.rs</code>",
        "Grade <code>cargo test -p exercises leak_demo</code>",
        "Starter code (as shipped), <code>exercises/src/leak_demo.rs</code>",
        "```rust,ignore,noplayground\n//! Starter for leak_demo.",
        "<div class=\"runnable-your-file\" data-file=\"exercises/src/leak_demo.rs\" hidden></div>",
        "<summary>Hint 1 — nudge</summary>\n\nWho still owns a `Sender`?\n\n</details>",
        "<summary>Hint 2 — concept</summary>",
        "<summary>Hint 3 — almost the answer</summary>",
        "<code>cargo xtask hint leak_demo</code>",
        "<details class=\"runnable-solution\">",
        "drop(tx); // SOLUTION-MARKER",
        "</details>\n</div>\n",
    ];
    let mut at = 0;
    for piece in expected_in_order {
        let found = out[at..]
            .find(piece)
            .unwrap_or_else(|| panic!("missing (or out of order) {piece:?} in:\n{out}"));
        at += found + piece.len();
    }
}

#[test]
fn quiz_renders_buttons_and_a_readable_explanation() {
    let out = expand("{{#quiz quiz/demo.toml}}\n");
    for piece in [
        "<div class=\"runnable-quiz\" data-quiz=\"quiz/demo.toml\">",
        "<div class=\"runnable-question\" data-answer=\"1\">",
        "Question 1 of 2",
        "What does `greet` print for `gopher`?",
        "```go\nfunc greet",
        "<button type=\"button\" class=\"runnable-choice\" data-index=\"1\"><span class=\"runnable-choice-key\">B</span> <span class=\"runnable-choice-text\">hello gopher</span></button>",
        "<details class=\"runnable-explanation\">",
        "The answer is <strong>B</strong>: hello gopher",
        "It prints **hello** and the name.",
        "Dropping the last <code>Sender</code>",
    ] {
        assert!(out.contains(piece), "missing {piece:?} in:\n{out}");
    }
}

#[test]
fn code_escapes_and_mdbook_directives_are_left_alone() {
    let text = "\
Inline `{{#exercise nope}}` and an escaped \\{{#listing nope.rs}}.

```markdown
{{#compare go=\"nope.go\" rust=\"nope.rs\"}}
```

    {{#quiz nope.toml}}

```go
{{#include ../go/demo.go:greet}}
```

{{#title A title}}
{{#rustdoc_include nope.rs}}
";
    assert_eq!(expand(text), text);
}

#[test]
fn a_directive_inside_a_list_item_stays_in_the_item() {
    let out = expand("- step one\n\n  {{#output out/demo.out cmd=\"cd go && go run ./demo\"}}\n");
    assert!(
        out.contains("\n  ```console\n  $ cd go && go run ./demo\n  hello gopher\n  ```\n"),
        "{out}"
    );
}

// ---- errors: `src/chapter.md:LINE: what is wrong` ------------------------

#[test]
fn error_unknown_exercise_id() {
    assert_error(
        "# T\n\n{{#exercise leak_nope}}\n",
        3,
        "unknown exercise `leak_nope`",
    );
}

#[test]
fn error_exercise_shown_on_another_page() {
    let errors = expand_page(&fixture(), "plain.md", "{{#exercise leak_demo}}\n").unwrap_err();
    let message = errors[0].to_string();
    assert!(message.starts_with("src/plain.md:1: "), "{message}");
    assert!(message.contains("belongs on src/chapter.md"), "{message}");
}

#[test]
fn error_no_manifest_above_the_book() {
    // Outside the workspace: the manifest is looked for in every folder above.
    let root = std::env::temp_dir().join(format!("runnable-no-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap();
    let errors = expand_page(&root, "a.md", "\n{{#exercise leak_demo}}\n").unwrap_err();
    std::fs::remove_dir_all(&root).unwrap();
    let message = errors[0].to_string();
    assert!(
        message.starts_with("src/a.md:2: no exercises/exercises.toml"),
        "{message}"
    );
}

#[test]
fn error_missing_file() {
    assert_error(
        "{{#listing go/nope.go}}\n",
        1,
        "`go/nope.go` does not exist",
    );
    assert_error(
        "\n\n{{#compare go=\"go/demo.go\" rust=\"listings/nope.rs:greet\"}}\n",
        3,
        "`listings/nope.rs` does not exist",
    );
    assert_error(
        "{{#output out/nope.out cmd=\"x\"}}\n",
        1,
        "`out/nope.out` does not exist",
    );
    assert_error(
        "{{#quiz quiz/nope.toml}}\n",
        1,
        "`quiz/nope.toml` does not exist",
    );
}

#[test]
fn error_missing_anchor() {
    assert_error(
        "Text\n{{#listing go/demo.go:nope}}\n",
        2,
        "go/demo.go: no `ANCHOR: nope` in the file",
    );
}

#[test]
fn error_unknown_directive_that_looks_like_ours() {
    assert_error(
        "{{#excercise leak_demo}}\n",
        1,
        "did you mean `{{#exercise}}`?",
    );
    assert_error(
        "a\n\n{{#tabs global=\"x\"}}\n",
        3,
        "unknown directive `{{#tabs}}`",
    );
}

#[test]
fn error_malformed_attributes() {
    assert_error(
        "{{#listing go/demo.go run=\"go run .}}\n",
        1,
        "never closed",
    );
    assert_error(
        "{{#listing go/demo.go rnu=\"x\"}}\n",
        1,
        "has no attribute `rnu`",
    );
    assert_error("{{#listing go/demo.go run=}}\n", 1, "has no value");
    assert_error(
        "{{#listing listings/demo.rs playground=yes}}\n",
        1,
        "true or false",
    );
    assert_error(
        "{{#listing go/demo.go playground=true}}\n",
        1,
        "needs a Rust listing",
    );
    assert_error("{{#compare go=\"go/demo.go\"}}\n", 1, "needs both go=");
    assert_error("{{#output out/demo.out}}\n", 1, "needs cmd=");
    assert_error("{{#exercise leak_demo extra}}\n", 1, "unexpected `extra`");
}

#[test]
fn error_directive_sharing_a_line() {
    assert_error(
        "See {{#listing go/demo.go}} here\n",
        1,
        "must stand on a line of its own",
    );
}

#[test]
fn error_quiz_answer_out_of_range() {
    assert_error(
        "{{#quiz quiz/bad-range.toml}}\n",
        1,
        "quiz/bad-range.toml: question 1: answer 3 is out of range: choices are numbered 0 to 2",
    );
}

#[test]
fn error_quiz_answer_output_mismatch() {
    assert_error(
        "\n{{#quiz quiz/bad-output.toml}}\n",
        2,
        "differs from what the program prints, answer_output `out/demo.out` (\"hello gopher\")",
    );
}

#[test]
fn every_error_in_a_page_is_reported_with_its_line() {
    let errors = expand_page(
        &fixture(),
        "chapter.md",
        "{{#listing go/nope.go}}\n\n{{#listing go/demo.go}}\n\n{{#exercise leak_nope}}\n",
    )
    .unwrap_err();
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 5], "{errors:#?}");
}

// ---- commands are data ----------------------------------------------------

#[test]
fn error_a_command_that_does_not_exist() {
    assert_error(
        "Text.\n\n{{#listing go/demo.go run=\"cargo run -p listings --example demo_no_such_thing\"}}\n",
        3,
        "no example listings/examples/demo_no_such_thing.rs",
    );
    assert_error(
        "{{#compare go=\"go/demo.go\" rust=\"listings/demo.rs\"\n  go_run=\"cd go && go run ./nope\"}}\n",
        1,
        "no Go package go/nope",
    );
    assert_error(
        "{{#output out/demo.out cmd=\"cd go && go run ./demo; rm -rf /\"}}\n",
        1,
        "is not allowed in a command",
    );
    assert_error(
        "{{#output out/demo.out cmd=\"python3 demo.py\"}}\n",
        1,
        "not a command the book can run",
    );
}

#[test]
fn commands_are_collected_with_their_page_and_line() {
    let root = fixture();
    let manifest = mdbook_runnable::collect_commands(&root, "src").unwrap();
    let go = manifest
        .command("go-run-demo")
        .expect("the Go demo command");
    assert_eq!((go.dir.as_str(), go.program.as_str()), ("go", "go"));
    assert_eq!(go.args, ["run", "./demo"]);
    let places: Vec<String> = go.shown_at.iter().map(ToString::to_string).collect();
    assert_eq!(places, ["src/chapter.md:5"]);
    assert_eq!(go.outputs.len(), 1);
    assert_eq!(go.outputs[0].file, "out/demo.out");
    assert_eq!(go.outputs[0].shown_at.to_string(), "src/chapter.md:12");
    let rust = manifest
        .command("cargo-run-p-listings-example-demo")
        .expect("the Rust demo command");
    let places: Vec<String> = rust.shown_at.iter().map(ToString::to_string).collect();
    assert_eq!(places, ["src/chapter.md:5", "src/chapter.md:8"]);
    assert_eq!(manifest.exercises.len(), 1);
    assert_eq!(manifest.exercises[0].id, "leak_demo");
    assert_eq!(
        manifest.exercises[0].shown_at.to_string(),
        "src/chapter.md:3"
    );
}

#[test]
fn progress_lists_every_exercise_with_its_card_and_chapter() {
    let out = expand_page(&fixture(), "progress.md", "{{#progress}}\n").unwrap();
    for piece in [
        "<div class=\"runnable-progress-page\">",
        "<code>cargo xtask progress</code>",
        "<tr data-exercise=\"leak_demo\"><td><a href=\"chapter.html#exercise-leak_demo\">",
        "<td class=\"runnable-progress-state\">",
    ] {
        assert!(out.contains(piece), "missing {piece:?} in:\n{out}");
    }
    let nested = expand_page(&fixture(), "more/progress.md", "{{#progress}}\n").unwrap();
    assert!(
        nested.contains("href=\"../chapter.html#exercise-leak_demo\""),
        "{nested}"
    );
}

// ---- aligned lines (`// pair: NAME`) ----------------------------------------

#[test]
fn compare_panes_carry_their_pairs_without_the_markers() {
    let out =
        expand("{{#compare go=\"go/pairs.go:send_all\" rust=\"listings/pairs.rs:send_all\"}}\n");
    assert!(
        out.contains(
            "<div class=\"runnable-pane\" data-lang=\"go\" data-pairs=\"close:2 send:4\">"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "<div class=\"runnable-pane\" data-lang=\"rust\" data-pairs=\"close:5 send:3\">"
        ),
        "{out}"
    );
    assert!(
        !out.contains("pair:"),
        "markers never reach the page: {out}"
    );
    assert!(
        out.contains("\tdefer close(out) // the sender closes\n"),
        "{out}"
    );
    assert!(out.contains("        tx.send(i).unwrap();\n"), "{out}");
}

#[test]
fn a_listing_shown_alone_just_loses_its_markers() {
    let out = expand("{{#listing listings/pairs.rs:send_lonely}}\n");
    assert!(!out.contains("pair:"), "{out}");
    assert!(!out.contains("data-pairs"), "{out}");
    assert!(out.contains("    drop(tx);\n}\n"), "{out}");
}

#[test]
fn error_a_pair_on_one_side_only_names_the_page_and_the_marker_line() {
    assert_error(
        "Text\n\n{{#compare go=\"go/pairs.go:send_all\"\n  rust=\"listings/pairs.rs:send_lonely\"}}\n",
        3,
        "listings/pairs.rs:14: pair `drop` has no counterpart in the Go pane",
    );
}
