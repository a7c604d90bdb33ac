// mdbook-runnable: aligned lines in Go | Rust panes. The preprocessor puts
// `data-pairs="close:3,4 spawn:7"` on each pane (the source marks the lines
// `// pair: NAME`; mdbook-runnable/src/pairs.rs); theme/runnable.js has made
// each displayed line a `.runnable-line` (after highlight.js ran). Here a
// paired line, hovered or focused, lights up with its counterparts in both
// panes; paired lines are focusable in reading order, and Enter moves focus
// to the first counterpart in the other pane. Nothing is added inside the
// code, so copying it copies the code alone. Without JS the panes read as
// before.
(function () {
    "use strict";

    // Every string this script shows, in one place (for translation).
    var STRINGS = {
        pairsWithLine: "Pairs with {pane} line {lines}: {code} (Enter moves there)",
        pairsWithLines: "Pairs with {pane} lines {lines}: {code} (Enter moves there)",
    };
    // `t(key, values)`: the string for `key` in the page's language (English
    // when untranslated), `{name}` filled from `values`; runnable.js, loaded
    // first, has the helper.
    var t = window.runnable.translator(STRINGS);
    var TEXT = {
        pairsWith: function (otherLabel, lines, code) {
            return t(lines.length === 1 ? "pairsWithLine" : "pairsWithLines", {
                pane: otherLabel,
                lines: lines.join(", "),
                code: code,
            });
        },
    };
    var SNIPPET = 60; // characters of the counterpart shown in the description

    // "close:3,4 spawn:7" -> { close: [3, 4], spawn: [7] }
    function parsePairs(text) {
        var pairs = {};
        (text || "").split(/\s+/).forEach(function (entry) {
            var at = entry.indexOf(":");
            if (at <= 0) {
                return;
            }
            pairs[entry.slice(0, at)] = entry.slice(at + 1).split(",").map(Number).filter(function (n) {
                return n > 0;
            });
        });
        return pairs;
    }

    function paneLines(pane) {
        var code = pane.querySelector("pre > code");
        if (!code || !code.getAttribute("data-hang")) {
            return null; // runnable.js did not split the lines: leave the pane as it is
        }
        return Array.prototype.filter.call(code.children, function (el) {
            return el.classList.contains("runnable-line");
        });
    }

    function label(pane) {
        var lang = pane.querySelector(".runnable-lang");
        return lang ? lang.textContent.trim() : pane.getAttribute("data-lang");
    }

    function snippet(row) {
        var text = row.textContent.trim().replace(/\s+/g, " ");
        return text.length > SNIPPET ? text.slice(0, SNIPPET - 1) + "\u2026" : text;
    }

    var counter = 0;

    function wire(compare) {
        var panes = Array.prototype.filter.call(compare.children, function (el) {
            return el.classList.contains("runnable-pane") && el.hasAttribute("data-pairs");
        });
        if (panes.length !== 2) {
            return;
        }
        var sides = panes.map(function (pane) {
            return { pane: pane, lines: paneLines(pane), pairs: parsePairs(pane.getAttribute("data-pairs")) };
        });
        if (!sides[0].lines || !sides[1].lines) {
            return;
        }
        // Each side's rows by name, and each row's names.
        sides.forEach(function (side) {
            side.rows = {};
            Object.keys(side.pairs).forEach(function (name) {
                side.rows[name] = side.pairs[name].map(function (n) {
                    return side.lines[n - 1];
                }).filter(Boolean);
                side.rows[name].forEach(function (row) {
                    row._pairNames = (row._pairNames || []).concat([name]);
                    row._side = side;
                });
            });
        });
        var lit = [];

        function clear() {
            lit.forEach(function (row) {
                row.classList.remove("runnable-aligned", "runnable-aligned-here");
            });
            lit = [];
        }

        // The rows of `side` that share a name with `row`, in line order.
        function sharing(row, side) {
            var found = [];
            row._pairNames.forEach(function (name) {
                (side.rows[name] || []).forEach(function (other) {
                    if (found.indexOf(other) < 0) {
                        found.push(other);
                    }
                });
            });
            return found.sort(function (a, b) {
                return side.lines.indexOf(a) - side.lines.indexOf(b);
            });
        }

        function other(side) {
            return side === sides[0] ? sides[1] : sides[0];
        }

        function light(row) {
            clear();
            var side = row._side;
            lit = sharing(row, side).concat(sharing(row, other(side)));
            lit.forEach(function (r) {
                r.classList.add("runnable-aligned");
            });
            row.classList.add("runnable-aligned-here");
        }

        var notes = document.createElement("div");
        notes.className = "runnable-align-notes";
        notes.hidden = true; // read through aria-describedby only; never copied
        compare.appendChild(notes);

        sides.forEach(function (side) {
            side.lines.forEach(function (row, i) {
                if (!row._pairNames) {
                    return;
                }
                var there = other(side);
                var counterparts = sharing(row, there);
                if (!counterparts.length) {
                    return; // the build refuses a lonely pair; nothing to link
                }
                var note = document.createElement("span");
                note.id = "runnable-align-" + (++counter);
                note.textContent = TEXT.pairsWith(label(there.pane), counterparts.map(function (r) {
                    return there.lines.indexOf(r) + 1;
                }), snippet(counterparts[0]));
                notes.appendChild(note);
                row.classList.add("runnable-paired");
                row.setAttribute("tabindex", "0");
                row.setAttribute("aria-describedby", note.id);
                row.setAttribute("data-line", String(i + 1));
                row.addEventListener("mouseenter", function () {
                    light(row);
                });
                row.addEventListener("mouseleave", function () {
                    if (document.activeElement && document.activeElement._side) {
                        light(document.activeElement); // keyboard focus stays lit
                    } else {
                        clear();
                    }
                });
                row.addEventListener("focus", function () {
                    light(row);
                });
                row.addEventListener("blur", clear);
                row.addEventListener("keydown", function (event) {
                    if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey) {
                        return;
                    }
                    event.preventDefault();
                    counterparts[0].focus();
                });
            });
        });
        compare.classList.add("runnable-compare-aligned");
    }

    function init() {
        document.querySelectorAll(".runnable-compare").forEach(wire);
    }

    // After theme/runnable.js has split the pane lines (its DOMContentLoaded
    // handler is registered first: book.toml lists it before this file).
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
