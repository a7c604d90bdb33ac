// Run and Check in the browser, with the real local runner (runner/): the
// book is served from book/ on 127.0.0.1, the runner grades a scratch copy of
// the repository (so the learner's exercises/ is never touched), every
// request is still kept on this machine (lib/browser.mjs).
//
// 1. Without the runner (no `#runner=` fragment): the commands are plain
//    copyable lines, no button, no request to anything but the book.
// 2. With it: Run on a Go pane and a Rust pane shows the program's output;
//    Check on a starter shows the checks exercises.toml says must fail; with
//    the reference solution in the scratch copy's file, Check passes.
//    Check needs `cargo xtask check ID --json`: without it, that part is
//    reported as "skipped: cargo xtask check not available".

import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { openPage } from './browser.mjs';
import { serve } from './server.mjs';

const PAGE = 'leak/index.html';
const EXERCISE = 'leak_coordinator';

export async function runRunnerSuite({ bookDir, root, runnerBin, scratchDir, browser, report, log = console.log }) {
  const scope = { page: `${PAGE} (runner)` };
  const check = (name, problems) => report.check(scope, name, problems);
  const server = await serve(bookDir);
  const bookPort = new URL(server.origin).port;
  let runner;
  try {
    // 1. Plain `mdbook serve`: no fragment, so the page never probes.
    {
      const { context, page, events } = await openPage(browser, { width: 1280, height: 800 });
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${server.origin}/${PAGE}`, { waitUntil: 'load' });
      const shown = await page.evaluate(() => ({
        lines: [...document.querySelectorAll('.runnable-run[data-command] code')].filter((c) => c.textContent.trim()).length,
        buttons: document.querySelectorAll('.runnable-run-button, .runnable-check-button').length,
      }));
      await context.close();
      const foreign = requests.filter((u) => !u.startsWith(server.origin));
      check('without the runner: commands shown as text, no buttons, no other request', [
        ...(shown.lines > 0 ? [] : ['no run line with its command']),
        ...(shown.buttons === 0 ? [] : [`${shown.buttons} Run/Check buttons without a runner`]),
        ...foreign.map((u) => `request to ${u}`),
        ...events.console, ...events.offline, ...events.failed,
      ]);
    }

    // 2. The runner, grading a scratch copy.
    await makeScratch(root, scratchDir);
    const started = await startRunner(runnerBin, scratchDir, root, bookPort);
    runner = started.child;
    log(`runner: ${runnerBin} on port ${started.port}, grading ${scratchDir}`);
    const { context, page, events } = await openPage(browser, { width: 1280, height: 800 });
    context.setDefaultTimeout(180_000); // a Run may compile first
    try {
      await page.goto(`${server.origin}/${PAGE}#runner=${started.port}:${started.token}`, { waitUntil: 'load' });
      await page.waitForSelector('body.runnable-runner-on', { timeout: 15_000 });
      const fragment = await page.evaluate(() => location.hash);
      check('the token leaves the address bar', fragment === '' ? [] : [`location.hash is still ${fragment}`]);

      const hasGo = spawnSync('go', ['version']).status === 0;
      if (!hasGo) report.note('skipped: go not found (Run on the Go pane not tested)');
      const panes = [['go', 'go/leak/testdata/oneshot.out'], ['rust', 'listings/output/leak_pipeline.out']];
      for (const [lang, golden] of panes.filter(([lang]) => hasGo || lang !== 'go')) {
        const pane = page.locator(`.runnable-compare .runnable-pane[data-lang="${lang}"]`).first();
        await pane.locator('.runnable-run-button').click();
        const out = pane.locator('.runnable-run-output');
        await out.filter({ hasText: /exit status|stopped|signal/ }).waitFor();
        const text = await out.innerText();
        const want = (await readFile(join(root, golden), 'utf8')).split('\n')[0];
        check(`Run on the ${lang} pane shows the program's output`, [
          ...(text.includes(want) ? [] : [`output lacks ${JSON.stringify(want)}: ${text.slice(0, 400)}`]),
          ...(/exit status 0/.test(text) ? [] : [`not exit status 0: ${text.slice(-200)}`]),
        ]);
      }

      const card = page.locator(`.runnable-exercise[data-exercise="${EXERCISE}"]`);
      const verdict = card.locator('.runnable-verdict');
      await card.locator('.runnable-check-button').click();
      await verdict.locator('p').first().waitFor();
      var hasCheck = xtaskHasCheck(root);
      if (!hasCheck) {
        const text = await verdict.innerText();
        check('Check without a grader says so in the card', /did not answer|did not print/.test(text) ? [] : [text.slice(0, 300)]);
        report.note('skipped: cargo xtask check not available (Check on a starter and on the solution not tested)');
        log('skipped: cargo xtask check not available');
      } else {
        const failing = await failingChecks(root, EXERCISE);
        const failed = await card.locator('.runnable-check-failed code').allInnerTexts();
        const head = await verdict.locator('p').first().innerText();
        check(`Check on the starter shows its declared failing checks (${failing.join(', ')})`, [
          ...(head.startsWith('Not yet') ? [] : [`verdict: ${head}`]),
          ...(same(failed, failing) ? [] : [`failed checks shown: ${failed.join(', ')}`]),
        ]);
        await copyFile(join(scratchDir, 'solutions/src', `${EXERCISE}.rs`), join(scratchDir, 'exercises/src', `${EXERCISE}.rs`));
        await card.locator('.runnable-check-button').click();
        await verdict.locator('p', { hasText: /^Passed/ }).waitFor().catch(() => {});
        const after = await verdict.innerText();
        // The badge follows the card's own verdict at once; give it a moment
        // anyway rather than race the page.
        await card.locator('.runnable-progress', { hasText: /^done$/ }).waitFor({ timeout: 30_000 }).catch(() => {});
        const badge = await card.locator('.runnable-progress').innerText();
        check('Check with the reference solution passes, and the badge says done', [
          ...(after.startsWith('Passed') ? [] : [`verdict: ${after.slice(0, 300)}`]),
          ...(badge === 'done' ? [] : [`badge: ${JSON.stringify(badge)}`]),
        ]);
      }
      // Without `cargo xtask check`/`progress --json` the runner answers 502
      // (its grader printed no verdict): expected then, and only then.
      const graderMissing = (e) => !hasCheck && /\/api\/(check\/|progress)/.test(e) && /502/.test(e);
      check('with the runner: no JavaScript error, nothing leaves the machine, no failed request',
        [...events.console, ...events.offline, ...events.failed].filter((e) => !graderMissing(e)));
    } finally {
      await context.close();
    }
  } finally {
    runner?.kill('SIGTERM');
    await server.close();
  }
}

