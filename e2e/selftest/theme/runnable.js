// The self-test's stand-in for theme/runnable.js: quiz feedback, and the
// script error that bad.md asks for.
for (const q of document.querySelectorAll('.runnable-question:not(.selftest-no-js)')) {
  const feedback = q.querySelector('.runnable-feedback');
  for (const b of q.querySelectorAll('.runnable-choice')) {
    b.addEventListener('click', () => {
      const right = b.dataset.index === q.dataset.answer;
      feedback.hidden = false;
      feedback.textContent = right ? 'Right.' : 'Not quite: try again.';
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
