//! `POST /api/experiment/ID`: the edit of the book's experiments manifest is
//! applied to a scratch copy under `target/runner-scratch/PORT/experiments/`,
//! never to the repository, then built and run like Run and judged against
//! the page's claim. The repository here is a folder of the test's own with
//! a Go package, and `go` is a fake whose "binary" prints the (edited) file
//! it was built from.

#![cfg(unix)]

mod common;

use common::*;
use mdbook_runnable::commands::Place;
use mdbook_runnable::experiments::{Experiment, ExperimentManifest, Outcome};
use std::path::{Path, PathBuf};

const ORIGINAL: &str = "package main // prints ORIGINAL\n";

/// A repository with `go/demo/main.go` and a fake `go` whose build writes
/// a program that prints `demo/main.go` (from the folder it runs in) and
/// sleeps for the seconds in `ROOT/run-sleep`.
fn repository(name: &str) -> (PathBuf, String) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-root"));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("go/demo")).unwrap();
    std::fs::create_dir_all(root.join("tools")).unwrap();
    std::fs::write(root.join("go/demo/main.go"), ORIGINAL).unwrap();
    let go = root.join("tools/go");
    let r = root.display();
    std::fs::write(
        &go,
        format!(
            "#!/bin/sh\n[ \"$1\" = build ] && [ \"$2\" = -o ] || exit 2\n\
             printf '#!/bin/sh\\ncat demo/main.go\\nsleep $(cat {r}/run-sleep 2>/dev/null || echo 0)\\n' > \"$3\"\n\
             chmod +x \"$3\"\n"
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&go, std::fs::Permissions::from_mode(0o755)).unwrap();
    (root, go.display().to_string())
}

fn experiment(id: &str, go: &str, contains: &str) -> Experiment {
    Experiment {
        id: id.to_owned(),
        title: "t".to_owned(),
        command: "cd go && go run ./demo".to_owned(),
        program: go.to_owned(),
        args: vec!["run".to_owned(), "./demo".to_owned()],
        package: "go".to_owned(),
        dir: "go".to_owned(),
        file: "go/demo/main.go".to_owned(),
        find: "ORIGINAL".to_owned(),
        replace: "EDITED".to_owned(),
        outcome: Outcome {
            compile_error: None,
            exit: Some(0),
            contains: vec![contains.to_owned()],
            lacks: Vec::new(),
        },
        shown_at: Place {
            file: "src/test.md".to_owned(),
            line: 1,
        },
    }
}

fn write_manifest(f: &Fixture, experiments: Vec<Experiment>) {
    let manifest = ExperimentManifest { experiments };
    std::fs::write(
        f.dir.join("experiments.json"),
        serde_json::to_string(&manifest).unwrap(),
    )
    .unwrap();
}

fn start_in(name: &str, root: &Path) -> Fixture {
    start(
        name,
        Options {
            root: Some(root.to_path_buf()),
            ..Options::default()
        },
    )
}

fn scratch(root: &Path, f: &Fixture) -> PathBuf {
    root.join("target/runner-scratch")
        .join(f.port.to_string())
        .join("experiments")
}

#[test]
fn an_experiment_edits_a_scratch_copy_runs_it_and_judges_the_claim() {
    let (root, go) = repository("exp_runs");
    let f = start_in("exp_runs", &root);
    write_manifest(
        &f,
        vec![
            experiment("holds", &go, "prints EDITED"),
            experiment("does-not-hold", &go, "prints ORIGINAL"),
        ],
    );
    let answer = book_request(&f, "POST", "/api/experiment/holds");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        answer.phases(),
        ["building", "building", "running"],
        "{}",
        answer.body
    );
    let run = answer.result();
    assert_eq!(run["exit_code"], 0, "{run}");
    assert_eq!(run["output"][0]["text"], "package main // prints EDITED\n");
    assert_eq!(run["experiment"]["matches"], true, "{run}");
    // The repository's file is untouched; the edited copy is in scratch.
    assert_eq!(
        std::fs::read_to_string(root.join("go/demo/main.go")).unwrap(),
        ORIGINAL
    );
    let copy = scratch(&root, &f).join("holds/copy/go/demo/main.go");
    assert!(std::fs::read_to_string(copy).unwrap().contains("EDITED"));

    let run = book_request(&f, "POST", "/api/experiment/does-not-hold").result();
    assert_eq!(run["experiment"]["matches"], false, "{run}");
    assert!(
        run["experiment"]["why"]
            .as_str()
            .unwrap()
            .contains("does not contain `prints ORIGINAL`"),
        "{run}"
    );
}

