//! `{{#experiment ID}}` and `{{#experiments}}` on the fixture book: the card,
//! the manifest entry, and one test per way an experiment can be broken,
//! each naming the TOML file and line.

use mdbook_runnable::expand_page;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixture-book")
}

fn errors(page: &str, markdown: &str) -> Vec<String> {
    match expand_page(&fixture(), page, markdown) {
        Ok(out) => panic!("expected an error, got output:\n{out}"),
        Err(errors) => errors.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_card_shows_question_choices_diff_and_claim() {
    let out = expand_page(
        &fixture(),
        "experiments/chapter.md",
        "{{#experiment demo-greet}}\n",
    )
    .unwrap();
    for want in [
        "<div class=\"runnable-experiment\" data-experiment=\"demo-greet\" data-answer=\"1\">",
        "Try it: Greet someone else",
        "What does `demo` print now?",
        "data-index=\"1\"",
        "```diff\n-\tfmt.Println(\"hello gopher\")\n+\tfmt.Println(\"hello ferris\")\n```",
        "<li>It exits with status 0.</li>",
        "<li>Its output contains <code>hello ferris</code>.</li>",
        "<li>Its output no longer contains <code>gopher</code>.</li>",
        "The edit changed the string.",
    ] {
        assert!(out.contains(want), "want {want:?} in:\n{out}");
    }
    let all = expand_page(&fixture(), "experiments/chapter.md", "{{#experiments}}\n").unwrap();
    assert_eq!(all.trim_end(), out.trim_end());
}

#[test]
fn an_unknown_id_or_a_page_without_experiments_fails_at_the_directive() {
    let e = errors("experiments/chapter.md", "\n{{#experiment nope}}\n");
    assert!(
        e[0].starts_with("src/experiments/chapter.md:2: ")
            && e[0].contains("src/experiments/experiments.toml has no experiment with id `nope`"),
        "{e:?}"
    );
    let e = errors("plain.md", "{{#experiments}}\n");
    assert!(e[0].contains("src/experiments.toml"), "{e:?}");
}

#[test]
fn each_broken_experiment_names_its_toml_line_and_what_is_wrong() {
    let page = "experiments-broken/chapter.md";
    let cases = [
        ("find-twice", 4, "occurs 3 times"),
        ("outside", 17, "must be a plain path inside `go/`"),
        ("no-outcome", 30, "name `exit = N`"),
        ("answer-range", 43, "answer 2 is out of range"),
        ("not-a-shape", 56, "not a command the book can run"),
    ];
    for (id, line, needle) in cases {
        let e = errors(page, &format!("{{{{#experiment {id}}}}}\n"));
        let prefix = format!("src/experiments-broken/experiments.toml:{line}: experiment `{id}`: ");
        assert!(
            e.len() == 1 && e[0].contains(&prefix) && e[0].contains(needle),
            "{id}: want {prefix:?} and {needle:?} in {e:?}"
        );
    }
}