function same(a, b) {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

function xtaskHasCheck(root) {
  const help = spawnSync('cargo', ['xtask', 'help'], { cwd: root, encoding: 'utf8' });
  return /^\s+check\b/m.test(help.stdout ?? '');
}

/** `failing_checks` of one exercise, read from exercises.toml. */
async function failingChecks(root, id) {
  const toml = await readFile(join(root, 'exercises/exercises.toml'), 'utf8');
  const block = toml.split('[[exercise]]').find((b) => new RegExp(`^id = "${id}"$`, 'm').test(b)) ?? '';
  const list = /failing_checks = \[([^\]]*)\]/.exec(block)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** The repository's tracked files, copied: the learner's tree stays as it is. */
async function makeScratch(root, dir) {
  await rm(dir, { recursive: true, force: true });
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(root, file), join(dir, file)).catch(() => {});
  }
}

/** Starts the runner on a free port; resolves once it printed its URL. */
function startRunner(bin, scratch, root, bookPort) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [
      '--root', scratch,
      '--port', '0',
      '--book-port', bookPort,
      '--commands', join(root, 'target/runnable/commands.json'),
    ], {
      // The scratch copy builds into a target folder of its own (kept between
      // runs, so only the first is slow). Sharing the real
      // one saved a build, but Cargo then recorded the scratch copy's source
      // files in the workspace's fingerprints, and later builds of the real
      // tree compared the wrong files' times: edits to xtask or listings went
      // unnoticed ("Fresh") until `cargo clean`.
      env: { ...process.env, CARGO_TARGET_DIR: join(root, 'target', 'e2e-scratch-target') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = '';
    child.once('error', reject);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = /#runner=(\d+):([0-9a-f]{48})/.exec(seen);
      if (m) resolve({ child, port: m[1], token: m[2] });
    });
    child.once('exit', (code) => reject(new Error(`the runner exited (${code}) before printing its URL: ${seen}`)));
  });
}
