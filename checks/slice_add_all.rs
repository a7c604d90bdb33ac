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
    let (tags, roomy) = run(
        ID,
        "`add_all(&mut tags, &[\"retry\", \"slow\"])`",
        NO_LOOP,
        || {
            let mut tags = strings(&["job-7"]);
            exercise::add_all(&mut tags, &["retry", "slow"]);
            // Go's `roomy := make([]string, 0, 4)`: room to spare, no elements.
            let mut roomy: Vec<String> = Vec::with_capacity(4);
            exercise::add_all(&mut roomy, &["retry", "slow"]);
            (tags, roomy)
        },
    );
    grader::ensure(
        tags == strings(&["job-7", "retry", "slow"]),
        ID,
        format!(
            "after `add_all(&mut tags, &[\"retry\", \"slow\"])` on tags [\"job-7\"], the caller's \
             `tags` is {tags:?}; expected [\"job-7\", \"retry\", \"slow\"]. Does `add_all` grow the \
             vector it was lent, or a copy of it?"
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
    grader::ensure(
        groups == expected,
        ID,
        format!(
            "after `add_to_each(&mut groups, &[\"retry\", \"urgent\"])`, the caller's groups are \
             {groups:?}; expected {expected:?}: every item appended to every group, like \
             `add_all` (no de-duplication). Does the loop get each group itself, or a copy?"
        ),
    );
}
