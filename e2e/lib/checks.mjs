// The checks run on one chapter page at one width. Each looks for its feature
// on the page and checks every instance of it; a page without the feature
// skips the check (run.mjs notes features that no page of the book has).

import {
  compareBoxes,
  contrastProblems,
  hangProblems,
  highlightProblems,
  horizontalOverflow,
  paneFitProblems,
} from './inpage.mjs';

export const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];
export const CONTRAST = { normal: 4.5, large: 3 };
/** The text whose contrast is checked: every block the preprocessor renders. */
export const RUNNABLE_ROOTS = '.runnable-compare, .runnable-exercise, .runnable-quiz, .runnable-experiment, .runnable-listing, .runnable-output, .runnable-progress-page, .runnable-runner-notice';

const SLACK = 2; // px: rounding in layout

export async function highlight(page) {
  return page.evaluate(highlightProblems);
}

/** Side by side on a wide screen, stacked on a phone: the panes' boxes tell. */
export async function compareLayout(page, viewport) {
  const problems = [];
  const compares = await page.evaluate(compareBoxes);
  compares.forEach((c, i) => {
    const name = `compare #${i + 1} (${c.langs.join(' | ')})`;
    if (c.panes.length !== 2) {
      problems.push(`${name}: ${c.panes.length} visible panes, expected 2 (Go and Rust)`);
      return;
    }
    const [a, b] = c.panes;
    if (a.width < 50 || a.height < 20 || b.width < 50 || b.height < 20) {
      problems.push(`${name}: a pane is too small to read (${Math.round(a.width)}x${Math.round(a.height)}, ${Math.round(b.width)}x${Math.round(b.height)})`);
    }
    const sideBySide = Math.abs(a.top - b.top) <= SLACK && b.left >= a.right - SLACK;
    const stacked = b.top >= a.bottom - SLACK && Math.abs(a.left - b.left) <= SLACK;
    if (viewport.layout === 'side-by-side' && !sideBySide) {
      problems.push(`${name}: not side by side at ${viewport.width}px: first pane at (${Math.round(a.left)},${Math.round(a.top)})-(${Math.round(a.right)},${Math.round(a.bottom)}), second at (${Math.round(b.left)},${Math.round(b.top)})-(${Math.round(b.right)},${Math.round(b.bottom)})`);
    }
    if (viewport.layout === 'stacked' && !stacked) {
      problems.push(`${name}: not stacked at ${viewport.width}px: first pane at (${Math.round(a.left)},${Math.round(a.top)})-(${Math.round(a.right)},${Math.round(a.bottom)}), second at (${Math.round(b.left)},${Math.round(b.top)})-(${Math.round(b.right)},${Math.round(b.bottom)})`);
    }
  });
  return problems;
}

/** Every pane's code fits its box: no line needs sideways scrolling. */
export async function paneFit(page) {
  return page.evaluate(paneFitProblems);
}

/** A wrapped pane line continues to the right of where its code starts. */
export async function paneHang(page) {
  return page.evaluate(hangProblems);
}

export async function noSidewaysScroll(page) {
  return page.evaluate(horizontalOverflow);
}

/** Every exercise card is on screen with its title, task and grading command. */
export async function exerciseCards(page) {
  const problems = [];
  const cards = page.locator('.runnable-exercise');
  const n = await cards.count();
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i);
    const id = (await card.getAttribute('data-exercise')) || `#${i + 1}`;
    if (!(await card.isVisible())) {
      problems.push(`exercise card ${id} is not visible`);
      continue;
    }
    const box = await card.boundingBox();
    if (!box || box.width < 100 || box.height < 50) problems.push(`exercise card ${id} is too small to read (${JSON.stringify(box)})`);
    const text = (await card.innerText()).trim();
    if (text.length < 20) problems.push(`exercise card ${id} shows almost no text: "${text}"`);
    if (!/cargo (test|xtask)/.test(text)) {
      problems.push(`exercise card ${id} does not show its grading command (no "cargo test" or "cargo xtask" in its text)`);
    }
  }
  return problems;
}

