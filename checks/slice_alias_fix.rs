// Checks for `slice_alias_fix`, compiled into `exercises` and `solutions`.
// `exercise` is the module under test (your `exercises/src/slice_alias_fix.rs`).

use goslice::GoSlice;
use grader::run;

const ID: &str = "slice_alias_fix";

const NO_LOOP: &str = "One append per stage of `next`; a loop that never ends is the likely cause.";

/// `[[1 2 3 7] [1 2 3 8]]`, the way Go prints a `[][]int`.
fn go_fmt(branches: &[Vec<i64>]) -> String {
    let inner: Vec<String> = branches
        .iter()
        .map(|b| GoSlice::from_vec(b.clone()).to_string())
        .collect();
    format!("[{}]", inner.join(" "))
}

fn expected(prefix: &[i64], next: &[i64]) -> Vec<Vec<i64>> {
    next.iter().map(|&n| [prefix, &[n]].concat()).collect()
}

/// Builds a prefix inside the watchdog's thread.
type MakePrefix = fn() -> GoSlice<i64>;

#[test]
fn branches_end_in_their_own_stage() {
    // (how the prefix is built, the prefix): with and without spare capacity.
    let cases: Vec<(&str, MakePrefix)> = vec![
        ("append([]int{1, 2}, 3), len 3 cap 4", || {
            GoSlice::from([1, 2]).append([3])
        }),
        ("[]int{1, 2, 3, 4, 5}, len 5 cap 5", || {
            GoSlice::from([1, 2, 3, 4, 5])
        }),
        ("make([]int, 0, 4), len 0 cap 4", || GoSlice::make(0, 4)),
    ];
    for (what, make_prefix) in cases {
        let (prefix, got) = run(
            ID,
            &format!("`branches(&prefix, &[7, 8, 9])` with prefix = {what}"),
            NO_LOOP,
            move || {
                let prefix = make_prefix();
                let got: Vec<Vec<i64>> = exercise::branches(&prefix, &[7, 8, 9])
                    .iter()
                    .map(GoSlice::to_vec)
                    .collect();
                (prefix.to_vec(), got)
            },
        );
        let want = expected(&prefix, &[7, 8, 9]);
        grader::ensure(
            got == want,
            ID,
            format!(
                "with prefix = {what}, `branches(&prefix, &[7, 8, 9])` returned {}; expected {}. \
                 Where did each `append` write its stage, and did the next one overwrite it?",
                go_fmt(&got),
                go_fmt(&want)
            ),
        );
    }
}

#[test]
fn branches_leave_the_callers_array_alone() {
    let (full, got) = run(
        ID,
        "`branches(&full.slice(0, 3), &[7, 8])` with full = [1 2 3 4 5]",
        NO_LOOP,
        || {
            let full = GoSlice::<i64>::from([1, 2, 3, 4, 5]);
            // The caller passes full[0:3] (len 3, cap 5) and keeps 4 and 5.
            let got: Vec<Vec<i64>> = exercise::branches(&full.slice(0, 3), &[7, 8])
                .iter()
                .map(GoSlice::to_vec)
                .collect();
            (full.to_vec(), got)
        },
    );
    grader::ensure(
        full == [1, 2, 3, 4, 5],
        ID,
        format!(
            "the caller passed full[0:3] of full = [1 2 3 4 5] and, after `branches`, full is {}: \
             `branches` wrote into the caller's array past the prefix (slot 3). A branch needs \
             an array of its own before anything is written.",
            GoSlice::from_vec(full.clone())
        ),
    );
    let want = expected(&[1, 2, 3], &[7, 8]);
    grader::ensure(
        got == want,
        ID,
        format!(
            "`branches(&full.slice(0, 3), &[7, 8])` returned {}; expected {}",
            go_fmt(&got),
            go_fmt(&want)
        ),
    );
}

#[test]
fn branches_share_no_array() {
    let (prefix_after, other_after) = run(
        ID,
        "`branches(&prefix, &[7, 8])` with prefix = make([]int, 3, 8), then a write to branch 0",
        NO_LOOP,
        || {
            let prefix = GoSlice::<i64>::make(3, 8);
            for i in 0..3 {
                prefix.set(i, i as i64 + 1);
            }
            let branches = exercise::branches(&prefix, &[7, 8]);
            if branches.len() != 2 || branches.iter().any(GoSlice::is_empty) {
                return None;
            }
            // Go: branches[0][0] = 99. Nobody else may see it.
            branches[0].set(0, 99);
            Some((prefix.to_vec(), branches[1].to_vec()))
        },
    )
    .unwrap_or_else(|| {
        grader::fail(
            ID,
            "`branches(&prefix, &[7, 8])` should return two branches of four stages each",
        )
    });
    grader::ensure(
        prefix_after == [1, 2, 3],
        ID,
        format!(
            "after `branches[0][0] = 99`, the caller's prefix is {}: branch 0 still shares the \
             prefix's array",
            GoSlice::from_vec(prefix_after.clone())
        ),
    );
    grader::ensure(
        other_after.first() != Some(&99),
        ID,
        format!(
            "after `branches[0][0] = 99`, branch 1 is {}: two branches share one array",
            GoSlice::from_vec(other_after.clone())
        ),
    );
}

#[test]
fn branches_vec_extends_the_prefix_with_each_stage() {
    let cases: [(&[i64], &[i64]); 3] = [(&[1, 2, 3], &[7, 8, 9]), (&[], &[1]), (&[1], &[])];
    for (prefix, next) in cases {
        let got = run(
            ID,
            &format!("`branches_vec(&{prefix:?}, &{next:?})`"),
            NO_LOOP,
            move || exercise::branches_vec(prefix, next),
        );
        let want = expected(prefix, next);
        grader::ensure(
            got == want,
            ID,
            format!("`branches_vec(&{prefix:?}, &{next:?})` returned {got:?}; expected {want:?}"),
        );
    }
}
