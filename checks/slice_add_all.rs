// Checks for `slice_add_all`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/slice_add_all.rs`).

use grader::run;

const ID: &str = "slice_add_all";

const NO_LOOP: &str = "The helpers only append; a loop that never ends is the likely cause.";

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn add_all_grows_the_callers_vec() {
    let (tags, roomy, repeats) = run(
        ID,
        "`add_all(&mut tags, &[\"retry\", \"slow\"])`",
        NO_LOOP,
        || {
            let mut tags = strings(&["job-7"]);
            exercise::add_all(&mut tags, &["retry", "slow"]);
            // Go's `roomy := make([]string, 0, 4)`: room to spare, no elements.
            let mut roomy: Vec<String> = Vec::with_capacity(4);
            exercise::add_all(&mut roomy, &["retry", "slow"]);
            // Items the vector already holds, and an item given twice.
            let mut repeats = strings(&["retry"]);
            exercise::add_all(&mut repeats, &["retry", "slow", "retry"]);
            (tags, roomy, repeats)
        },
    );
    let expected = strings(&["job-7", "retry", "slow"]);
    let why = if tags.len() == expected.len() && tags.iter().all(|t| expected.contains(t)) {
        "The right tags in the wrong place: `add_all` appends, after what the vector holds, \
         in the order of `items`."
    } else {
        "Does `add_all` grow the vector it was lent, or a copy of it?"
    };
    grader::ensure(
        tags == expected,
        ID,
        format!(
            "after `add_all(&mut tags, &[\"retry\", \"slow\"])` on tags [\"job-7\"], the caller's \
             `tags` is {tags:?}; expected [\"job-7\", \"retry\", \"slow\"]. {why}"
        ),
    );
    grader::ensure(
        roomy == strings(&["retry", "slow"]),
        ID,
        format!(
            "on an empty vector with spare capacity, `add_all` left the caller's vector as \
             {roomy:?}; expected [\"retry\", \"slow\"]"
        ),
    );
    let expected = strings(&["retry", "retry", "slow", "retry"]);
    grader::ensure(
        repeats == expected,
        ID,
        format!(
            "after `add_all(&mut tags, &[\"retry\", \"slow\", \"retry\"])` on tags \
             [\"retry\"], the caller's `tags` is {repeats:?}; expected {expected:?}: `add_all` \
             appends every item, in order, also one the vector already holds or one given \
             twice (skipping repeats is `add_new`'s job, not `add_all`'s)"
        ),
    );
}

#[test]
fn add_new_skips_what_is_already_there() {
    let tags = run(
        ID,
        "`add_new(&mut tags, &[\"go\", \"rust\", \"rust\", \"zig\"])`",
        NO_LOOP,
        || {
            let mut tags = strings(&["go"]);
            exercise::add_new(&mut tags, &["go", "rust", "rust", "zig"]);
            tags
        },
    );
    let fresh = run(
        ID,
        "`add_new(&mut tags, &[\"rust\", \"go\", \"rust\"])` on an empty `tags`",
        NO_LOOP,
        || {
            let mut fresh: Vec<String> = Vec::new();
            exercise::add_new(&mut fresh, &["rust", "go", "rust"]);
            fresh
        },
    );
    let expected = strings(&["go", "rust", "zig"]);
    if tags == strings(&["go"]) {
        grader::fail(
            ID,
            "after `add_new(&mut tags, &[\"go\", \"rust\", \"rust\", \"zig\"])` on tags [\"go\"], \
             the caller's `tags` is still [\"go\"]: `add_new` grew some other vector",
        );
    }
    grader::ensure(
        tags == expected,
        ID,
        format!(
            "after `add_new(&mut tags, &[\"go\", \"rust\", \"rust\", \"zig\"])` on tags [\"go\"], \
             the caller's `tags` is {tags:?}; expected {expected:?}: each new tag once, in order \
             (\"rust\" is new the first time, not the second)"
        ),
    );
    let expected = strings(&["rust", "go"]);
    let why = if fresh.len() > expected.len() {
        "on an empty vector too, a tag that came earlier in `items` is not new"
    } else {
        "each new tag once, in the order of `items`"
    };
    grader::ensure(
        fresh == expected,
        ID,
        format!(
            "after `add_new(&mut tags, &[\"rust\", \"go\", \"rust\"])` on an empty `tags`, the \
             caller's `tags` is {fresh:?}; expected {expected:?}: {why}"
        ),
    );
}

#[test]
fn add_to_each_grows_every_group() {
    let groups = run(
        ID,
        "`add_to_each(&mut groups, &[\"retry\", \"urgent\"])`",
        NO_LOOP,
        || {
            let mut groups = vec![strings(&["retry"]), Vec::new(), strings(&["slow", "retry"])];
            exercise::add_to_each(&mut groups, &["retry", "urgent"]);
            groups
        },
    );
    let expected = vec![
        strings(&["retry", "retry", "urgent"]),
        strings(&["retry", "urgent"]),
        strings(&["slow", "retry", "retry", "urgent"]),
    ];
    let before = vec![strings(&["retry"]), Vec::new(), strings(&["slow", "retry"])];
    let why = if groups == before {
        "Does the loop get each group itself, or a copy?"
    } else if groups.iter().map(Vec::len).sum::<usize>() < expected.iter().map(Vec::len).sum() {
        "Items are missing: an item a group already holds must be appended all the same \
         (`add_new` would drop it)."
    } else {
        ""
    };
    grader::ensure(
        groups == expected,
        ID,
        format!(
            "after `add_to_each(&mut groups, &[\"retry\", \"urgent\"])`, the caller's groups are \
             {groups:?}; expected {expected:?}: every item appended to every group, like \
             `add_all` (no de-duplication). {why}"
        ),
    );
}