/** Clicking a hint's or the solution's summary opens it and shows its content. */
export async function hintsAndSolutions(page) {
  const problems = [];
  const spoilers = page.locator('.runnable-exercise details.runnable-hint, .runnable-exercise details.runnable-solution');
  const n = await spoilers.count();
  for (let i = 0; i < n; i++) {
    const details = spoilers.nth(i);
    const info = await details.evaluate((d) => ({
      card: d.closest('.runnable-exercise')?.dataset.exercise ?? '?',
      kind: d.classList.contains('runnable-solution') ? 'solution' : 'hint',
      label: d.querySelector('summary')?.textContent.trim().slice(0, 40) ?? '',
      open: d.open,
    }));
    const name = `exercise ${info.card}: ${info.kind} "${info.label}"`;
    if (info.open) {
      problems.push(`${name} is open before any click: a spoiler must start collapsed`);
      continue;
    }
    const summary = details.locator(':scope > summary');
    if (!(await summary.isVisible())) {
      problems.push(`${name}: its summary is not visible, nothing to click`);
      continue;
    }
    await summary.click();
    const after = await details.evaluate((d) => {
      const shown = [...d.children].filter((c) => c.tagName !== 'SUMMARY' && c.getClientRects().length > 0);
      return {
        open: d.open,
        shown: shown.length,
        text: shown.map((c) => c.innerText).join(' ').trim().length,
        code: d.querySelector('pre code')?.getClientRects().length > 0,
      };
    });
    if (!after.open) problems.push(`${name}: clicking its summary did not open it`);
    else if (after.shown === 0 || after.text === 0) problems.push(`${name}: opened, but shows no content`);
    else if (info.kind === 'solution' && !after.code) problems.push(`${name}: opened, but shows no code`);
  }
  return problems;
}

/**
 * Every question can be answered: a click on a choice shows feedback. Odd
 * questions get the right answer, even ones a wrong one, so both kinds of
 * feedback are seen; they must differ. A wrong pick must not give the answer
 * away (issue 23): no choice marked right, the explanation still closed, no
 * "the answer is"; a "Show answer" button reveals it.
 * Returns `{ problems, hidden }`: the second list for the answer-hiding part.
 */
export async function quizzes(page) {
  const problems = [];
  const hidden = [];
  const questions = page.locator('.runnable-quiz .runnable-question');
  const n = await questions.count();
  const feedback = { right: new Set(), wrong: new Set() };
  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    const { quiz, answer, choices } = await q.evaluate((e) => ({
      quiz: e.closest('.runnable-quiz')?.dataset.quiz ?? '?',
      answer: Number(e.dataset.answer),
      choices: e.querySelectorAll('.runnable-choice').length,
    }));
    const name = `quiz ${quiz} question ${i + 1}`;
    if (choices < 2) {
      problems.push(`${name}: ${choices} choice buttons, expected at least 2`);
      continue;
    }
    const right = i % 2 === 0;
    const index = right ? answer : (answer + 1) % choices;
    const button = q.locator(`.runnable-choice[data-index="${index}"]`);
    if (!(await button.isVisible())) {
      problems.push(`${name}: choice ${index} is not visible`);
      continue;
    }
    await button.click();
    const fb = q.locator('.runnable-feedback');
    try {
      await fb.first().waitFor({ state: 'visible', timeout: 2000 });
    } catch {
      problems.push(`${name}: clicking ${right ? 'the right' : 'a wrong'} choice showed no feedback (.runnable-feedback stayed hidden)`);
      continue;
    }
    const text = (await fb.first().innerText()).trim();
    if (!text) {
      problems.push(`${name}: the feedback after clicking ${right ? 'the right' : 'a wrong'} choice is empty`);
      continue;
    }
    feedback[right ? 'right' : 'wrong'].add(text);
    if (!right) hidden.push(...(await wrongPickKeepsTheAnswer(q, name, answer, text)));
  }
  for (const t of feedback.right) {
    if (feedback.wrong.has(t)) problems.push(`the feedback for a right and a wrong answer is the same: "${t}"`);
  }
  return { problems, hidden };
}

