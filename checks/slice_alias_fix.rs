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
    // Two stages, and one: with a single stage no branch can overwrite
    // another, but the caller's array must stay as it was all the same. And
    // an empty prefix, full[0:0]: nothing to copy, but an append to it still
    // writes into the caller's array.
    let cases: [(usize, &'static [i64]); 3] = [(3, &[7, 8]), (3, &[7]), (0, &[7, 8])];
    for (len, next) in cases {
        let stages = GoSlice::from_vec(next.to_vec());
        let (full, got) = run(
            ID,
            &format!("`branches(&full.slice(0, {len}), &{next:?})` with full = [1 2 3 4 5]"),
            NO_LOOP,
            move || {
                let full = GoSlice::<i64>::from([1, 2, 3, 4, 5]);
                // The caller passes full[0:len] (cap 5) and keeps the rest.
                let got: Vec<Vec<i64>> = exercise::branches(&full.slice(0, len), next)
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
                "the caller passed full[0:{len}] of full = [1 2 3 4 5] and, after `branches` \
                 with stages {stages}, full is {}: `branches` wrote into the caller's array past \
                 the prefix (slot {len}). A branch needs an array of its own before anything is \
                 written{}.",
                GoSlice::from_vec(full.clone()),
                if next.len() == 1 {
                    ", even the only branch"
                } else if len == 0 {
                    ", even from an empty prefix (its array is still the caller's)"
                } else {
                    ""
                }
            ),
        );
        let want = expected(&[1, 2, 3][..len], next);
        grader::ensure(
            got == want,
            ID,
            format!(
                "`branches(&full.slice(0, {len}), &{next:?})` returned {}; expected {}",
                go_fmt(&got),
                go_fmt(&want)
            ),
        );
    }
}

#[test]
fn branches_share_no_array() {
    // A prefix of three with room for five more, and an empty one with room.
    for len in [3, 0] {
        let (prefix_after, other_after) = run(
            ID,
            &format!(
                "`branches(&prefix, &[7, 8])` with prefix = make([]int, {len}, 8), then a write \
                 to branch 0"
            ),
            NO_LOOP,
            move || {
                let prefix = GoSlice::<i64>::make(len, 8);
                for i in 0..len {
                    prefix.set(i, i as i64 + 1);
                }
                let branches = exercise::branches(&prefix, &[7, 8]);
                if branches.len() != 2 || branches.iter().any(|b| b.len() != len + 1) {
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
                format!(
                    "`branches(&prefix, &[7, 8])` with a prefix of {len} should return two \
                     branches of {} stages each",
                    len + 1
                ),
            )
        });
        let want: Vec<i64> = (1..=len as i64).collect();
        grader::ensure(
            prefix_after == want,
            ID,
            format!(
                "after `branches[0][0] = 99`, the caller's prefix (make([]int, {len}, 8)) is {}: \
                 branch 0 still shares the prefix's array",
                GoSlice::from_vec(prefix_after.clone())
            ),
        );
        grader::ensure(
            other_after.first() != Some(&99),
            ID,
            format!(
                "with prefix = make([]int, {len}, 8), after `branches[0][0] = 99`, branch 1 is \
                 {}: two branches share one array{}",
                GoSlice::from_vec(other_after.clone()),
                if len == 0 {
                    " (an empty prefix has nothing to copy, but an append to it writes into its \
                     array all the same)"
                } else {
                    ""
                }
            ),
        );
    }
}

#[test]
fn branches_vec_extends_the_prefix_with_each_stage() {
    // Stages in order, an empty prefix (with one stage and with two), no
    // stages, and stages unsorted with a
    // repeat (one branch per stage of `next`, as the Go function gives).
    let cases: [(&[i64], &[i64]); 5] = [
        (&[1, 2, 3], &[7, 8, 9]),
        (&[], &[1]),
        (&[], &[5, 6]),
        (&[1], &[]),
        (&[4], &[9, 2, 9]),
    ];
    for (prefix, next) in cases {
        let got = run(
            ID,
            &format!("`branches_vec(&{prefix:?}, &{next:?})`"),
            NO_LOOP,
            move || exercise::branches_vec(prefix, next),
        );
        let want = expected(prefix, next);
        let why = if got.iter().any(|b| b.len() > prefix.len() + 1) {
            ": a branch is the prefix and one stage, but one held several stages. Do the \
             branches grow one shared vector? Start each from its own copy of the prefix."
        } else if got.len() != want.len() || got.iter().zip(&want).any(|(g, w)| g != w) {
            ": one branch per stage of `next`, in the order of `next`, a repeated stage \
             included (the same function as `branches`)"
        } else {
            ""
        };
        grader::ensure(
            got == want,
            ID,
            format!("`branches_vec(&{prefix:?}, &{next:?})` returned {got:?}; expected {want:?}{why}"),
        );
    }
}

#[test]
fn branches_vec_plans_paths_from_the_empty_path() {
    // The planner of `branches_of_branches_share_nothing` on vectors: it
    // starts from the empty path, and the branches of one call are the
    // prefixes of the next. Stages of two, of one, and of a repeated two.
    let stages: [&'static [i64]; 3] = [&[1, 2], &[3], &[4, 4]];
    let got = run(
        ID,
        "`branches_vec` three stages deep from the empty path, stages [1 2], [3], [4 4]",
        NO_LOOP,
        move || {
            let mut paths: Vec<Vec<i64>> = vec![vec![]];
            for stage in stages {
                paths = paths
                    .iter()
                    .flat_map(|path| exercise::branches_vec(path, stage))
                    .collect();
            }
            paths
        },
    );
    let mut want: Vec<Vec<i64>> = vec![vec![]];
    for stage in stages {
        want = want.iter().flat_map(|p| expected(p, stage)).collect();
    }
    grader::ensure(
        got == want,
        ID,
        format!(
            "three stages of `branches_vec` from the empty path (stages [1, 2], then [3], then \
             [4, 4]) gave {got:?}; expected {want:?}. Every path is its prefix and one stage, \
             one path per stage, the empty prefix included: an empty prefix is no special \
             case."
        ),
    );
}

#[test]
fn branches_of_branches_share_nothing() {
    // A planner extends a path stage after stage: the branches of one call
    // are the prefixes of the next, and their arrays may have spare room
    // (an append that copies rounds the capacity up). The first prefix
    // starts in the middle of the caller's array, with room after it; then
    // the planner starts from the empty path, full[0:0], which has nothing
    // to copy but is still the caller's array.
    for (start, end) in [(1, 3), (0, 0)] {
        planned_from(start, end);
    }
}

/// Three stages of `branches` from full[start:end] of full = [1 2 3 4 5 6].
fn planned_from(start: usize, end: usize) {
    let (full, levels) = run(
        ID,
        &format!("`branches` three stages deep, from full[{start}:{end}] of full = [1 2 3 4 5 6]"),
        NO_LOOP,
        move || {
            let full = GoSlice::<i64>::from([1, 2, 3, 4, 5, 6]);
            let mut levels: Vec<Vec<GoSlice<i64>>> = vec![vec![full.slice(start, end)]];
            for stage in [[10, 11, 12], [20, 21, 22], [30, 31, 32]] {
                let next: Vec<GoSlice<i64>> = levels
                    .last()
                    .unwrap()
                    .iter()
                    .flat_map(|path| exercise::branches(path, &stage))
                    .collect();
                levels.push(next);
            }
            (full, levels)
        },
    );
    let first: Vec<i64> = (start as i64 + 1..=end as i64).collect();
    let first_fmt = GoSlice::from_vec(first.clone());
    grader::ensure(
        full.to_vec() == [1, 2, 3, 4, 5, 6],
        ID,
        format!(
            "the first prefix was full[{start}:{end}] of full = [1 2 3 4 5 6], and after three \
             stages of `branches`, full is {full}: some `append` wrote into the caller's array{}",
            if first.is_empty() {
                " (an empty prefix has nothing to copy, but an append to it writes into its \
                 array all the same)"
            } else {
                ""
            }
        ),
    );
    // Every path, with the values it must hold, level by level.
    let mut want: Vec<Vec<i64>> = vec![first];
    for stage in [[10, 11, 12], [20, 21, 22], [30, 31, 32]] {
        want = want.iter().flat_map(|p| expected(p, &stage)).collect();
    }
    let last: Vec<Vec<i64>> = levels[3].iter().map(GoSlice::to_vec).collect();
    grader::ensure(
        last == want,
        ID,
        format!(
            "three stages of `branches` from {first_fmt} gave {} paths (27 expected), \
             and the first wrong one is {}, expected {}. A branch of a branch has spare room too: \
             where did each `append` write?",
            last.len(),
            last.iter()
                .zip(&want)
                .find(|(g, w)| g != w)
                .map(|(g, _)| GoSlice::from_vec(g.clone()).to_string())
                .unwrap_or_else(|| "missing".to_owned()),
            last.iter()
                .zip(&want)
                .find(|(g, w)| g != w)
                .map(|(_, w)| GoSlice::from_vec(w.clone()).to_string())
                .unwrap_or_else(|| "none".to_owned()),
        ),
    );
    let all: Vec<&GoSlice<i64>> = levels[1..].iter().flatten().collect();
    for (i, a) in all.iter().enumerate() {
        grader::ensure(
            !a.shares_array_with(&full),
            ID,
            format!("the branch {a} shares the caller's array: it needs one of its own"),
        );
        if let Some(b) = all[i + 1..].iter().find(|b| a.shares_array_with(b)) {
            grader::fail(
                ID,
                format!(
                    "the branches {a} and {b} share one array: a write to one would show in \
                     the other. Every branch needs an array of its own."
                ),
            );
        }
    }
}
