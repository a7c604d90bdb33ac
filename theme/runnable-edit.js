// mdbook-runnable: editable listings. The book build marks each listing or
// pane it can tie to one runnable program with `data-edit-id`
// (mdbook-runnable/src/edit.rs). With the local runner on
// (theme/runnable-runner.js, whose session and stream reader this reuses),
// each gets Edit / Run / Reset:
//
// - Edit turns the pane into an editor (Ace, which mdBook ships, in Rust or
//   Go mode; theme/mode-golang.js is vendored) holding the pane's text;
//   Escape leaves the editor;
// - Run sends the text (`POST /api/edit/ID`, the one request with a body):
//   the runner puts it into a scratch copy of the program's package, builds
//   and runs it, and says which edited lines the compiler named; those get
//   a mark in the editor's gutter;
// - Reset puts the book's text back and clears the marks.
//
// Without the runner nothing is added: the panes stay read-only.
(function () {
    "use strict";

    // Every string this script shows, in one place (for translation).
    var STRINGS = {
        edit: "Edit",
        run: "Run",
        running: "Running…",
        reset: "Reset",
        edited: "Edited: this is your version, not the book's. Reset brings the book's back.",
        editorLabel: "Editable code. Escape leaves the editor.",
        keys: "Tab indents; Escape leaves the editor.",
        marksTitle: "The compiler points at these lines of your version:",
        markLine: "line {line}",
        stopped: "The runner did not answer.",
        nothingSaved: "Your edits live in this page only: a reload brings the book's version back.",
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

    function button(className, text) {
        var b = el("button", "runnable-edit-button " + className, text);
        b.type = "button";
        return b;
    }

    function withNewline(text) {
        return text.endsWith("\n") ? text : text + "\n";
    }

    // The editor shows no empty line after the last one; the text sent ends
    // with a newline.
    function withoutNewline(text) {
        return text.replace(/\n$/, "");
    }

    // mdBook's dark themes get Ace's dark theme (both ship with mdBook).
    function aceTheme() {
        var html = document.documentElement;
        var dark = ["coal", "navy", "ayu"].some(function (t) {
            return html.classList.contains(t);
        });
        return dark ? "ace/theme/tomorrow_night" : "ace/theme/dawn";
    }

    // An Ace editor in `holder`, or a plain textarea when Ace is missing (a
    // build without mdBook's editor files): either way the same interface.
    function makeEditor(holder, lang, text, leave) {
        var ace = window.ace;
        if (ace && typeof ace.edit === "function") {
            var box = el("div", "runnable-edit-ace");
            holder.appendChild(box);
            var editor = ace.edit(box);
            editor.setOptions({
                highlightActiveLine: false,
                showPrintMargin: false,
                showLineNumbers: true,
                showGutter: true,
                maxLines: Infinity,
                fontSize: "0.875em",
            });
            editor.$blockScrolling = Infinity;
            editor.setTheme(aceTheme());
            // Wrapped like the panes: no editor scrolls sideways.
            editor.session.setUseWrapMode(true);
            editor.session.setMode(lang === "go" ? "ace/mode/golang" : "ace/mode/rust");
            editor.session.setUseSoftTabs(lang !== "go");
            editor.setValue(withoutNewline(text), -1);
            editor.textInput.getElement().setAttribute("aria-label", t("editorLabel"));
            // Ace keeps Tab for indenting: Escape is the way out.
            editor.commands.addCommand({
                name: "runnableLeave",
                bindKey: { win: "Esc", mac: "Esc" },
                exec: function () {
                    editor.blur();
                    leave();
                },
            });
            // mdBook sets the theme of the editors in this list when the
            // reader picks another theme.
            if (Array.isArray(window.editors)) {
                window.editors.push(editor);
            }
            var marked = [];
            return {
                get: function () {
                    return editor.getValue();
                },
                set: function (value) {
                    editor.setValue(withoutNewline(value), -1);
                },
                focus: function () {
                    editor.focus();
                },
                onChange: function (callback) {
                    editor.session.on("change", callback);
                },
                mark: function (marks) {
                    marked.forEach(function (row) {
                        editor.session.removeGutterDecoration(row, "runnable-edit-marked");
                    });
                    marked = marks.map(function (m) {
                        return m.line - 1;
                    });
                    marked.forEach(function (row) {
                        editor.session.addGutterDecoration(row, "runnable-edit-marked");
                    });
                    editor.session.setAnnotations(
                        marks.map(function (m) {
                            return {
                                row: m.line - 1,
                                column: m.column ? m.column - 1 : 0,
                                text: m.text,
                                type: m.kind === "warning" ? "warning" : "error",
                            };
                        })
                    );
                },
            };
        }
        var area = el("textarea", "runnable-edit-textarea");
        area.value = text;
        area.spellcheck = false;
        area.rows = Math.min(40, text.split("\n").length + 1);
        area.setAttribute("aria-label", t("editorLabel"));
        holder.appendChild(area);
        return {
            get: function () {
                return area.value;
            },
            set: function (value) {
                area.value = value;
            },
            focus: function () {
                area.focus();
            },
            onChange: function (callback) {
                area.addEventListener("input", callback);
            },
            mark: function () {},
        };
    }

    function wire(pane) {
        var id = pane.getAttribute("data-edit-id");
        var lang = pane.getAttribute("data-lang");
        var pre = pane.querySelector("pre");
        var code = pre && pre.querySelector("code");
        if (!code || pane.querySelector(".runnable-edit-controls")) {
            return;
        }
        var shipped = withNewline(code.textContent);
        var editor = null;

        var controls = el("p", "runnable-edit-controls");
        var editButton = button("runnable-edit-start", t("edit"));
        var runButton = button("runnable-edit-run", t("run"));
        var resetButton = button("runnable-edit-reset", t("reset"));
        runButton.hidden = true;
        resetButton.hidden = true;
        controls.appendChild(editButton);
        controls.appendChild(runButton);
        controls.appendChild(resetButton);
        var keys = el("span", "runnable-edit-keys", t("keys"));
        keys.hidden = true;
        controls.appendChild(keys);
        var edited = el("p", "runnable-edit-edited", t("edited"));
        edited.hidden = true;
        var holder = el("div", "runnable-edit-holder");
        holder.hidden = true;
        var marksBox = el("div", "runnable-edit-marks");
        marksBox.hidden = true;
        var result = el("div", "runnable-edit-result");
        result.hidden = true;
        pre.parentNode.insertBefore(holder, pre.nextSibling);
        holder.parentNode.insertBefore(controls, holder.nextSibling);
        controls.parentNode.insertBefore(edited, controls.nextSibling);
        edited.parentNode.insertBefore(marksBox, edited.nextSibling);
        marksBox.parentNode.insertBefore(result, marksBox.nextSibling);

        function showMarks(marks) {
            editor.mark(marks);
            marksBox.textContent = "";
            marksBox.hidden = !marks.length;
            if (!marks.length) {
                return;
            }
            marksBox.appendChild(el("p", "", t("marksTitle")));
            var list = el("ul");
            marks.forEach(function (m) {
                var item = el("li", "runnable-edit-mark");
                item.setAttribute("data-line", String(m.line));
                item.appendChild(el("strong", "", t("markLine", { line: m.line })));
                item.appendChild(document.createTextNode(": " + m.text));
                list.appendChild(item);
            });
            marksBox.appendChild(list);
        }

        function changed() {
            var differs = withNewline(editor.get()) !== shipped;
            edited.hidden = !differs;
            pane.classList.toggle("runnable-edited", differs);
        }

        editButton.addEventListener("click", function () {
            holder.hidden = false;
            pre.hidden = true;
            editButton.hidden = true;
            runButton.hidden = false;
            resetButton.hidden = false;
            keys.hidden = false;
            editor = makeEditor(holder, lang, shipped, function () {
                runButton.focus();
            });
            editor.onChange(changed);
            pane.classList.add("runnable-editing");
            editor.focus();
        });

        resetButton.addEventListener("click", function () {
            editor.set(shipped);
            showMarks([]);
            result.hidden = true;
            result.textContent = "";
            changed();
        });

        runButton.addEventListener("click", function () {
            var r = window.runnableRunner;
            var runner = r && r.session();
            if (!runner) {
                if (r) {
                    r.setNotice("restarted");
                }
                return;
            }
            runButton.disabled = true;
            runButton.textContent = t("running");
            result.hidden = false;
            result.textContent = "";
            showMarks([]);
            var phases = r.phaseList(result);
            r.stream(runner, "POST", "/api/edit/" + encodeURIComponent(id), phases.phase, withNewline(editor.get()))
                .then(function (last) {
                    if (last.refused) {
                        if (!r.handleTrouble(last.refused)) {
                            r.showRefusal(result, last.refused);
                        }
                    } else if (last.event === "done") {
                        var pre = el("pre", "runnable-run-output");
                        r.showRun(pre, last.result);
                        result.appendChild(pre);
                        result.appendChild(el("p", "runnable-edit-note", t("nothingSaved")));
                        showMarks((last.result.edit && last.result.edit.marks) || []);
                    } else {
                        r.showStreamError(result, last);
                    }
                })
                .catch(function () {
                    r.setNotice("stopped");
                    result.appendChild(el("p", "runnable-verdict-broken", t("stopped")));
                })
                .then(function () {
                    phases.stop();
                    runButton.disabled = false;
                    runButton.textContent = t("run");
                });
        });
    }

    var wired = false;

    function wireAll() {
        if (wired) {
            return;
        }
        wired = true;
        document.querySelectorAll("[data-edit-id]").forEach(wire);
    }

    function init() {
        if (!document.querySelector("[data-edit-id]")) {
            return;
        }
        var r = window.runnableRunner;
        if (r && r.isOn()) {
            wireAll();
        }
        document.addEventListener("runnable-runner-on", wireAll);
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
