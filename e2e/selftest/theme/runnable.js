// The self-test's stand-in for theme/runnable.js: quiz feedback, and the
// script error that bad.md asks for.
// A wrong pick says so and offers "Show answer"; a `selftest-reveals`
// question (bad.md) gives the answer away instead.
for (const q of document.querySelectorAll('.runnable-question:not(.selftest-no-js)')) {
  const feedback = q.querySelector('.runnable-feedback');
  const rightButton = q.querySelector(`.runnable-choice[data-index="${q.dataset.answer}"]`);
  for (const b of q.querySelectorAll('.runnable-choice')) {
    b.addEventListener('click', () => {
      const right = b.dataset.index === q.dataset.answer;
      feedback.hidden = false;
      if (right) {
        feedback.textContent = 'Right.';
      } else if (q.classList.contains('selftest-reveals')) {
        feedback.textContent = 'Not quite: the answer is A.';
        rightButton.classList.add('runnable-right');
      } else {
        feedback.textContent = 'Not quite: try again. ';
        const show = document.createElement('button');
        show.type = 'button';
        show.className = 'runnable-show-answer'; // as theme/runnable.js names it
        show.textContent = 'Show answer';
        show.addEventListener('click', () => rightButton.classList.add('runnable-right'));
        feedback.appendChild(show);
      }
    });
  }
}
// A Go block that highlight.js did not colour (book.js ran before this file).
for (const code of document.querySelectorAll('.selftest-unhighlighted code')) {
  code.textContent = code.textContent;
  code.classList.remove('hljs');
}
if (document.querySelector('.selftest-throw')) {
  throw new Error('selftest: a script error on purpose');
}
