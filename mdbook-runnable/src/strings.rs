//! Every word of ours that the preprocessor puts on a page, in one table.
//! `cargo dev i18n update` extracts these constants into the catalogue
//! (`po/LANG.po`, with a `#:` reference to this file), `i18n check` fails
//! while one is untranslated, and a translated build looks each one up
//! (`i18n.rs`). The extractor reads this file as text: one constant a line,
//! `pub const NAME: &str = "...";`, a plain literal (no `\` escapes but `\"`).
//! `{name}` is filled in by the renderer with HTML (a `<code>` span, a
//! number); a translation keeps every placeholder and may move it.

// The exercise card (render/exercise.rs).
pub const EXERCISE_TAG: &str = "Exercise";
pub const EXERCISE_EDIT: &str = "Edit {file}";
pub const EXERCISE_STARTER: &str = "Starter code (as shipped), {file}:";
pub const TEST_TAG: &str = "Write the test";
pub const TEST_EDIT: &str = "Write your test in {file}";
pub const TEST_STARTER: &str = "Starter test (as shipped), {file}:";
pub const GRADE: &str = "Grade {command}";
pub const HINT_1: &str = "Hint 1 — nudge";
pub const HINT_2: &str = "Hint 2 — concept";
pub const HINT_3: &str = "Hint 3 — almost the answer";
pub const HINT_CLI: &str = "The same hints in your terminal: {command}";
pub const SOLUTION: &str = "Reference solution, {file} (spoiler)";

// Run lines under listings and panes (markdown.rs) and checked output (render/output.rs).
pub const RUN_IT: &str = "Run it: {command}";
pub const CHECKED_BY: &str = "Normalised, and checked by {test}.";

// Quizzes (render/quiz.rs).
pub const QUESTION_OF: &str = "Question {number} of {total}";
pub const ANSWER_AND_EXPLANATION: &str = "Answer and explanation";
pub const THE_ANSWER_IS: &str = "The answer is {letter}: {choice}";

// Guided experiments (render/experiment.rs, experiments.rs).
pub const TRY_IT: &str = "Try it: {title}";
pub const THE_EDIT: &str = "The edit, in {file}, then {command}:";
pub const WHAT_HAPPENS: &str = "What happens (CI runs the edited copy and checks it):";
pub const OUTCOME_NO_BUILD: &str = "It does not compile: {error}.";
pub const OUTCOME_EXIT: &str = "It exits with status {code}.";
pub const OUTCOME_CONTAINS: &str = "Its output contains {text}.";
pub const OUTCOME_LACKS: &str = "Its output no longer contains {text}.";

// The progress page (render/progress.rs).
pub const PROGRESS_CLI: &str =
    "In a terminal, {command} grades every exercise and names the next one to do.";
pub const PROGRESS_EXERCISE: &str = "Exercise";
pub const PROGRESS_STATE: &str = "State";
pub const PROGRESS_CHAPTER: &str = "Chapter";
