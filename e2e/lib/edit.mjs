// Editable listings (theme/runnable-edit.js) in the browser, at 1280 px:
//
// 1. Without a runner (the book served as files): no Edit button anywhere on
//    a page full of editable listings, no editor, the panes read-only.
// 2. With the real runner (`--runner BIN`, on the scratch copy the runner
//    suite made): on slices/index.html, Edit a Go pane, change a printed
//    word and Run: the new word is in the output; Escape leaves the editor
//    for the Run button; a Go syntax error is marked on the pane's own line
//    (gutter and list), and Reset brings the book's text back and clears
//    the marks; Edit a Rust pane, change a word, Run, see it. Every request
//    is intercepted: none leaves 127.0.0.1.
//
// Screenshots go to OUT/edit/.

import { mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openPage } from './browser.mjs';
import { startRunner } from './runner.mjs';
import { serve } from './server.mjs';

const VIEWPORT = { width: 1280, height: 800 };
const PAGE = 'slices/index.html';
// `{{#listing go/slices/cmd/alias/main.go:alias run=...}}` and the Rust
// listing `listings/src/slices.rs:alias` (its run: slice_alias).
const GO = { id: 'go-slices-cmd-alias-main-go-alias', from: 'b and c share one array:', to: 'b and c share ONE array:' };
const RUST = { id: 'listings-src-slices-rs-alias', from: 'b and c share one buffer', to: 'b and c share ONE buffer' };

export async function runEditSuite({ bookDir, root, runnerBin, scratchDir, outDir, browser, report, log = console.log }) {
  const shots = join(outDir, 'edit');
  await mkdir(shots, { recursive: true });
  await withoutRunner({ bookDir, shots, browser, report });
  if (runnerBin) await withRunner({ bookDir, root, runnerBin, scratchDir, shots, browser, report, log });
}

async function withoutRunner({ bookDir, shots, browser, report }) {
  const server = await serve(bookDir);
  const scope = { page: `${PAGE} (edit, no runner)`, width: VIEWPORT.width };
  const { context, page, events } = await openPage(browser, VIEWPORT);
  try {
    await page.goto(`${server.origin}/${PAGE}`, { waitUntil: 'load' });
    await page.waitForTimeout(300);
    const seen = await page.evaluate(() => ({
      marked: document.querySelectorAll('[data-edit-id]').length,
      buttons: document.querySelectorAll('.runnable-edit-controls, .runnable-edit-button').length,
      editors: document.querySelectorAll('.ace_editor, .runnable-edit-textarea, [contenteditable="true"]').length,
    }));
    report.check(scope, 'listings are marked editable in the HTML, but without the runner there is no Edit button and no editor', [
      ...(seen.marked > 0 ? [] : ['no listing carries data-edit-id']),
      ...(seen.buttons === 0 ? [] : [`${seen.buttons} edit controls shown without a runner`]),
      ...(seen.editors === 0 ? [] : [`${seen.editors} editors without a runner`]),
    ]);
    await page.locator(`[data-edit-id="${GO.id}"]`).first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'no-runner.1280.png') });
    report.check(scope, 'no JavaScript error, nothing leaves the machine', [...events.console, ...events.offline]);
  } finally {
    await context.close();
    await server.close();
  }
}

/** The text in the pane's editor (Ace, or the fallback textarea). */
function editorText(pane) {
  return pane.evaluate((p) => {
    const ace = p.querySelector('.ace_editor');
    if (ace && ace.env && ace.env.editor) return ace.env.editor.getValue();
    return p.querySelector('.runnable-edit-textarea')?.value ?? null;
  });
}

