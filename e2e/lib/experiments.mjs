// Guided experiments ("Try it" cards, theme/runnable-experiments.js) in the
// browser, at 1280 px:
//
// 1. Without a runner: before a pick the edit and the outcome are hidden;
//    after a pick and "Apply the edit" the diff and the recorded outcome
//    show, the prediction is marked right or wrong, and there is no Run
//    button.
// 2. With the real runner (`--runner BIN`, on the scratch copy the runner
//    suite made): one Go and one Rust experiment run, and the page shows the
//    real result with "matches the outcome above".
//
// Screenshots go to OUT/experiments/.

import { mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openPage } from './browser.mjs';
import { startRunner } from './runner.mjs';
import { serve } from './server.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const GO = { page: 'close/index.html', id: 'close-twice' };
const RUST = { page: 'value/index.html', id: 'value-shared-self' };

export async function runExperimentsSuite({ bookDir, root, runnerBin, scratchDir, outDir, browser, report, log = console.log }) {
  const shots = join(outDir, 'experiments');
  await mkdir(shots, { recursive: true });
  await withoutRunner({ bookDir, shots, browser, report });
  if (runnerBin) await withRunner({ bookDir, root, runnerBin, scratchDir, shots, browser, report, log });
}

/** Picks the first choice, then applies the edit; what the card shows then. */
async function pickAndApply(card) {
  const before = await card.evaluate((c) => ({
    edit: c.querySelector('.runnable-experiment-edit').offsetParent !== null,
    claim: c.querySelector('.runnable-experiment-claim').offsetParent !== null,
  }));
  await card.locator('.runnable-experiment-choice').first().click();
  await card.locator('.runnable-experiment-apply').click();
  const after = await card.evaluate((c) => ({
    diff: c.querySelector('.runnable-experiment-edit pre code')?.offsetParent !== null
      ? c.querySelector('.runnable-experiment-edit pre code').textContent : null,
    claim: c.querySelector('.runnable-experiment-claim').offsetParent !== null
      ? c.querySelector('.runnable-experiment-outcome').innerText : null,
    feedback: c.querySelector('.runnable-experiment-feedback').innerText,
    run: c.querySelector('.runnable-experiment-run')?.offsetParent !== null,
  }));
  return { before, after };
}

async function withoutRunner({ bookDir, shots, browser, report }) {
  const server = await serve(bookDir);
  const scope = { page: `${GO.page} (experiments, no runner)`, width: VIEWPORT.width };
  const { context, page, events } = await openPage(browser, VIEWPORT);
  try {
    await page.goto(`${server.origin}/${GO.page}`, { waitUntil: 'load' });
    const card = page.locator(`.runnable-experiment[data-experiment="${GO.id}"]`);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'question.1280.png') });
    const { before, after } = await pickAndApply(card);
    report.check(scope, 'before a pick the edit and the outcome are hidden; after "Apply the edit" the diff and the recorded outcome show, the prediction is judged, and there is no Run button', [
      ...(before.edit || before.claim ? [`shown before a pick: ${JSON.stringify(before)}`] : []),
      ...(after.diff && /^-.*\n\+/m.test(after.diff) ? [] : [`no diff shown: ${JSON.stringify(after.diff)}`]),
      ...(after.claim && /exits with status 2/.test(after.claim) ? [] : [`no recorded outcome: ${JSON.stringify(after.claim)}`]),
      ...(/^(Right|Not quite)/.test(after.feedback) ? [] : [`feedback: ${JSON.stringify(after.feedback)}`]),
      ...(after.run ? ['a Run button shows without a runner'] : []),
    ]);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'applied-no-runner.1280.png') });
    report.check(scope, 'no JavaScript error, nothing leaves the machine', [...events.console, ...events.offline]);
  } finally {
    await context.close();
    await server.close();
  }
}

async function withRunner({ bookDir, root, runnerBin, scratchDir, shots, browser, report, log }) {
  const scope = { page: 'experiments (runner)', width: VIEWPORT.width };
  const server = await serve(bookDir);
  const bookPort = new URL(server.origin).port;
  let runner;
  try {
    runner = await startRunner(runnerBin, scratchDir, root, bookPort, '0');
  } catch (e) {
    report.check(scope, 'the runner starts', [String(e.message ?? e)]);
    await server.close();
    return;
  }
  const { context, page } = await openPage(browser, VIEWPORT);
  // A first Rust experiment compiles the listings' dependencies once.
  context.setDefaultTimeout(700_000);
  try {
    await page.goto(runner.url.replace('/#', `/${GO.page}#`), { waitUntil: 'load' });
    const on = await page.waitForSelector('body.runnable-runner-on', { timeout: 15_000 }).then(() => true, () => false);
    if (!on) {
      report.check(scope, 'the runner turns on', ['body.runnable-runner-on never appeared']);
      return;
    }
    const hasGo = spawnSync('go', ['version']).status === 0;
    if (!hasGo) report.note('skipped: go not found (the Go experiment not run)');
    for (const { page: path, id } of hasGo ? [GO, RUST] : [RUST]) {
      await page.goto(`${server.origin}/${path}`, { waitUntil: 'load' });
      await page.waitForSelector('body.runnable-runner-on', { timeout: 15_000 });
      const card = page.locator(`.runnable-experiment[data-experiment="${id}"]`);
      await card.scrollIntoViewIfNeeded();
      await pickAndApply(card);
      log(`experiment ${id}: running the edited copy`);
      await card.locator('.runnable-experiment-run').click();
      const problems = [];
      try {
        await card.locator('.runnable-experiment-verdict, .runnable-verdict-broken').first().waitFor();
        const verdict = card.locator('.runnable-experiment-verdict');
        const matches = await verdict.getAttribute('data-matches').catch(() => null);
        const output = await card.locator('.runnable-experiment-result').innerText();
        if (matches !== 'true') problems.push(`the run did not match the claim: ${output.slice(0, 600)}`);
      } catch (e) {
        problems.push(String(e?.message ?? e).split('\n')[0]);
      }
      report.check(scope, `experiment ${id}: "Run the edited copy" shows the real result and it matches the claim`, problems);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, `${id}.1280.png`) });
    }
  } finally {
    await context.close();
    runner?.child.kill('SIGTERM');
    await server.close();
  }
}
