// mdbook-runnable: makes {{#quiz}} questions answerable, and gives the lines
// of Go | Rust panes a hanging indent when they wrap. (Run and Check, with the
// local runner, are theme/runnable-runner.js.) Offline and dependency-free.
// Without JS the quiz answers stay readable in each question's <details>.
(function () {
    "use strict";

    // Every word this script shows, in one table: `cargo dev i18n` puts
    // them in the catalogue (po/README.md), and a translated page carries
    // their translations in <script id="runnable-strings"> (mdbook-runnable
    // writes it). `{name}` is filled in here; a missing translation is English.
    var STRINGS = {
        notQuite: "Not quite: {letter} is not the answer.",
        tryAgain: "Try again",
        showAnswer: "Show answer",
        right: "Right: {letter}.",
        theAnswerIs: "The answer is {letter}.",
        startOver: "Start over",
    };
    // The page's translations of every script's words, read once. A
    // translated page carries them in <script id="runnable-strings">
    // (mdbook-runnable writes it); an English page has none.
    var TRANSLATED = (function () {
        var table = document.getElementById("runnable-strings");
        try {
            return (table && JSON.parse(table.textContent)) || {};
        } catch (e) {
            return {};
        }
    })();

    // The `t(key, values)` of a script whose words are the table `strings`:
    // the string for `key` in the page's language (English when
    // untranslated), each `{name}` filled from `values`.
    function translator(strings) {
        return function t(key, values) {
            var english = strings[key];
            var text = Object.prototype.hasOwnProperty.call(TRANSLATED, english) ? TRANSLATED[english] : english;
            return text.replace(/\{([a-z_]+)\}/g, function (whole, name) {
                return values && name in values ? String(values[name]) : whole;
            });
        };
    }

    // The one helper every page script shares: book.toml's additional-js
    // loads this script first, so the others find it here.
    window.runnable = { translator: translator };

    var t = translator(STRINGS);

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

        // A wrong pick says so and offers another try or the answer; it never
        // names the answer itself (the reader would stop thinking).
        function choose(picked) {
            if (picked === answer) {
                reveal(picked);
                return;
            }
            choices.forEach(function (button, i) {
                button.classList.remove("runnable-wrong");
                button.removeAttribute("aria-pressed");
                if (i === picked) {
                    button.classList.add("runnable-wrong");
                    button.setAttribute("aria-pressed", "true");
                    button.disabled = true;
                }
            });
            say("runnable-wrong", t("notQuite", { letter: letter(picked) }) + " ", [
                ["runnable-retry", t("tryAgain"), retry],
                ["runnable-show-answer", t("showAnswer"), function () {
                    reveal(null);
                }],
            ]);
        }

        function reveal(picked) {
            choices.forEach(function (button, i) {
                button.disabled = true;
                button.setAttribute("aria-pressed", i === picked ? "true" : "false");
                button.classList.toggle("runnable-right", i === answer);
                button.classList.remove("runnable-wrong");
            });
            say(
                "runnable-right",
                (picked === answer ? t("right", { letter: letter(answer) }) : t("theAnswerIs", { letter: letter(answer) })) + " ",
                [["runnable-retry", t("startOver"), reset]]
            );
            question.classList.add("runnable-answered");
            if (explanation) {
                explanation.open = true;
            }
        }

        function say(kind, text, actions) {
            feedback.hidden = false;
            feedback.className = "runnable-feedback " + kind;
            feedback.textContent = text;
            actions.forEach(function (action) {
                var button = document.createElement("button");
                button.type = "button";
                button.className = action[0];
                button.textContent = action[1];
                button.addEventListener("click", action[2]);
                feedback.appendChild(button);
            });
        }

        // Another pick: the wrong ones already tried stay marked.
        function retry() {
            feedback.hidden = true;
            feedback.textContent = "";
            var next = choices.filter(function (button) {
                return !button.disabled;
            })[0];
            if (next) {
                next.focus();
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

    // ---- Go | Rust panes: wrapped lines hang under their own indent --------
    // A pane wraps its long lines (so no pane scrolls sideways). A wrapped
    // line used to continue at column 0, where Go's `{` alone reads as
    // invalid code: each source line becomes a block whose continuation
    // rows start 2 columns right of the line's own indent, next to a
    // continuation bar (theme/runnable.css). highlight.js's spans can cross
    // lines (a block comment): they are split at each newline and reopened.
    var TAB = 4; // columns, as `tab-size` in runnable.css

    // Moves the row's leading whitespace into a zero-width span (kept for
    // copying) and returns its width in columns: the row's CSS indent then
    // draws it, the same on the first row and the continuation rows.
    function hangIndent(row) {
        var first = row.firstChild;
        while (first && first.nodeType === Node.ELEMENT_NODE) {
            first = first.firstChild;
        }
        if (!first || first.nodeType !== Node.TEXT_NODE) {
            return 0;
        }
        var lead = /^[ \t]*/.exec(first.textContent)[0];
        if (!lead) {
            return 0;
        }
        var columns = 0;
        for (var i = 0; i < lead.length; i++) {
            columns += lead[i] === "\t" ? TAB - (columns % TAB) : 1;
        }
        var span = document.createElement("span");
        span.className = "runnable-lead";
        span.textContent = lead;
        first.textContent = first.textContent.slice(lead.length);
        first.parentNode.insertBefore(span, first);
        return columns;
    }

    function hangLines(code) {
        if (code.getAttribute("data-hang")) {
            return;
        }
        var lines = [];
        var line = null;
        function newLine() {
            line = document.createElement("span");
            line.className = "runnable-line";
            lines.push(line);
        }
        // Copies `node` into the current line, splitting at newlines; `open`
        // is the chain of highlight spans the text sits in.
        function copy(node, open) {
            if (node.nodeType === Node.TEXT_NODE) {
                var parts = node.textContent.split("\n");
                parts.forEach(function (part, i) {
                    if (i > 0) {
                        newLine();
                    }
                    if (part) {
                        inside(open).appendChild(document.createTextNode(part));
                    }
                });
            } else if (node.nodeType === Node.ELEMENT_NODE) {
                var chain = open.concat([node]);
                node.childNodes.forEach(function (child) {
                    copy(child, chain);
                });
            }
        }
        // The innermost open span of the current line, made on demand.
        function inside(open) {
            var parent = line;
            open.forEach(function (span) {
                var last = parent.lastChild;
                if (!last || last.nodeType !== Node.ELEMENT_NODE || last._from !== span) {
                    last = span.cloneNode(false);
                    last._from = span;
                    parent.appendChild(last);
                }
                parent = last;
            });
            return parent;
        }
        newLine();
        code.childNodes.forEach(function (child) {
            copy(child, []);
        });
        if (lines.length > 1 && !lines[lines.length - 1].textContent) {
            lines.pop(); // the newline that ends the block
        }
        lines.forEach(function (row) {
            var columns = hangIndent(row);
            row.style.setProperty("--runnable-indent", columns + "ch");
            // mdBook's hidden lines (`boring`): the whole row hides with them.
            var only = row.children.length === 1 && row.textContent === row.firstChild.textContent;
            if (only && row.firstChild.classList.contains("boring")) {
                row.classList.add("boring");
            }
            row.appendChild(document.createTextNode("\n"));
        });
        code.textContent = "";
        lines.forEach(function (row) {
            code.appendChild(row);
        });
        code.setAttribute("data-hang", "1");
    }

    function init() {
        document.querySelectorAll(".runnable-quiz").forEach(function (quiz) {
            // Marks a quiz whose buttons work, for styles and browser tests.
            quiz.classList.add("runnable-quiz-js");
            quiz.querySelectorAll(".runnable-question").forEach(wire);
        });
        document.querySelectorAll(".runnable-compare .runnable-pane pre > code").forEach(hangLines);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