#[test]
fn add_new_keeps_the_order_of_items_and_adds_each_new_tag_once() {
    // The caller's tags are unsorted and hold a repeat of their own (which
    // stays: `add_new` only appends). `items` is unsorted, repeats tags far
    // apart, and holds tags that are already there but not last. Ten tags are
    // new: an order taken from a set (sorted, or a `HashSet`'s own) shows.
    const OLD: [&str; 3] = ["ops", "go", "ops"];
    const ITEMS: [&str; 16] = [
        "zeta", "go", "alpha", "mike", "zeta", "ops", "kilo", "bravo", "alpha", "yankee", "echo",
        "go", "delta", "xray", "charlie", "kilo",
    ];
    let tags = run(
        ID,
        "`add_new(&mut tags, &items)` with 16 unsorted items, repeats far apart",
        NO_LOOP,
        || {
            let mut tags = strings(&OLD);
            exercise::add_new(&mut tags, &ITEMS);
            tags
        },
    );
    let new = [
        "zeta", "alpha", "mike", "kilo", "bravo", "yankee", "echo", "delta", "xray", "charlie",
    ];
    let expected: Vec<String> = strings(&OLD).into_iter().chain(strings(&new)).collect();
    if tags == expected {
        return;
    }
    let call = format!("after `add_new(&mut tags, &{ITEMS:?})` on tags {OLD:?}");
    let why = if !tags.starts_with(&strings(&OLD)) {
        "the caller's own tags changed: `add_new` only appends, it never reorders or removes \
         what is already there (its repeats included)"
            .to_owned()
    } else {
        let added = &tags[OLD.len()..];
        let mut seen: Vec<&str> = OLD.to_vec();
        let mut twice = None;
        for tag in added {
            if seen.contains(&tag.as_str()) {
                twice = Some(tag.as_str());
                break;
            }
            seen.push(tag);
        }
        let mut sorted_added = added.to_vec();
        sorted_added.sort();
        let mut sorted_new = strings(&new);
        sorted_new.sort();
        match twice {
            Some(tag) => format!(
                "{tag:?} is in the vector twice: a tag that is already there (anywhere, not \
                 only last), or that came earlier in `items` (not only just before), is not \
                 new"
            ),
            None if sorted_added == sorted_new => "the right new tags, in the wrong order: \
                 append them in the order of `items` (a set, sorted or hashed, iterates in \
                 an order of its own)"
                .to_owned(),
            None => "some new tags are missing".to_owned(),
        }
    };
    grader::fail(
        ID,
        format!("{call}, the caller's `tags` is {tags:?}; expected {expected:?}: {why}"),
    );
}

#[test]
fn add_new_compares_whole_tags() {
    // Tags inside other tags, both ways and both places: an item that is part
    // of a tag already there ("go" of "golang"), an item that holds a tag
    // already there ("circleci" holds "ci"), and the same inside `items`
    // ("gopher" before "go"); and tags that differ only in case ("Go" is not
    // "go"). A tag is new unless an equal tag is there.
    let cases: [(&[&str], &[&str], &[&str]); 3] = [
        (
            &["golang", "catalog", "ci"],
            &["go", "log", "circleci", "lang", "golang", "ci"],
            &["go", "log", "circleci", "lang"],
        ),
        (
            &[],
            &["gopher", "go", "rust-analyzer", "rust", "go"],
            &["gopher", "go", "rust-analyzer", "rust"],
        ),
        (
            &["Go", "CI"],
            &["go", "GO", "ci", "Go", "rust"],
            &["go", "GO", "ci", "rust"],
        ),
    ];
    for (old, items, new) in cases {
        let tags = run(
            ID,
            &format!("`add_new(&mut tags, &{items:?})` on tags {old:?}"),
            NO_LOOP,
            move || {
                let mut tags = strings(old);
                exercise::add_new(&mut tags, items);
                tags
            },
        );
        let expected: Vec<String> = strings(old).into_iter().chain(strings(new)).collect();
        if tags == expected {
            continue;
        }
        let missing: Vec<&str> = new
            .iter()
            .copied()
            .filter(|n| !tags.iter().any(|t| t == n))
            .collect();
        let why = if !missing.is_empty() && tags.len() < expected.len() {
            format!(
                " {missing:?} never made it in, yet no equal tag was there: a tag is new unless \
                 an *equal* tag is there, not one that contains it, is part of it or differs \
                 only in case (compare whole strings, `t == item`, not `contains`, \
                 `starts_with` or `eq_ignore_ascii_case`)"
            )
        } else {
            String::new()
        };
        grader::fail(
            ID,
            format!(
                "after `add_new(&mut tags, &{items:?})` on tags {old:?}, the caller's `tags` is \
                 {tags:?}; expected {expected:?}.{why}"
            ),
        );
    }
}
