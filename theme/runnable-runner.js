// mdbook-runnable: Run and Check buttons, the "Your file" view and progress,
// through the local runner that `cargo xtask serve` starts (runner/). The
// protocol is runner/README.md's; the page's side of it:
//
// - `cargo xtask serve` prints `http://127.0.0.1:3000/#runner=PORT:LINKTOKEN`.
//   The fragment never reaches a server. The page removes it from the
//   address bar first, then trades the single-use link token for a session
//   (`POST /api/session`) and keeps `{port, session}` in localStorage, so
//   every tab of the book (and a link the terminal prints later) has the
//   buttons too.
// - Without a usable session the page says so in one line at the top and on
//   each card, with what to do; it never fails silently.
// - Run, Check and progress answer with a stream of JSON lines: phases
//   (building, waiting for Cargo's build lock, running, grading), then the
//   result. Each phase is shown live with its elapsed seconds.
// - Nothing the runner sends is ever parsed as HTML: text goes through
//   textContent, and verdicts' Markdown (inline code, emphasis, links)
//   through a small renderer that builds elements.
(function () {
    "use strict";

    // Every word this script shows, in one table: `cargo dev i18n` puts
    // them in the catalogue (po/README.md), and a translated page carries
    // their translations in <script id="runnable-strings"> (mdbook-runnable
    // writes it). `{name}` is filled in here; a missing translation is English.
    var STRINGS = {
        // The notice line (top of the page and each card); `{serve}` is the command.
        noticeOff: "Run and Check are off: start `{serve}` and open the URL it prints.",
        noticeRestarted: "Run and Check are off: the runner restarted or stopped. Open the newest URL `{serve}` printed.",
        noticeStopped: "Run and Check are off: the runner does not answer. Start `{serve}` again, open the URL it prints.",
        noticeUsed: "Run and Check are off: that link was used already. Open the newest URL `{serve}` printed.",
        // Buttons and the phases of a run.
        run: "Run",
        running: "Running…",
        check: "Check",
        checking: "Checking…",
        phaseBuilding: "Building",
        phaseWaiting: "Waiting for Cargo's build lock",
        phaseRunning: "Running",
        phaseGrading: "Grading",
        // Trouble.
        notJson: "the runner sent a line that is not JSON: {line}",
        stoppedAnswering: "the runner stopped answering before the end (was `{serve}` stopped?)",
        couldNotFinish: "The runner could not finish: {error}",
        noReason: "no reason given",
        alreadyRunning: "This is already running (in another tab?): wait for it to finish.",
        busy: "The runner is busy with other requests: try again in a moment.",
        refused: "The runner refused: {error}",
        noAnswer: "The runner did not answer.",
        graderNoAnswer: "The grader did not answer: {error}",
        noVerdict: "no verdict",
        // A card's verdict, its badge and the progress page (po/GLOSSARY.md
        // gives the state words a translation uses).
        passed: "Passed: all {total} checks.",
        doesNotCompile: "Does not compile yet:",
        notYet: "Not yet: {passed}/{total} checks pass.",
        stateDone: "done",
        stateBroken: "broken",
        stateNotStarted: "not started",
        statePartial: "{passed}/{total} checks",
        yourFile: "Your file,",
        asItIsNow: "as it is now, read at {time}",
        asItIsNowStarter: "as it is now (still the starter), read at {time}",
        progressWait: "Your progress is being graded already (another tab?): showing it when that ends…",
        progressSummary: "{done} of {total} exercises done.",
    };
    // `t(key, values)`: the string for `key` in the page's language (English
    // when untranslated), `{name}` filled from `values`; runnable.js, loaded
    // first, has the helper.
    var t = window.runnable.translator(STRINGS);

    var STORE_KEY = "runnable-runner";
    var HEX48 = /^[0-9a-f]{48}$/;
    var SERVE = "cargo xtask serve";

    // ---- Small DOM helpers ------------------------------------------------

    function el(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined && text !== null) {
            node.textContent = text;
        }
        return node;
    }

    // Inline Markdown of runner text (verdicts, notes): `code`, **strong**,
    // *em* / _em_ and [text](http… or relative link). Builds nodes; never
    // innerHTML. Anything else stays literal text.
    function markdown(text) {
        var out = document.createDocumentFragment();
        var rest = String(text);
        var pattern = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|(^|[^\w])_([^_\s][^_]*)_(?!\w)|\[([^\]]+)\]\(([^)\s]+)\)/;
        while (rest) {
            var m = pattern.exec(rest);
            if (!m) {
                out.appendChild(document.createTextNode(rest));
                break;
            }
            var before = rest.slice(0, m.index) + (m[5] || "");
            if (before) {
                out.appendChild(document.createTextNode(before));
            }
            if (m[1]) {
                out.appendChild(el("code", "", m[2].replace(/^ (.*) $/, "$1")));
            } else if (m[3]) {
                out.appendChild(el("strong", "", m[3]));
            } else if (m[4]) {
                out.appendChild(el("em", "", m[4]));
            } else if (m[6]) {
                out.appendChild(el("em", "", m[6]));
            } else {
                out.appendChild(link(m[7], m[8]));
            }
            rest = rest.slice(m.index + m[0].length);
        }
        return out;
    }

    function link(text, href) {
        // Only web and in-book addresses: never `javascript:` or `data:`.
        if (!/^(https?:\/\/|\.{0,2}\/|#|[\w.-]+\.html)/i.test(href)) {
            return document.createTextNode("[" + text + "](" + href + ")");
        }
        var a = el("a", "", text);
        a.href = href;
        if (/^https?:/i.test(href) && new URL(href, location.href).origin !== location.origin) {
            a.rel = "noopener noreferrer";
            a.target = "_blank";
        }
        return a;
    }

    // ---- The credential -----------------------------------------------------

    // Takes `#runner=PORT:LINKTOKEN` off the address bar before anything else,
    // so it is neither bookmarked, nor shared, nor kept in history.
    function takeLinkFromAddress() {
        var m = /(?:^#|&)runner=(\d{1,5}):([0-9a-f]{48})(?:&|$)/.exec(location.hash);
        if (!m) {
            return null;
        }
        try {
            history.replaceState(history.state, "", location.pathname + location.search);
        } catch (e) {
            location.hash = "";
        }
        return { port: m[1], link: m[2] };
    }

    function storedSession() {
        try {
            var saved = JSON.parse(localStorage.getItem(STORE_KEY) || "null");
            if (saved && /^\d{1,5}$/.test(String(saved.port)) && HEX48.test(saved.session)) {
                return { port: String(saved.port), session: saved.session };
            }
        } catch (e) {
            // Unreadable or disabled storage: as without a session.
        }
        return null;
    }

    function storeSession(runner) {
        try {
            localStorage.setItem(STORE_KEY, JSON.stringify({ port: Number(runner.port), session: runner.session }));
        } catch (e) {
            // Storage disabled: this page still works, other tabs will not.
        }
    }

    function forgetSession() {
        try {
            localStorage.removeItem(STORE_KEY);
        } catch (e) {
            // nothing stored
        }
    }

    // ---- Requests -------------------------------------------------------------

    // `body` (a string) only for an edit's text, the one request that has
    // one (sent as text/plain; charset=utf-8, with its length).
    function request(port, bearer, method, path, body) {
        var init = {
            method: method,
            headers: { Authorization: "Bearer " + bearer },
            cache: "no-store",
            credentials: "omit",
        };
        if (body !== undefined) {
            init.body = body;
        }
        return fetch("http://127.0.0.1:" + port + path, init);
    }

    // A refusal's JSON ({error, reason}), or a stand-in when it has none.
    function refusal(response) {
        return response.json().then(
            function (body) {
                return { status: response.status, body: body || {} };
            },
            function () {
                return { status: response.status, body: { error: "HTTP " + response.status } };
            }
        );
    }

    function api(runner, method, path) {
        return request(runner.port, runner.session, method, path).then(refusal);
    }

    // Reads an NDJSON stream: `onPhase` for each phase line; resolves to the
    // last line (`done` or `error`), or an `error` if the stream stops early.
    function stream(runner, method, path, onPhase, body) {
        return request(runner.port, runner.session, method, path, body).then(function (response) {
            if (response.status !== 200 || !response.body) {
                return refusal(response).then(function (answer) {
                    return { refused: answer };
                });
            }
            var reader = response.body.getReader();
            var decoder = new TextDecoder();
            var buffer = "";
            var last = null;
            function take(line) {
                if (!line.trim()) {
                    return;
                }
                var event;
                try {
                    event = JSON.parse(line);
                } catch (e) {
                    last = { event: "error", error: t("notJson", { line: line.slice(0, 200) }) };
                    return;
                }
                if (event.event === "phase") {
                    onPhase(event);
                } else if (event.event === "done" || event.event === "error") {
                    last = event;
                }
            }
            function pump() {
                return reader.read().then(function (chunk) {
                    if (chunk.done) {
                        take(buffer + decoder.decode());
                        return (
                            last || {
                                event: "error",
                                error: t("stoppedAnswering", { serve: SERVE }),
                            }
                        );
                    }
                    buffer += decoder.decode(chunk.value, { stream: true });
                    var lines = buffer.split("\n");
                    buffer = lines.pop();
                    lines.forEach(take);
                    return pump();
                });
            }
            return pump();
        });
    }

    // ---- The one-line notice (top of the page and each card) ----------------

    var NOTICES = {
        off: "noticeOff",
        restarted: "noticeRestarted",
        stopped: "noticeStopped",
        used: "noticeUsed",
    };

    var noticeState = null;

    function setNotice(state, detail) {
        noticeState = state;
        var quiet = state === "on" || state === "asking";
        document.body.classList.toggle("runnable-runner-on", state === "on");
        document.querySelectorAll(".runnable-runner-notice").forEach(function (line) {
            line.textContent = "";
            line.hidden = quiet;
            line.setAttribute("data-state", state);
            if (!quiet) {
                line.appendChild(markdown(t(NOTICES[state], { serve: SERVE }) + (detail ? " (" + detail + ")" : "")));
            }
        });
        // Buttons stay where they are but do nothing useful without a runner.
        document.querySelectorAll(".runnable-run-button, .runnable-check-button").forEach(function (button) {
            if (!button.getAttribute("data-busy")) {
                button.disabled = state !== "on";
            }
        });
    }

    // The page has something to run or check: it gets the notice line.
    function placeNotices() {
        var runnable = document.querySelector(
            ".runnable-run[data-command], .runnable-exercise[data-exercise], .runnable-progress-page"
        );
        if (!runnable) {
            return false;
        }
        var main = document.querySelector("main") || document.body;
        var top = el("p", "runnable-runner-notice runnable-runner-notice-page");
        top.setAttribute("role", "status");
        main.insertBefore(top, main.firstChild);
        document.querySelectorAll(".runnable-exercise[data-exercise]").forEach(function (card) {
            var line = el("p", "runnable-runner-notice runnable-runner-notice-card");
            var title = card.querySelector(".runnable-exercise-title");
            card.insertBefore(line, title ? title.nextSibling : card.firstChild);
        });
        return true;
    }

    // A refusal or a failed request during use: say it in the notice line.
    function handleTrouble(answer) {
        var reason = answer && answer.body && answer.body.reason;
        if (reason === "unknown_session" || reason === "no_token") {
            forgetSession();
            setNotice("restarted");
            return true;
        }
        return false;
    }

    // ---- Phases, live -----------------------------------------------------------

    var PHASE_LABELS = {
        building: "phaseBuilding",
        waiting: "phaseWaiting",
        running: "phaseRunning",
        grading: "phaseGrading",
    };

    // A list of the phases seen, the current one with its seconds ticking.
    function phaseList(container) {
        var list = el("ol", "runnable-phases");
        list.setAttribute("aria-live", "polite");
        container.appendChild(list);
        var started = Date.now();
        var current = null;
        var timer = setInterval(tick, 1000);
        function seconds(since) {
            return "(" + Math.floor((Date.now() - since) / 1000) + " s)";
        }
        function tick() {
            if (current) {
                current.time.textContent = seconds(current.since);
            }
        }
        return {
            phase: function (event) {
                if (current) {
                    current.item.classList.remove("runnable-phase-current");
                }
                var item = el("li", "runnable-phase runnable-phase-current");
                item.setAttribute("data-phase", event.phase);
                item.appendChild(el("span", "runnable-phase-name", (PHASE_LABELS[event.phase] ? t(PHASE_LABELS[event.phase]) : event.phase)));
                if (event.text) {
                    var text = el("span", "runnable-phase-text", ": ");
                    text.appendChild(markdown(event.text));
                    item.appendChild(text);
                }
                var time = el("span", "runnable-phase-time", "(0 s)");
                item.appendChild(document.createTextNode(" "));
                item.appendChild(time);
                list.appendChild(item);
                current = { item: item, time: time, since: Date.now() };
            },
            stop: function () {
                clearInterval(timer);
                tick();
                if (current) {
                    current.item.classList.remove("runnable-phase-current");
                }
                list.setAttribute("data-total", seconds(started));
            },
        };
    }

    // ---- Run ----------------------------------------------------------------------

    function showRun(pre, run) {
        pre.appendChild(el("span", "runnable-run-command", "$ " + run.command + "\n"));
        (run.output || []).forEach(function (chunk) {
            pre.appendChild(el("span", chunk.stream === "stderr" ? "runnable-stderr" : "", chunk.text));
        });
        var status = run.timed_out
            ? "stopped at its time limit"
            : run.exit_code === null || run.exit_code === undefined
              ? "killed by signal " + run.signal
              : "exit status " + run.exit_code;
        if (run.phase === "build" && !(run.exit_code === 0 && !run.timed_out)) {
            status = "did not build: " + status;
        }
        var parts = [status, ((run.millis || 0) / 1000).toFixed(1) + " s"].concat(run.notes || []);
        pre.appendChild(el("span", "runnable-run-status", "\n" + parts.join(" · ")));
    }

    function showStreamError(box, event) {
        box.appendChild(el("p", "runnable-verdict-broken", t("couldNotFinish", { error: event.error || t("noReason") })));
        if (event.output) {
            box.appendChild(el("pre", "runnable-tail", event.output));
        }
    }

    function showRefusal(box, answer) {
        var reason = answer.body.reason;
        var text =
            reason === "already_running"
                ? t("alreadyRunning")
                : reason === "busy"
                  ? t("busy")
                  : t("refused", { error: answer.body.error || "HTTP " + answer.status });
        box.appendChild(el("p", "runnable-verdict-broken", text));
    }

    function wireRun(line) {
        var id = line.getAttribute("data-command");
        var button = el("button", "runnable-run-button", t("run"));
        button.type = "button";
        var box = el("div", "runnable-run-box");
        box.hidden = true;
        line.appendChild(document.createTextNode(" "));
        line.appendChild(button);
        line.parentNode.insertBefore(box, line.nextSibling);
        button.addEventListener("click", function () {
            var runner = storedSession();
            if (!runner) {
                setNotice("restarted");
                return;
            }
            busy(button, t("running"));
            box.hidden = false;
            box.textContent = "";
            var phases = phaseList(box);
            var pre = el("pre", "runnable-run-output");
            pre.setAttribute("aria-live", "polite");
            stream(runner, "POST", "/api/run/" + encodeURIComponent(id), phases.phase)
                .then(function (last) {
                    if (last.refused) {
                        if (!handleTrouble(last.refused)) {
                            showRefusal(box, last.refused);
                        }
                    } else if (last.event === "done") {
                        showRun(pre, last.result);
                        box.appendChild(pre);
                    } else {
                        showStreamError(box, last);
                    }
                })
                .catch(function () {
                    setNotice("stopped");
                    box.appendChild(el("p", "runnable-verdict-broken", t("noAnswer")));
                })
                .then(function () {
                    phases.stop();
                    idle(button, t("run"));
                });
        });
    }

    function busy(button, text) {
        button.disabled = true;
        button.setAttribute("data-busy", "1");
        button.textContent = text;
    }

    function idle(button, text) {
        button.removeAttribute("data-busy");
        button.disabled = noticeState !== "on";
        button.textContent = text;
    }

    // ---- Check, the badge and "Your file" --------------------------------------------

    // In English, the words of `cargo xtask progress` (xtask/src/progress.rs),
    // so the terminal and the page never name one state two ways; a
    // translation uses its glossary's words for them (po/GLOSSARY.md), the
    // ones its preface pairs with the terminal's.
    function stateWords(entry) {
        if (entry.state === "done") {
            return t("stateDone");
        }
        if (entry.state === "broken") {
            return t("stateBroken");
        }
        if (entry.state === "not_started") {
            return t("stateNotStarted");
        }
        return t("statePartial", { passed: entry.passed, total: entry.total });
    }

    function setBadge(badge, entry) {
        badge.textContent = stateWords(entry);
        badge.setAttribute("data-state", entry.state);
    }

    // When each card was last checked: a progress answer asked for before
    // that is older than the card's own verdict and must not overwrite it.
    var checkedAt = {};

    function showVerdict(box, v) {
        if (!v || !v.status) {
            box.appendChild(el("p", "runnable-verdict-broken", t("graderNoAnswer", { error: (v && v.error) || t("noVerdict") })));
            return;
        }
        var head =
            v.status === "passed"
                ? t("passed", { total: v.total })
                : v.status === "broken"
                  ? t("doesNotCompile")
                  : t("notYet", { passed: v.passed, total: v.total });
        box.appendChild(el("p", "runnable-verdict-" + v.status, head));
        if (v.broken) {
            // Compiler output keeps its columns (the `^^^` under the code): it
            // scrolls inside the card instead of wrapping.
            box.appendChild(el("pre", "runnable-compiler", v.broken));
        }
        var list = el("ul", "runnable-checks");
        (v.checks || []).forEach(function (check) {
            var item = el("li", check.ok ? "runnable-check-ok" : "runnable-check-failed");
            item.appendChild(el("span", "runnable-check-mark", check.ok ? "✓ " : "✗ "));
            item.appendChild(el("code", "runnable-check-name", check.name));
            if (check.message) {
                var message = el("span", "runnable-check-message", ": ");
                message.appendChild(markdown(check.message));
                item.appendChild(message);
            }
            list.appendChild(item);
        });
        if (list.firstChild) {
            box.appendChild(list);
        }
    }

    // The card's shipped starter, as shown: to tell "not started" from a
    // verdict (the file is still exactly that text).
    function starterText(card) {
        var slot = card.querySelector(".runnable-your-file");
        var shown = slot && slot.previousElementSibling;
        var code = shown && shown.querySelector("code");
        return code ? code.textContent : null;
    }

    function sameCode(a, b) {
        return a !== null && b !== null && a.replace(/\s+$/, "") === b.replace(/\s+$/, "");
    }

    function showFile(card, answer) {
        var slot = card.querySelector(".runnable-your-file");
        if (!slot || answer.status !== 200 || typeof answer.body.text !== "string") {
            return null;
        }
        var view = slot.querySelector("details");
        if (!view) {
            view = el("details", "runnable-your-file-view");
            var summary = el("summary", "", t("yourFile") + " ");
            summary.appendChild(el("code", "", answer.body.path || slot.getAttribute("data-file")));
            summary.appendChild(el("span", "runnable-your-file-when", ""));
            view.appendChild(summary);
            var pre = el("pre");
            pre.appendChild(el("code", "language-rust"));
            view.appendChild(pre);
            slot.appendChild(view);
        }
        var code = view.querySelector("code.language-rust");
        code.textContent = answer.body.text;
        code.classList.remove("hljs");
        if (window.hljs && typeof window.hljs.highlightBlock === "function") {
            window.hljs.highlightBlock(code);
        } else if (window.hljs && typeof window.hljs.highlightElement === "function") {
            window.hljs.highlightElement(code);
        }
        var same = sameCode(answer.body.text, starterText(card));
        view.querySelector(".runnable-your-file-when").textContent =
            " " + t(same ? "asItIsNowStarter" : "asItIsNow", { time: new Date().toLocaleTimeString() });
        slot.hidden = false;
        return answer.body.text;
    }

    function refreshFile(card) {
        var runner = storedSession();
        if (!runner) {
            return Promise.resolve(null);
        }
        var id = card.getAttribute("data-exercise");
        return api(runner, "GET", "/api/file/" + encodeURIComponent(id))
            .then(function (answer) {
                if (handleTrouble(answer)) {
                    return null;
                }
                return showFile(card, answer);
            })
            .catch(function () {
                return null;
            });
    }

    function wireCheck(card) {
        var id = card.getAttribute("data-exercise");
        var bar = el("div", "runnable-check-bar");
        var button = el("button", "runnable-check-button", t("check"));
        button.type = "button";
        var badge = el("span", "runnable-progress", "");
        var box = el("div", "runnable-verdict");
        box.setAttribute("aria-live", "polite");
        bar.appendChild(button);
        bar.appendChild(badge);
        bar.appendChild(box);
        var notice = card.querySelector(".runnable-runner-notice");
        var title = card.querySelector(".runnable-exercise-title");
        var after = notice || title;
        card.insertBefore(bar, after ? after.nextSibling : card.firstChild);
        button.addEventListener("click", function () {
            var runner = storedSession();
            if (!runner) {
                setNotice("restarted");
                return;
            }
            busy(button, t("checking"));
            box.textContent = "";
            var phases = phaseList(box);
            stream(runner, "POST", "/api/check/" + encodeURIComponent(id), phases.phase)
                .then(function (last) {
                    if (last.refused) {
                        if (!handleTrouble(last.refused)) {
                            showRefusal(box, last.refused);
                        }
                        return;
                    }
                    if (last.event !== "done") {
                        showStreamError(box, last);
                        return;
                    }
                    var v = last.result;
                    showVerdict(box, v);
                    if (!v || !v.status) {
                        return;
                    }
                    checkedAt[id] = Date.now();
                    // At once from the verdict; "not started" needs the file.
                    var known = v.status === "passed" ? "done" : v.status === "broken" ? "broken" : "partial";
                    setBadge(badge, { state: known, passed: v.passed, total: v.total });
                    return refreshFile(card).then(function (text) {
                        var state =
                            v.status === "passed"
                                ? "done"
                                : v.status === "broken"
                                  ? "broken"
                                  : sameCode(text, starterText(card))
                                    ? "not_started"
                                    : "partial";
                        var entry = { state: state, passed: v.passed, total: v.total };
                        setBadge(badge, entry);
                        setProgressRow(id, entry);
                    });
                })
                .catch(function () {
                    setNotice("stopped");
                    box.appendChild(el("p", "runnable-verdict-broken", t("noAnswer")));
                })
                .then(function () {
                    phases.stop();
                    idle(button, t("check"));
                });
        });
    }

    // ---- Progress: badges on cards, and the progress page ---------------------------

    function setProgressRow(id, entry) {
        document.querySelectorAll('.runnable-progress-table tr[data-exercise="' + id + '"]').forEach(function (row) {
            var cell = row.querySelector(".runnable-progress-state");
            cell.textContent = stateWords(entry);
            cell.setAttribute("data-state", entry.state);
        });
    }

    // A progress already being graded (another tab, or this tab's refresh
    // after a Check) gets `already_running`: ask again until it is free.
    var PROGRESS_RETRY_MS = 2000;
    var PROGRESS_RETRIES = 150;

    function refreshProgress(runner, attempt) {
        attempt = attempt || 0;
        var page = document.querySelector(".runnable-progress-page");
        var status = null;
        var phases = null;
        if (page) {
            status = page.querySelector(".runnable-progress-status") || el("div", "runnable-progress-status");
            status.textContent = "";
            page.insertBefore(status, page.querySelector("table"));
            phases = phaseList(status);
        }
        var askedAt = Date.now();
        return stream(runner, "GET", "/api/progress", phases ? phases.phase : function () {})
            .then(function (last) {
                if (last.refused) {
                    var again =
                        last.refused.body && last.refused.body.reason === "already_running" && attempt < PROGRESS_RETRIES;
                    if (again) {
                        if (status) {
                            status.appendChild(
                                el("p", "runnable-progress-wait", t("progressWait"))
                            );
                        }
                        return new Promise(function (resolve) {
                            setTimeout(resolve, PROGRESS_RETRY_MS);
                        }).then(function () {
                            if (phases) {
                                phases.stop();
                            }
                            return refreshProgress(runner, attempt + 1);
                        });
                    }
                    if (!handleTrouble(last.refused) && status) {
                        showRefusal(status, last.refused);
                    }
                    return;
                }
                if (last.event !== "done" || !last.result || !last.result.exercises) {
                    if (status) {
                        showStreamError(status, last);
                    }
                    return;
                }
                last.result.exercises.forEach(function (entry) {
                    if (checkedAt[entry.id] > askedAt) {
                        return; // the card's own verdict is newer
                    }
                    var badge = document.querySelector(
                        '.runnable-exercise[data-exercise="' + entry.id + '"] .runnable-progress'
                    );
                    if (badge) {
                        setBadge(badge, entry);
                    }
                    setProgressRow(entry.id, entry);
                });
                if (status) {
                    var done = last.result.exercises.filter(function (e) {
                        return e.state === "done";
                    }).length;
                    status.appendChild(
                        el("p", "runnable-progress-summary", t("progressSummary", { done: done, total: last.result.exercises.length }))
                    );
                }
            })
            .catch(function () {
                setNotice("stopped");
            })
            .then(function () {
                if (phases) {
                    phases.stop();
                }
            });
    }

    // ---- Start ----------------------------------------------------------------

    function trade(link) {
        return request(link.port, link.link, "POST", "/api/session")
            .then(refusal)
            .then(function (answer) {
                if (answer.status === 200 && HEX48.test(answer.body.session || "")) {
                    var runner = { port: link.port, session: answer.body.session };
                    storeSession(runner);
                    return { runner: runner };
                }
                return { refused: answer };
            });
    }

    function hello(runner) {
        return api(runner, "GET", "/api/hello").then(function (answer) {
            if (answer.status === 200) {
                return { runner: runner, hello: answer.body };
            }
            return { refused: answer };
        });
    }

    // The session to use: a fresh link from the address bar first, else the
    // one another tab stored. Resolves to {runner, hello} or a notice state.
    function connect(link) {
        var start = link
            ? trade(link).then(function (traded) {
                  if (traded.runner) {
                      return traded;
                  }
                  // A used link with a session already stored (the same link
                  // clicked twice): the stored one may still be good.
                  var stored = storedSession();
                  if (traded.refused.body.reason === "link_used" && stored) {
                      return { runner: stored };
                  }
                  return { state: traded.refused.body.reason === "link_used" ? "used" : "restarted" };
              })
            : Promise.resolve(storedSession() ? { runner: storedSession() } : { state: "off" });
        return start
            .then(function (got) {
                if (!got.runner) {
                    return got;
                }
                return hello(got.runner).then(function (said) {
                    if (said.hello) {
                        return said;
                    }
                    var reason = said.refused.body.reason;
                    if (reason === "unknown_session" || reason === "no_token") {
                        forgetSession();
                        return { state: "restarted" };
                    }
                    return { state: "stopped", detail: said.refused.body.error };
                });
            })
            .catch(function () {
                return { state: "stopped" };
            });
    }

    // Buttons appear once a runner answered (not before: a book read with
    // plain `mdbook serve` shows commands, not buttons that cannot work).
    var wired = false;

    function wireButtons(known) {
        if (wired) {
            return;
        }
        wired = true;
        document.querySelectorAll(".runnable-run[data-command]").forEach(wireRun);
        document.querySelectorAll(".runnable-exercise[data-exercise]").forEach(function (card) {
            if (known.indexOf(card.getAttribute("data-exercise")) >= 0) {
                wireCheck(card);
            }
        });
    }

    function start(got) {
        if (!got.hello) {
            setNotice(got.state, got.detail);
            return;
        }
        var known = got.hello.exercises || [];
        wireButtons(known);
        setNotice("on");
        // theme/runnable-edit.js adds Edit buttons only now.
        document.dispatchEvent(new CustomEvent("runnable-runner-on"));
        var cards = document.querySelectorAll(".runnable-exercise[data-exercise]");
        cards.forEach(function (card) {
            if (known.indexOf(card.getAttribute("data-exercise")) >= 0) {
                refreshFile(card);
            }
        });
        if (cards.length || document.querySelector(".runnable-progress-page")) {
            refreshProgress(got.runner);
        }
    }

    // theme/runnable-experiments.js and theme/runnable-edit.js run guided
    // experiments and edits with the same session, stream reader and result
    // view.
    window.runnableRunner = {
        isOn: function () {
            return noticeState === "on";
        },
        session: storedSession,
        stream: stream,
        phaseList: phaseList,
        showRun: showRun,
        showStreamError: showStreamError,
        showRefusal: showRefusal,
        handleTrouble: handleTrouble,
        setNotice: setNotice,
    };

    // Off the address bar now, before the page does anything else.
    var linkAtLoad = takeLinkFromAddress();

    function init() {
        var link = linkAtLoad;
        if (!placeNotices()) {
            // Nothing to run here; still trade a fresh link for the other pages.
            if (link) {
                trade(link).catch(function () {});
            }
            return;
        }
        // Said at once when there is nothing to try; else after the answer.
        setNotice(link || storedSession() ? "asking" : "off");
        connect(link).then(start);
        // Another tab traded a newer link: follow it.
        window.addEventListener("storage", function (event) {
            if (event.key === STORE_KEY && storedSession() && noticeState !== "on") {
                connect(null).then(start);
            }
        });
        // A new link pasted into this tab only changes the fragment: the page
        // is not loaded again, so take it from here.
        window.addEventListener("hashchange", function () {
            var fresh = takeLinkFromAddress();
            if (fresh) {
                setNotice("asking");
                connect(fresh).then(start);
            }
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