async function wrongPickKeepsTheAnswer(q, name, answer, text) {
  const problems = [];
  const state = await q.evaluate((e) => ({
    marked: [...e.querySelectorAll('.runnable-choice.runnable-right')].map((b) => b.dataset.index),
    open: e.querySelector('details.runnable-explanation')?.open ?? false,
  }));
  const letter = String.fromCharCode(65 + answer);
  if (state.marked.length) problems.push(`${name}: a wrong pick marks choice ${state.marked.join(', ')} as right: it reveals the answer`);
  if (state.open) problems.push(`${name}: a wrong pick opens the explanation: it reveals the answer`);
  // In English, and in the Chinese edition (答案是 B).
  if (/answer is|答案是/i.test(text) || new RegExp(`\\b(answer|it)(?: was| is)?:? ${letter}\\b`).test(text)) {
    problems.push(`${name}: the feedback to a wrong pick names the answer: "${text}"`);
  }
  const show = q.locator('button.runnable-show-answer'); // "Show answer" in any language
  if ((await show.count()) === 0) {
    problems.push(`${name}: after a wrong pick there is no "Show answer" button`);
    return problems;
  }
  await show.first().click();
  const after = await q.evaluate((e, a) => ({
    marked: e.querySelector(`.runnable-choice.runnable-right[data-index="${a}"]`) !== null,
    open: e.querySelector('details.runnable-explanation')?.open ?? null,
  }), answer);
  if (!after.marked && after.open !== true) problems.push(`${name}: "Show answer" shows nothing (no choice marked right, no explanation open)`);
  return problems;
}

/**
 * Opens every collapsed part, so that the contrast check sees its text too
 * (an experiment card's edit and outcome wait for "Apply the edit").
 */
export async function openEverything(page) {
  await page.evaluate((roots) => {
    for (const d of document.querySelectorAll(`:is(${roots}) details`)) d.open = true;
    for (const c of document.querySelectorAll('.runnable-experiment[data-step]')) c.setAttribute('data-step', 'applied');
  }, RUNNABLE_ROOTS);
}

/**
 * Switches theme through mdBook's own menu, as a reader would: open the
 * menu (it stays open after a choice), pick the theme, close the menu.
 */
export async function switchTheme(page, theme) {
  const toggle = page.locator('#mdbook-theme-toggle');
  const menu = page.locator('#mdbook-theme-list');
  // mdBook's menu bar slides away as the reader scrolls down: go back up to it.
  await page.evaluate(() => scrollTo(0, 0));
  await page.waitForFunction(() => {
    const r = document.querySelector('#mdbook-theme-toggle')?.getBoundingClientRect();
    return r && r.top >= 0 && r.bottom <= innerHeight;
  }, null, { timeout: 2000 }).catch(() => {});
  if (!(await toggle.isVisible())) return [`mdBook's theme button (#mdbook-theme-toggle) is not visible`];
  const item = page.locator(`#mdbook-theme-${theme}`);
  // On a loaded machine a click can land while the menu bar is still sliding
  // back in and be lost: a reader would click again, so the test does too.
  let offered = false;
  for (let attempt = 0; attempt < 3 && !offered; attempt++) {
    if (!(await menu.isVisible())) await toggle.click();
    offered = await item.waitFor({ state: 'visible', timeout: 3000 }).then(() => true, () => false);
  }
  if (!offered) {
    return [`the theme menu did not offer "${theme}" (#mdbook-theme-${theme} not visible after clicking the theme button three times)`];
  }
  await item.click();
  if (await menu.isVisible()) await toggle.click();
  const applied = await page.evaluate((t) => document.documentElement.classList.contains(t), theme);
  return applied ? [] : [`choosing "${theme}" in the theme menu did not put class "${theme}" on <html>`];
}

export async function contrast(page) {
  const { checked, problems } = await page.evaluate(contrastProblems, { selector: RUNNABLE_ROOTS, ...CONTRAST });
  return { checked, problems };
}
