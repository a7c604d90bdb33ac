// mdbook-runnable: guided experiments ("Try it", {{#experiment}}). Each card
// holds a question, the edit as a diff and the outcome CI checked, all in
// the HTML (readable without JS). Here they are revealed step by step:
//
// 1. the reader picks a prediction;
// 2. "Apply the edit" shows the diff, the recorded outcome and whether the
//    prediction was right;
// 3. with the runner on (theme/runnable-runner.js, whose session and stream
//    reader this reuses), "Run the edited copy" asks the runner to run the
//    experiment by its id (`POST /api/experiment/ID`: the runner applies the
//    edit to a scratch copy; no code leaves the page) and shows the real
//    result next to the claim.
(function () {
    "use strict";

    // Every word this script shows, in one table: `cargo dev i18n` puts
    // them in the catalogue (po/README.md), and a translated page carries
    // their translations in <script id="runnable-strings"> (mdbook-runnable
    // writes it). `{name}` is filled in here; a missing translation is English.
    var STRINGS = {
        applyTheEdit: "Apply the edit",
        runTheEditedCopy: "Run the edited copy",
        yourPrediction: "Your prediction: {letter}. Now apply the edit and see.",
        right: "Right: {letter}. Below, the edit and what it does.",
        notQuite: "Not quite: the answer is {letter}. Below, the edit and what it does.",
        running: "Running…",
        matches: "The real run matches the outcome above.",
        differs: "The real run differs from the outcome above: {why}",
        noReason: "no reason given",
        noAnswer: "The runner did not answer.",
    };
    // `t(key, values)`: the string for `key` in the page's language (English
    // when untranslated), `{name}` filled from `values`; runnable.js, loaded
    // first, has the helper.
    var t = window.runnable.translator(STRINGS);

    function el(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined) {
            node.textContent = text;
        }
        return node;
    }

    function letter(i) {
        return String.fromCharCode(65 + i);
    }

    function say(line, kind, text) {
        line.hidden = false;
        line.className = "runnable-experiment-feedback runnable-feedback " + kind;
        line.textContent = text;
    }

    function wire(card) {
        var id = card.getAttribute("data-experiment");
        var answer = Number(card.getAttribute("data-answer"));
        var choices = Array.prototype.slice.call(card.querySelectorAll(".runnable-experiment-choice"));
        var feedback = card.querySelector(".runnable-experiment-feedback");
        var claim = card.querySelector(".runnable-experiment-claim");
        var result = card.querySelector(".runnable-experiment-result");
        var picked = null;

        card.setAttribute("data-step", "question");
        var controls = el("p", "runnable-experiment-controls");
        var apply = el("button", "runnable-experiment-button runnable-experiment-apply", t("applyTheEdit"));
        apply.type = "button";
        apply.disabled = true;
        var run = el("button", "runnable-experiment-button runnable-experiment-run", t("runTheEditedCopy"));
        run.type = "button";
        run.hidden = true;
        controls.appendChild(apply);
        controls.appendChild(run);
        feedback.parentNode.insertBefore(controls, feedback.nextSibling);

        choices.forEach(function (button, i) {
            button.addEventListener("click", function () {
                if (card.getAttribute("data-step") !== "question") {
                    return;
                }
                picked = i;
                choices.forEach(function (b, j) {
                    b.classList.toggle("runnable-picked", j === i);
                });
                apply.disabled = false;
                say(feedback, "", t("yourPrediction", { letter: letter(i) }));
            });
        });

        apply.addEventListener("click", function () {
            card.setAttribute("data-step", "applied");
            apply.hidden = true;
            choices.forEach(function (b, j) {
                b.disabled = true;
                b.classList.remove("runnable-picked");
                b.classList.toggle("runnable-right", j === answer);
                b.classList.toggle("runnable-wrong", j === picked && j !== answer);
            });
            if (picked === answer) {
                say(feedback, "runnable-right", t("right", { letter: letter(answer) }));
            } else {
                say(feedback, "runnable-wrong", t("notQuite", { letter: letter(answer) }));
            }
            run.hidden = false;
            claim.scrollIntoView({ block: "nearest" });
        });

        run.addEventListener("click", function () {
            var r = window.runnableRunner;
            var runner = r && r.session();
            if (!runner) {
                if (r) {
                    r.setNotice("restarted");
                }
                return;
            }
            run.disabled = true;
            run.textContent = t("running");
            result.hidden = false;
            result.textContent = "";
            var phases = r.phaseList(result);
            r.stream(runner, "POST", "/api/experiment/" + encodeURIComponent(id), phases.phase)
                .then(function (last) {
                    if (last.refused) {
                        if (!r.handleTrouble(last.refused)) {
                            r.showRefusal(result, last.refused);
                        }
                    } else if (last.event === "done") {
                        var judged = last.result.experiment || {};
                        var verdict = el(
                            "p",
                            "runnable-experiment-verdict runnable-feedback " + (judged.matches ? "runnable-right" : "runnable-wrong"),
                            judged.matches
                                ? t("matches")
                                : t("differs", { why: judged.why || t("noReason") })
                        );
                        verdict.setAttribute("data-matches", judged.matches ? "true" : "false");
                        result.appendChild(verdict);
                        var pre = el("pre", "runnable-run-output");
                        r.showRun(pre, last.result);
                        result.appendChild(pre);
                    } else {
                        r.showStreamError(result, last);
                    }
                })
                .catch(function () {
                    r.setNotice("stopped");
                    result.appendChild(el("p", "runnable-verdict-broken", t("noAnswer")));
                })
                .then(function () {
                    phases.stop();
                    run.disabled = false;
                    run.textContent = t("runTheEditedCopy");
                });
        });
    }

    function init() {
        document.querySelectorAll(".runnable-experiment[data-experiment]").forEach(wire);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