/** Replaces everything in the pane's editor as a reader would: select all, type. */
async function typeInto(page, pane, text) {
  await pane.locator('.runnable-edit-holder').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** Runs the pane's text; the result box's text once a run finished. */
async function run(pane) {
  await pane.locator('.runnable-edit-run').click();
  await pane.locator('.runnable-run-output, .runnable-verdict-broken').first().waitFor();
  return pane.locator('.runnable-edit-result').innerText();
}

async function withRunner({ bookDir, root, runnerBin, scratchDir, shots, browser, report, log }) {
  const scope = { page: `${PAGE} (edit, runner)`, width: VIEWPORT.width };
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
  const { context, page, events } = await openPage(browser, VIEWPORT);
  // A first Rust edit compiles the listings crate (its dependencies are
  // shared with the experiments, compiled once).
  context.setDefaultTimeout(700_000);
  try {
    await page.goto(runner.url.replace('/#', `/${PAGE}#`), { waitUntil: 'load' });
    const on = await page.waitForSelector('.runnable-edit-start', { timeout: 15_000 }).then(() => true, () => false);
    if (!on) {
      report.check(scope, 'Edit buttons appear once the runner answers', ['no .runnable-edit-start appeared']);
      return;
    }
    const hasGo = spawnSync('go', ['version']).status === 0;
    if (!hasGo) report.note('skipped: go not found (the Go edits not run)');
    if (hasGo) await goPane(page, shots, report, scope, log);
    await rustPane(page, shots, report, scope, log);
    report.check(scope, 'no JavaScript error, no request leaves 127.0.0.1', [...events.console, ...events.offline]);
  } finally {
    await context.close();
    runner?.child.kill('SIGTERM');
    await server.close();
  }
}

async function goPane(page, shots, report, scope, log) {
  const pane = page.locator(`[data-edit-id="${GO.id}"]`).first();
  await pane.scrollIntoViewIfNeeded();
  const shipped = await pane.locator('pre code').evaluate((c) => c.textContent);
  await pane.locator('.runnable-edit-start').click();
  const opened = await editorText(pane);
  report.check(scope, 'Edit opens an editor holding the pane\'s text', [
    ...(opened && opened.trim() === shipped.trim() ? [] : [`editor: ${JSON.stringify(opened?.slice(0, 200))}`]),
  ]);
  // Escape leaves the editor (Ace keeps Tab for indenting): focus moves on.
  // Ace focuses its text input after a click in a task of its own: on a
  // busy machine that can come after an Escape pressed at once, and pull the
  // focus back. So the Escape waits until the input has the focus, and the
  // check gives the focus two seconds to move on (a trap never lets it).
  await pane.locator('.runnable-edit-holder').click();
  await page
    .waitForFunction(() => /ace_text-input/.test(document.activeElement?.className ?? ''), null, { timeout: 5000 })
    .catch(() => {});
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.keyboard.press('Escape');
  await page
    .waitForFunction(() => /runnable-edit-run/.test(document.activeElement?.className ?? ''), null, { timeout: 2000 })
    .catch(() => {});
  const focused = await page.evaluate(() => document.activeElement?.className ?? '');
  report.check(scope, 'Escape leaves the editor for the Run button (no focus trap)', [
    ...(/runnable-edit-run/.test(focused) ? [] : [`focus after Escape: ${JSON.stringify(focused)}`]),
  ]);

  log(`edit ${GO.id}: running a changed word`);
  await typeInto(page, pane, shipped.replace(GO.from, GO.to));
  const edited = await pane.locator('.runnable-edit-edited').isVisible();
  const out = await run(pane);
  report.check(scope, 'a Go pane with a changed printed word runs, and its output has the new word', [
    ...(out.includes(GO.to) ? [] : [`output: ${out.slice(0, 600)}`]),
    ...(edited ? [] : ['the pane does not say it was edited']),
  ]);
  await page.screenshot({ path: join(shots, 'go-edited.1280.png') });

  // Pane line 3 becomes a syntax error.
  const lines = shipped.replace(/\n$/, '').split('\n');
  lines[2] = '\tfmt.Println("a:" a)';
  log(`edit ${GO.id}: a syntax error on pane line 3`);
  await typeInto(page, pane, lines.join('\n') + '\n');
  const broken = await run(pane);
  // Ace draws its gutter on the next frame.
  await pane.locator('.ace_gutter-cell.runnable-edit-marked').first().waitFor({ timeout: 5_000 }).catch(() => {});
  const marks = await pane.evaluate((p) => ({
    listed: [...p.querySelectorAll('.runnable-edit-mark')].map((li) => li.getAttribute('data-line')),
    gutter: [...p.querySelectorAll('.ace_gutter-cell.runnable-edit-marked')].map((c) => c.textContent.trim()),
  }));
  report.check(scope, 'a Go syntax error is mapped to the pane\'s line: the output names it, the list and the gutter mark line 3', [
    ...(/did not build/.test(broken) ? [] : [`no failed build shown: ${broken.slice(0, 400)}`]),
    ...(/\(line 3 in the editor\)/.test(broken) ? [] : [`the output does not name line 3: ${broken.slice(0, 400)}`]),
    ...(marks.listed.length === 1 && marks.listed[0] === '3' ? [] : [`listed marks: ${JSON.stringify(marks.listed)}`]),
    ...(marks.gutter.length === 1 && marks.gutter[0] === '3' ? [] : [`gutter marks: ${JSON.stringify(marks.gutter)}`]),
  ]);
  await pane.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'go-syntax-error.1280.png') });

  await pane.locator('.runnable-edit-reset').click();
  const reset = await editorText(pane);
  const after = await pane.evaluate((p) => ({
    marks: p.querySelectorAll('.runnable-edit-mark, .ace_gutter-cell.runnable-edit-marked').length,
    edited: p.querySelector('.runnable-edit-edited').offsetParent !== null,
  }));
  report.check(scope, 'Reset brings the book\'s text back and clears the marks', [
    ...(reset && reset.trim() === shipped.trim() ? [] : [`after Reset: ${JSON.stringify(reset?.slice(0, 200))}`]),
    ...(after.marks === 0 ? [] : [`${after.marks} marks left`]),
    ...(after.edited ? ['still says it was edited'] : []),
  ]);
}

async function rustPane(page, shots, report, scope, log) {
  const pane = page.locator(`[data-edit-id="${RUST.id}"]`).first();
  await pane.scrollIntoViewIfNeeded();
  const shipped = await pane.locator('pre code').evaluate((c) => c.textContent);
  await pane.locator('.runnable-edit-start').click();
  log(`edit ${RUST.id}: running a changed word (the first Rust edit compiles the listings crate)`);
  await typeInto(page, pane, shipped.replace(RUST.from, RUST.to));
  const out = await run(pane);
  report.check(scope, 'a Rust pane with a changed printed word runs, and its output has the new word', [
    ...(shipped.includes(RUST.from) ? [] : [`the pane no longer shows ${JSON.stringify(RUST.from)}`]),
    ...(out.includes(RUST.to) ? [] : [`output: ${out.slice(0, 600)}`]),
  ]);
  await pane.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'rust-edited.1280.png') });
}
