// mdbook-runnable: makes {{#quiz}} questions answerable. Offline and
// dependency-free. Without JS the answer and explanation stay readable in
// each question's <details>.
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

    function init() {
        document.querySelectorAll(".runnable-quiz").forEach(function (quiz) {
            // Marks a quiz whose buttons work, for styles and browser tests.
            quiz.classList.add("runnable-quiz-js");
            quiz.querySelectorAll(".runnable-question").forEach(wire);
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", init);
    } else {
        init();
    }
})();