#[test]
fn an_unknown_or_malformed_id_is_404_and_writes_nothing() {
    let (root, go) = repository("exp_unknown");
    let f = start_in("exp_unknown", &root);
    write_manifest(&f, vec![experiment("holds", &go, "EDITED")]);
    for path in [
        "/api/experiment/nope",
        "/api/experiment/..",
        "/api/experiment/..%2f..%2fgo",
        "/api/experiment/HOLDS",
        "/api/experiment/holds/x",
        "/api/experiment/",
    ] {
        let answer = book_request(&f, "POST", path);
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
        assert_eq!(answer.reason(), "not_found", "{path}");
    }
    assert!(
        !scratch(&root, &f).exists(),
        "a refused request wrote files"
    );
}

#[test]
fn without_a_session_nothing_is_written_or_run() {
    let (root, go) = repository("exp_nosession");
    let f = start_in("exp_nosession", &root);
    write_manifest(&f, vec![experiment("holds", &go, "EDITED")]);
    let no_token = request(
        f.port,
        "POST",
        "/api/experiment/holds",
        &[("Host", &host(f.port)), ("Origin", BOOK)],
    );
    assert_eq!(no_token.status, 401, "{}", no_token.body);
    let link_token = request(
        f.port,
        "POST",
        "/api/experiment/holds",
        &[
            ("Host", &host(f.port)),
            ("Origin", BOOK),
            ("Authorization", &format!("Bearer {LINK}")),
        ],
    );
    assert_eq!(link_token.status, 403, "{}", link_token.body);
    assert!(
        !scratch(&root, &f).exists(),
        "a refused request wrote files"
    );
}

#[test]
fn a_manifest_entry_cannot_reach_outside_its_package_or_the_scratch_folder() {
    let (root, go) = repository("exp_escape");
    let f = start_in("exp_escape", &root);
    let mut outside = experiment("outside", &go, "EDITED");
    outside.file = "go/../secret.txt".to_owned();
    let mut other_package = experiment("other-package", &go, "EDITED");
    other_package.package = "..".to_owned();
    let mut bad_id = experiment("../../x", &go, "EDITED");
    bad_id.file = "go/demo/main.go".to_owned();
    std::fs::write(root.join("secret.txt"), "ORIGINAL").unwrap();
    write_manifest(&f, vec![outside, other_package, bad_id]);
    for id in ["outside", "other-package"] {
        let answer = book_request(&f, "POST", &format!("/api/experiment/{id}"));
        let last = answer.events().pop().unwrap();
        assert_eq!(last["event"], "error", "{id}: {}", answer.body);
    }
    assert_eq!(
        std::fs::read_to_string(root.join("secret.txt")).unwrap(),
        "ORIGINAL"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("go/demo/main.go")).unwrap(),
        ORIGINAL
    );
    let answer = book_request(&f, "POST", "/api/experiment/..%2F..%2Fx");
    assert_eq!(answer.status, 404, "{}", answer.body);
}

#[test]
fn one_run_per_experiment_at_a_time() {
    let (root, go) = repository("exp_once");
    let f = start_in("exp_once", &root);
    write_manifest(&f, vec![experiment("slow", &go, "EDITED")]);
    std::fs::write(root.join("run-sleep"), "3").unwrap();
    let port = f.port;
    let session = f.session.clone();
    let first = std::thread::spawn(move || {
        request(
            port,
            "POST",
            "/api/experiment/slow",
            &[
                ("Host", &host(port)),
                ("Origin", BOOK),
                ("Authorization", &format!("Bearer {session}")),
            ],
        )
    });
    let copy = scratch(&root, &f).join("slow/bin");
    wait_for("the first run to build", || copy.exists().then_some(()));
    let second = book_request(&f, "POST", "/api/experiment/slow");
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(second.reason(), "already_running");
    let first = first.join().unwrap();
    assert_eq!(
        first.result()["experiment"]["matches"],
        true,
        "{}",
        first.body
    );
}
