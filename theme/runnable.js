// mdbook-runnable: makes {{#quiz}} questions answerable, and, when the page
// was opened from `cargo xtask serve`, adds Run and Check buttons that talk to
// the local runner (runner/). Offline and dependency-free. Without JS the
// quiz answers stay readable in each question's <details> and every command
// stays a copyable line.
(function () {
    "use strict";

    function letter(i) {
        return String.fromCharCode(65 + i);
    }

    function wire(question) {
        var answer = Number(question.getAttribute("data-answer"));
        var choices = Array.prototype.slice.call(
            question.querySelectorAll("button.runnable-choice")
        );
        var feedback = question.querySelector(".runnable-feedback");
        var explanation = question.querySelector("details.runnable-explanation");
        if (!feedback || isNaN(answer)) {
            return;
        }

        function choose(picked) {
            var right = picked === answer;
            choices.forEach(function (button, i) {
                button.disabled = true;
                button.setAttribute("aria-pressed", i === picked ? "true" : "false");
                button.classList.toggle("runnable-right", i === answer);
                button.classList.toggle("runnable-wrong", i === picked && !right);
            });
            feedback.hidden = false;
            feedback.className = "runnable-feedback " + (right ? "runnable-right" : "runnable-wrong");
            feedback.textContent = right
                ? "Right: " + letter(answer) + "."
                : "Not quite: you picked " + letter(picked) + ", the answer is " + letter(answer) + ".";
            var retry = document.createElement("button");
            retry.type = "button";
            retry.className = "runnable-retry";
            retry.textContent = "Try again";
            retry.addEventListener("click", reset);
            feedback.appendChild(retry);
            question.classList.add("runnable-answered");
            if (explanation) {
                explanation.open = true;
            }
        }

        function reset() {
            choices.forEach(function (button) {
                button.disabled = false;
                button.removeAttribute("aria-pressed");
                button.classList.remove("runnable-right", "runnable-wrong");
            });
            feedback.hidden = true;
            feedback.textContent = "";
            question.classList.remove("runnable-answered");
            if (explanation) {
                explanation.open = false;
            }
            if (choices.length > 0) {
                choices[0].focus();
            }
        }

        choices.forEach(function (button) {
            button.addEventListener("click", function () {
                choose(Number(button.getAttribute("data-index")));
            });
        });
    }

    // ---- The local runner (runner/, started by `cargo xtask serve`) ----
    // The page talks to it only when it was opened with the URL the runner
    // printed: `#runner=PORT:TOKEN`. The fragment never reaches a server;
    // it is moved to this tab's sessionStorage and removed from the address
    // bar. Without it (plain `mdbook serve`) the page sends no request at all
    // and shows the copyable commands.
    var RUNNER_KEY = "runnable-runner";

    function runnerConfig() {
        var saved = null;
        try {
            var m = /(?:^#|&)runner=(\d{1,5}):([0-9a-f]{48})(?:&|$)/.exec(location.hash);
            if (m) {
                sessionStorage.setItem(RUNNER_KEY, m[1] + ":" + m[2]);
                history.replaceState(null, "", location.pathname + location.search);
            }
            saved = sessionStorage.getItem(RUNNER_KEY);
        } catch (e) {
            return null; // storage disabled: behave as without a runner
        }
        var parts = saved ? saved.split(":") : [];
        return parts.length === 2 ? { port: parts[0], token: parts[1] } : null;
    }

    function api(runner, method, path) {
        return fetch("http://127.0.0.1:" + runner.port + path, {
            method: method,
            headers: { Authorization: "Bearer " + runner.token },
            cache: "no-store",
            credentials: "omit",
        }).then(function (response) {
            return response.json().then(function (body) {
                return { status: response.status, body: body };
            });
        });
    }

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

    function showRun(pre, answer) {
        pre.textContent = "";
        if (answer.status !== 200) {
            pre.appendChild(el("span", "runnable-stderr", "runner: " + (answer.body.error || answer.status)));
            return;
        }
        var run = answer.body;
        pre.appendChild(el("span", "runnable-run-command", "$ " + run.command + "\n"));
        run.output.forEach(function (chunk) {
            pre.appendChild(el("span", chunk.stream === "stderr" ? "runnable-stderr" : "", chunk.text));
        });
        var status = run.timed_out
            ? "stopped"
            : run.exit_code === null
              ? "killed by signal " + run.signal
              : "exit status " + run.exit_code;
        var footer = [status, (run.millis / 1000).toFixed(1) + " s"].concat(run.notes).join(" · ");
        pre.appendChild(el("span", "runnable-run-status", "\n" + footer));
    }

    function wireRun(runner, line) {
        var id = line.getAttribute("data-command");
        var button = el("button", "runnable-run-button", "Run");
        button.type = "button";
        var pre = el("pre", "runnable-run-output");
        pre.hidden = true;
        pre.setAttribute("aria-live", "polite");
        line.appendChild(document.createTextNode(" "));
        line.appendChild(button);
        line.parentNode.insertBefore(pre, line.nextSibling);
        button.addEventListener("click", function () {
            button.disabled = true;
            button.textContent = "Running…";
            pre.hidden = false;
            pre.textContent = "$ " + line.querySelector("code").textContent + "\n…";
            api(runner, "POST", "/api/run/" + encodeURIComponent(id))
                .then(function (answer) {
                    showRun(pre, answer);
                })
                .catch(function () {
                    pre.textContent = "The runner did not answer: is `cargo xtask serve` still running?";
                })
                .then(function () {
                    button.disabled = false;
                    button.textContent = "Run";
                });
        });
    }

    function badgeText(entry) {
        if (!entry) {
            return "";
        }
        if (entry.state === "done") {
            return "done";
        }
        if (entry.state === "partial") {
            return entry.passed + " of " + entry.total;
        }
        return "not started";
    }

    // One progress request at a time (the runner refuses a second with 409):
    // a refresh asked for meanwhile runs once the current one is done.
    var progressInFlight = null;
    var progressAgain = false;
    // When each card was last checked: a progress answer asked for before
    // that is older than the card's own verdict and must not overwrite it
    // (the first progress answer can take seconds: it grades every exercise).
    var checkedAt = {};

    function setBadge(badge, entry) {
        badge.textContent = badgeText(entry);
        badge.setAttribute("data-state", entry.state);
    }

    function refreshProgress(runner) {
        if (progressInFlight) {
            progressAgain = true;
            return progressInFlight;
        }
        var askedAt = Date.now();
        progressInFlight = api(runner, "GET", "/api/progress")
            .then(function (answer) {
                if (answer.status !== 200 || !answer.body.exercises) {
                    return;
                }
                answer.body.exercises.forEach(function (entry) {
                    var card = document.querySelector('.runnable-exercise[data-exercise="' + entry.id + '"]');
                    var badge = card && card.querySelector(".runnable-progress");
                    if (badge && !(checkedAt[entry.id] > askedAt)) {
                        setBadge(badge, entry);
                    }
                });
            })
            .catch(function () {})
            .then(function () {
                progressInFlight = null;
                if (progressAgain) {
                    progressAgain = false;
                    return refreshProgress(runner);
                }
            });
        return progressInFlight;
    }

    function showVerdict(box, answer) {
        box.textContent = "";
        var v = answer.body;
        if (answer.status !== 200 || !v.status) {
            box.appendChild(el("p", "runnable-verdict-broken", "The grader did not answer: " + (v.error || answer.status)));
            if (v.output) {
                box.appendChild(el("pre", "", v.output));
            }
            return;
        }
        var head = v.status === "passed"
            ? "Passed: all " + v.total + " checks."
            : v.status === "broken"
              ? "Does not compile yet:"
              : "Not yet: " + v.passed + " of " + v.total + " checks pass.";
        box.appendChild(el("p", "runnable-verdict-" + v.status, head));
        if (v.broken) {
            box.appendChild(el("pre", "", v.broken));
        }
        var list = el("ul", "runnable-checks");
        (v.checks || []).forEach(function (check) {
            var item = el("li", check.ok ? "runnable-check-ok" : "runnable-check-failed");
            item.appendChild(el("span", "runnable-check-mark", check.ok ? "✓ " : "✗ "));
            item.appendChild(el("code", "", check.name));
            if (check.message) {
                item.appendChild(el("span", "runnable-check-message", ": " + check.message));
            }
            list.appendChild(item);
        });
        box.appendChild(list);
    }

    function wireCheck(runner, card) {
        var id = card.getAttribute("data-exercise");
        var bar = el("div", "runnable-check-bar");
        var button = el("button", "runnable-check-button", "Check");
        button.type = "button";
        var badge = el("span", "runnable-progress", "");
        var box = el("div", "runnable-verdict");
        box.setAttribute("aria-live", "polite");
        bar.appendChild(button);
        bar.appendChild(badge);
        bar.appendChild(box);
        var title = card.querySelector(".runnable-exercise-title");
        card.insertBefore(bar, title ? title.nextSibling : card.firstChild);
        button.addEventListener("click", function () {
            button.disabled = true;
            button.textContent = "Checking…";
            box.textContent = "Grading your file…";
            api(runner, "POST", "/api/check/" + encodeURIComponent(id))
                .then(function (answer) {
                    showVerdict(box, answer);
                    var v = answer.body;
                    if (answer.status === 200 && v.status) {
                        // This card's badge comes from its own verdict, now.
                        checkedAt[id] = Date.now();
                        setBadge(badge, {
                            state: v.status === "passed" ? "done" : "partial",
                            passed: v.passed,
                            total: v.total
                        });
                    }
                    return refreshProgress(runner);
                })
                .catch(function () {
                    box.textContent = "The runner did not answer: is `cargo xtask serve` still running?";
                })
                .then(function () {
                    button.disabled = false;
                    button.textContent = "Check";
                });
        });
    }

    function connectRunner() {
        var runner = runnerConfig();
        if (!runner) {
            return;
        }
        api(runner, "GET", "/api/hello")
            .then(function (answer) {
                if (answer.status !== 200) {
                    // A stale token (the runner was restarted): forget it.
                    sessionStorage.removeItem(RUNNER_KEY);
                    return;
                }
                var exercises = answer.body.exercises || [];
                document.body.classList.add("runnable-runner-on");
                document.querySelectorAll(".runnable-run[data-command]").forEach(function (line) {
                    wireRun(runner, line);
                });
                document.querySelectorAll(".runnable-exercise[data-exercise]").forEach(function (card) {
                    if (exercises.indexOf(card.getAttribute("data-exercise")) >= 0) {
                        wireCheck(runner, card);
                    }
                });
                refreshProgress(runner);
            })
            .catch(function () {});
    }

    function init() {
        document.querySelectorAll(".runnable-quiz").forEach(function (quiz) {
            // Marks a quiz whose buttons work, for styles and browser tests.
            quiz.classList.add("runnable-quiz-js");
            quiz.querySelectorAll(".runnable-question").forEach(wire);
        });
        connectRunner();
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
