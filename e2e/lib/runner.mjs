// Run and Check in the browser: the page's side of the runner protocol
// (runner/README.md). Three parts, each in its own browser context:
//
// 1. No runner, no credential: one line at the top of the page and on each
//    card says Run and Check are off and how to turn them on; no button,
//    no request but the book's; the progress page names `cargo xtask progress`.
// 2. The fake runner (lib/fakerunner.mjs), on a book built from a scratch
//    copy whose exercise file holds the reference solution: the card still
//    shows the shipped starter and "Your file" shows the fix; a second tab
//    works with the first tab's session; a slow Check shows its phases
//    live; a verdict's Markdown is rendered (and its HTML is not); a long
//    compile error stays inside the card; the progress page fills in; a
//    restarted runner and a stopped one are each said in one line.
// 3. The real runner (`--runner BIN`), grading the scratch copy: Run on a
//    Go and a Rust pane, Check on the starter and on the solution, "Your
//    file", a second tab, a restart.
//
// Every request is kept on this machine (lib/browser.mjs); screenshots go to
// OUT/runner/.

import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openPage } from './browser.mjs';
import { START_LINE, startFakeRunner } from './fakerunner.mjs';
import { CONTRAST, switchTheme, THEMES } from './checks.mjs';
import { contrastProblems, horizontalOverflow } from './inpage.mjs';
import { serve } from './server.mjs';

const PAGE = 'leak/index.html';
const EXERCISE = 'leak_coordinator';
const PROGRESS_PAGE = 'progress.html';
const STATE_WORDS = /^(done|not started|broken|\d+\/\d+ checks)$/;
const WIDTHS = [{ width: 1280, height: 800 }, { width: 390, height: 844, mobile: true }];

export async function runRunnerSuite({ bookDir, root, runnerBin, scratchDir, outDir, browser, report, log = console.log }) {
  const shots = join(outDir, 'runner');
  await mkdir(shots, { recursive: true });
  const ctx = { root, scratchDir, shots, browser, report, log };
  await makeScratch(root, scratchDir);

  await withoutRunner({ ...ctx, bookDir });
  await withFakeRunner(ctx, bookDir);
  if (runnerBin) {
    // The real runner grades the starter as shipped: undo part 2's fix.
    await copyFile(join(root, 'exercises/src', `${EXERCISE}.rs`), join(scratchDir, 'exercises/src', `${EXERCISE}.rs`));
    await withRealRunner({ ...ctx, bookDir, runnerBin });
  }
}

// ---- 1. Without a runner ------------------------------------------------------

async function withoutRunner({ bookDir, shots, browser, report }) {
  const server = await serve(bookDir);
  try {
    for (const viewport of WIDTHS) {
      const scope = { page: `${PAGE} (no runner)`, width: viewport.width };
      const { context, page, events } = await openPage(browser, viewport);
      try {
        const requests = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(`${server.origin}/${PAGE}`, { waitUntil: 'load' });
        // Measured once fonts are in and mdBook's sidebar has stopped sliding
        // (a loaded machine measures the text column mid-transition otherwise).
        await page.evaluate(() => document.fonts.ready);
        await page.evaluate(() => document.getAnimations().forEach((a) => a.finish()));
        await page.waitForTimeout(300);
        const shown = await page.evaluate(() => {
          const top = document.querySelector('main > .runnable-runner-notice-page');
          const cards = [...document.querySelectorAll('.runnable-exercise')];
          return {
            top: top && !top.hidden ? top.innerText : null,
            noticeLines: top ? ((cs) => Math.round((top.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) /
              (parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2)))(getComputedStyle(top)) : 0,
            cards: cards.length,
            cardNotices: cards.filter((c) => c.querySelector('.runnable-runner-notice:not([hidden])')).length,
            buttons: document.querySelectorAll('.runnable-run-button, .runnable-check-button').length,
            lines: [...document.querySelectorAll('.runnable-run[data-command] code')].filter((c) => c.textContent.trim()).length,
          };
        });
        await page.screenshot({ path: join(shots, `no-runner.${viewport.width}.png`) });
        const foreign = requests.filter((u) => !u.startsWith(server.origin));
        report.check(scope, 'without a runner: one line at the top and on each card says Run and Check are off and how to turn them on', [
          ...(shown.top === null ? ['no visible .runnable-runner-notice at the top of main'] : []),
          ...(shown.top !== null && !/Run and Check are off/.test(shown.top) ? [`the line says ${JSON.stringify(shown.top)}`] : []),
          ...(shown.top !== null && !/cargo xtask serve/.test(shown.top) ? [`the line does not name \`cargo xtask serve\`: ${JSON.stringify(shown.top)}`] : []),
          ...(viewport.width >= 1280 && shown.noticeLines !== 1 ? [`the notice takes ${shown.noticeLines} lines at ${viewport.width}px`] : []),
          ...(shown.cardNotices === shown.cards ? [] : [`${shown.cards - shown.cardNotices} of ${shown.cards} cards lack the notice`]),
        ]);
        report.check(scope, 'without a runner: commands shown as text, no buttons, no request but the book\'s', [
          ...(shown.lines > 0 ? [] : ['no run line with its command']),
          ...(shown.buttons === 0 ? [] : [`${shown.buttons} Run/Check buttons without a runner`]),
          ...foreign.map((u) => `request to ${u}`),
          ...events.console, ...events.offline, ...events.failed,
        ]);
        if (viewport.width === 1280) {
          await page.goto(`${server.origin}/${PROGRESS_PAGE}`, { waitUntil: 'load' });
          const progress = await page.evaluate(() => ({
            rows: document.querySelectorAll('.runnable-progress-table tbody tr').length,
            cli: document.querySelector('.runnable-progress-page')?.innerText.includes('cargo xtask progress') ?? false,
            notice: document.querySelector('.runnable-runner-notice-page')?.hidden === false,
          }));
          await page.screenshot({ path: join(shots, 'progress-no-runner.1280.png'), fullPage: true });
          report.check({ page: `${PROGRESS_PAGE} (no runner)` }, 'the progress page lists the exercises and names `cargo xtask progress`', [
            ...(progress.rows > 0 ? [] : ['no row in .runnable-progress-table']),
            ...(progress.cli ? [] : ['`cargo xtask progress` is not named']),
            ...(progress.notice ? [] : ['no notice line']),
          ]);
        }
      } finally {
        await context.close();
      }
    }
  } finally {
    await server.close();
  }
}

// ---- 2. The fake runner ------------------------------------------------------------

async function withFakeRunner(ctx, givenBook) {
  const { root, scratchDir, shots, browser, report, log } = ctx;
  const scope = { page: `${PAGE} (fake runner)` };
  const check = (name, problems) => report.check(scope, name, problems);
  const starterFile = join(scratchDir, 'exercises/src', `${EXERCISE}.rs`);
  const solution = await readFile(join(scratchDir, 'solutions/src', `${EXERCISE}.rs`), 'utf8');
  const shipped = shippedStarter(root, EXERCISE);

  // The learner fixed the exercise, then the book was rebuilt.
  await writeFile(starterFile, solution);
  const rebuilt = await buildBook(root, scratchDir, join(ctx.scratchDir, '..', 'runner-book'), log);
  if (!rebuilt.dir) report.note(`skipped: the card's starter after a fix (${rebuilt.why}); the fake runner's checks use the given book`);
  const server = await serve(rebuilt.dir ?? givenBook);
  const bookPort = new URL(server.origin).port;
  const fake = await startFakeRunner({ root: scratchDir, bookPort });
  log(`fake runner: port ${fake.port}, book at ${server.origin}`);
  const { context, page, events } = await openPage(browser, WIDTHS[0]);
  context.setDefaultTimeout(30_000);
  try {
    // The link the terminal prints, with the page's path added as `serve` does.
    await page.goto(fake.url.replace('/#', `/${PAGE}#`), { waitUntil: 'load' });
    await page.waitForSelector('body.runnable-runner-on', { timeout: 15_000 });
    const after = await page.evaluate((key) => ({ hash: location.hash, href: location.href, stored: localStorage.getItem(key) }), 'runnable-runner');
    let stored = null;
    try { stored = JSON.parse(after.stored); } catch { /* reported below */ }
    check('the link token leaves the address bar and becomes a stored session', [
      ...(after.hash === '' && !after.href.includes('runner=') ? [] : [`the address is still ${after.href}`]),
      ...(stored && stored.port === Number(fake.port) && /^[0-9a-f]{48}$/.test(stored.session) ? [] : [`localStorage runnable-runner is ${after.stored}`]),
      ...(stored?.session === fake.link ? ['the stored session is the link token itself'] : []),
      ...(fake.requests.includes('POST /api/session') ? [] : ['no POST /api/session']),
    ]);

    // The card: the shipped starter, whatever the file holds; "Your file" holds the fix.
    const card = page.locator(`.runnable-exercise[data-exercise="${EXERCISE}"]`);
    await card.locator('.runnable-your-file details').waitFor();
    const cardCode = await card.evaluate((c) => ({
      label: [...c.querySelectorAll('.runnable-label')].map((l) => l.innerText).join(' | '),
      starter: c.querySelector('.runnable-your-file')?.previousElementSibling?.querySelector('code')?.textContent ?? '',
    }));
    await card.locator('.runnable-your-file summary').click();
    const yours = await card.locator('.runnable-your-file pre code').textContent();
    if (rebuilt.dir) {
      check('after a fix and a rebuild, the card shows the starter as shipped and "Your file" the fix', [
        ...(/Starter code \(as shipped\)/.test(cardCode.label) ? [] : [`label: ${cardCode.label}`]),
        ...(shipped === null ? ['cannot read the shipped starter from git'] :
          sameCode(cardCode.starter, shipped) ? [] : [`the card shows ${JSON.stringify(cardCode.starter.slice(0, 120))}…, not the shipped starter`]),
        ...(sameCode(yours, solution) ? [] : [`"Your file" shows ${JSON.stringify(yours.slice(0, 120))}…, not the file's text (the solution)`]),
      ]);
    }
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'your-file.1280.png') });

    // A slow Check: every phase shown, live, with its seconds.
    const v = markdownVerdict();
    fake.script('check', EXERCISE, [
      { phase: 'building', text: `building ${EXERCISE}...`, ms: 1200 },
      { phase: 'waiting', text: 'Blocking waiting for file lock on build directory', ms: 4000 },
      { phase: 'grading', text: `grading ${EXERCISE}`, ms: 1000 },
      { done: v },
    ]);
    await card.locator('.runnable-check-button').click();
    const waiting = card.locator('.runnable-phase[data-phase="waiting"]');
    await waiting.waitFor();
    const sawBuilding = await card.locator('.runnable-phase[data-phase="building"]').count();
    const first = await waiting.innerText();
    await page.waitForTimeout(2200);
    const second = await waiting.innerText();
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'check-waiting.1280.png') });
    const secs = (t) => Number(/(\d+) s\b/.exec(t)?.[1] ?? NaN);
    check('a slow Check shows its phases live, with elapsed seconds (building, then waiting for the build lock)', [
      ...(sawBuilding ? [] : ['no "building" phase shown']),
      ...(/Waiting for Cargo's build lock/.test(first) ? [] : [`the waiting phase reads ${JSON.stringify(first)}`]),
      ...(secs(second) >= secs(first) + 1 ? [] : [`the seconds did not advance: ${JSON.stringify(first)} then ${JSON.stringify(second)}`]),
    ]);

    // Its verdict: Markdown rendered as elements, HTML left as text.
    await card.locator('.runnable-verdict p', { hasText: /^Not yet/ }).waitFor();
    const rendered = await card.locator('.runnable-verdict').evaluate((box) => {
      const msg = [...box.querySelectorAll('.runnable-check-message')];
      return {
        code: msg.flatMap((m) => [...m.querySelectorAll('code')].map((c) => c.textContent)),
        strong: msg.flatMap((m) => [...m.querySelectorAll('strong')].map((c) => c.textContent)),
        em: msg.flatMap((m) => [...m.querySelectorAll('em')].map((c) => c.textContent)),
        links: msg.flatMap((m) => [...m.querySelectorAll('a')].map((a) => a.getAttribute('href'))),
        text: msg.map((m) => m.textContent).join('\n'),
        injected: box.querySelectorAll('img, script, iframe').length,
        badge: box.closest('.runnable-exercise').querySelector('.runnable-progress')?.textContent,
      };
    });
    check('a verdict\'s Markdown is rendered (code, strong, emphasis, link) and its HTML is not', [
      ...(rendered.code.includes('Sender') ? [] : [`no <code>Sender</code>: ${JSON.stringify(rendered.code)}`]),
      ...(rendered.strong.includes('never') ? [] : ['no <strong>never</strong>']),
      ...(rendered.em.includes('consumer') ? [] : ['no <em>consumer</em>']),
      ...(rendered.links.includes('../close/index.html') ? [] : [`no link to ../close/index.html: ${JSON.stringify(rendered.links)}`]),
      ...(rendered.links.some((h) => /^javascript:/i.test(h)) ? ['a javascript: link was made'] : []),
      ...(/`/.test(rendered.text) ? [`raw backticks left: ${rendered.text}`] : []),
      ...(rendered.injected === 0 ? [] : [`${rendered.injected} element(s) made from the runner's text`]),
      ...(rendered.text.includes('<img src=x onerror=alert(1)>') ? [] : ['the literal <img …> text is gone']),
      ...(rendered.badge === `${v.passed}/${v.total} checks` ? [] : [`badge says ${JSON.stringify(rendered.badge)}, not ${v.passed}/${v.total} checks`]),
    ]);
    await card.locator('.runnable-verdict').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'verdict-markdown.1280.png') });

    // What the runner adds to a card (phases, verdict, badge, "Your file")
    // is readable in every theme, like the rest of the card.
    for (const theme of THEMES) {
      const switched = await switchTheme(page, theme);
      const { checked, problems } = switched.length ? { checked: 0, problems: switched } :
        await page.evaluate(contrastProblems, { selector: `.runnable-exercise[data-exercise="${EXERCISE}"]`, ...CONTRAST });
      report.check({ ...scope, theme }, `the card with its phases, verdict and "Your file" keeps text contrast >= ${CONTRAST.normal} (${checked} text elements)`, problems);
    }
    await switchTheme(page, 'light');

    // A long compile error stays inside the card, at both widths (the phone
    // in a tab of its own, opened at 390px as a phone opens the book).
    fake.script('check', EXERCISE, [{ phase: 'building', text: 'building', ms: 50 }, { done: brokenVerdict() }]);
    for (const viewport of WIDTHS) {
      const tab = viewport.width === WIDTHS[0].width ? page : await context.newPage();
      if (tab !== page) {
        await tab.setViewportSize({ width: viewport.width, height: viewport.height });
        await tab.goto(`${server.origin}/${PAGE}`, { waitUntil: 'load' });
        await tab.waitForSelector('body.runnable-runner-on', { timeout: 15_000 });
      }
      const inTab = tab.locator(`.runnable-exercise[data-exercise="${EXERCISE}"]`);
      await inTab.locator('.runnable-check-button').click();
      await inTab.locator('.runnable-verdict pre.runnable-compiler').waitFor();
      const fit = await inTab.evaluate((c) => {
        const pre = c.querySelector('.runnable-verdict pre.runnable-compiler');
        const cr = c.getBoundingClientRect();
        const pr = pre.getBoundingClientRect();
        return { card: Math.round(cr.right), pre: Math.round(pr.right), scrolls: pre.scrollWidth > pre.clientWidth };
      });
      const sideways = await tab.evaluate(horizontalOverflow);
      await inTab.locator('.runnable-verdict').scrollIntoViewIfNeeded();
      await tab.screenshot({ path: join(shots, `compile-error.${viewport.width}.png`) });
      if (tab !== page) await tab.close();
      report.check({ ...scope, width: viewport.width }, 'a long compile error stays inside its card (it scrolls there)', [
        ...(fit.pre <= fit.card ? [] : [`the compiler output ends at ${fit.pre}px, the card at ${fit.card}px`]),
        ...(fit.scrolls ? [] : ['the compiler output neither scrolls nor is wider than the card: is the long line there?']),
        ...sideways,
      ]);
    }

    // A second tab of the same browser, opened after the link was used.
    const tab2 = await context.newPage();
    const tab2Errors = [];
    tab2.on('pageerror', (e) => tab2Errors.push(`uncaught exception: ${e.message}`));
    fake.script('check', EXERCISE, [{ phase: 'grading', text: 'grading', ms: 50 }, { done: { id: EXERCISE, status: 'passed', passed: v.total, total: v.total, checks: [], broken: null } }]);
    await tab2.goto(`${server.origin}/${PAGE}`, { waitUntil: 'load' });
    const card2 = tab2.locator(`.runnable-exercise[data-exercise="${EXERCISE}"]`);
    const on2 = await tab2.waitForSelector('body.runnable-runner-on', { timeout: 15_000 }).then(() => true, () => false);
    if (on2) {
      await card2.locator('.runnable-check-button').click();
      await card2.locator('.runnable-verdict p', { hasText: /^Passed/ }).waitFor().catch(() => {});
      await card2.locator('.runnable-progress', { hasText: /^done$/ }).waitFor({ timeout: 10_000 }).catch(() => {});
    }
    const tab2Verdict = on2 ? await card2.locator('.runnable-verdict').innerText() : '';
    const tab2Badge = on2 ? await card2.locator('.runnable-progress').innerText() : '';
    check('a second tab, opened without the link, has working buttons (the session is shared)', [
      ...(on2 ? [] : ['the second tab never turned the runner on']),
      ...(on2 && !/Passed/.test(tab2Verdict) ? [`its Check shows ${JSON.stringify(tab2Verdict.slice(0, 200))}`] : []),
      ...(on2 && tab2Badge !== 'done' ? [`its badge says ${JSON.stringify(tab2Badge)}`] : []),
      ...tab2Errors,
    ]);

    // The same printed link opened again (a second click in the terminal):
    // the link is spent, the stored session still works.
    await tab2.goto(fake.url.replace('/#', `/${PAGE}#`), { waitUntil: 'load' });
    const again = await tab2.waitForSelector('body.runnable-runner-on', { timeout: 15_000 }).then(() => true, () => false);
    check('the same link opened again: the buttons work with the stored session', [
      ...(again ? [] : [`the page says ${JSON.stringify(await tab2.locator('.runnable-runner-notice-page').innerText().catch(() => '?'))}`]),
      ...(fake.requests.filter((r) => r === 'POST /api/session').length >= 2 ? [] : ['the page did not try the link']),
    ]);

    // The progress page, in that tab.
    await tab2.goto(`${server.origin}/${PROGRESS_PAGE}`, { waitUntil: 'load' });
    await tab2.locator('.runnable-progress-summary').waitFor().catch(() => {});
    const progress = await tab2.evaluate(() => [...document.querySelectorAll('.runnable-progress-table tbody tr')].map((tr) => ({
      id: tr.dataset.exercise,
      state: tr.querySelector('.runnable-progress-state')?.textContent.trim(),
      card: tr.querySelector('a')?.getAttribute('href'),
    })));
    const wanted = await manifestIds(root);
    await tab2.screenshot({ path: join(shots, 'progress.1280.png'), fullPage: true });
    // At phone width, in a tab opened at that width (as a phone opens it).
    const phone = await context.newPage();
    await phone.setViewportSize({ width: WIDTHS[1].width, height: WIDTHS[1].height });
    await phone.goto(`${server.origin}/${PROGRESS_PAGE}`, { waitUntil: 'load' });
    await phone.locator('.runnable-progress-summary').waitFor().catch(() => {});
    await phone.screenshot({ path: join(shots, 'progress.390.png'), fullPage: true });
    const progressSideways = await phone.evaluate(horizontalOverflow);
    await phone.close();
    report.check({ page: `${PROGRESS_PAGE} (fake runner)` }, 'the progress page shows every exercise, its card link and its state in the terminal\'s words', [
      ...(same(progress.map((p) => p.id), wanted) ? [] : [`rows ${progress.map((p) => p.id).join(', ')} against the manifest's ${wanted.join(', ')}`]),
      ...progress.filter((p) => !STATE_WORDS.test(p.state ?? '')).map((p) => `${p.id}: state ${JSON.stringify(p.state)}`),
      ...progress.filter((p) => !/^[a-z]+\/index\.html#exercise-[a-z_]+$/.test(p.card ?? '')).map((p) => `${p.id}: card link ${p.card}`),
      ...(progress.find((p) => p.id === EXERCISE)?.state === 'done' ? [] : [`${EXERCISE} (the solution is in its file) is not "done"`]),
      ...progressSideways,
    ]);
    await tab2.close();

    // The runner restarts: the stored session is unknown to it now.
    await fake.restart();
    await page.reload({ waitUntil: 'load' });
    const restarted = await noticeAfterReload(page);
    await page.screenshot({ path: join(shots, 'restarted.1280.png') });
    check('a restarted runner is said in one line at the top, and the dead session is forgotten', [
      ...(restarted.text && /^Run and Check are off: the runner restarted/.test(restarted.text) && /cargo xtask serve/.test(restarted.text) ? [] : [`the notice says ${JSON.stringify(restarted.text)}`]),
      ...(restarted.stored === null ? [] : [`localStorage still holds ${restarted.stored}`]),
      ...(restarted.buttons === 0 ? [] : [`${restarted.buttons} buttons are still enabled`]),
    ]);
    // The new link works in the same tab, then the runner stops.
    await page.goto(fake.url.replace('/#', `/${PAGE}#`), { waitUntil: 'load' });
    const back = await page.waitForSelector('body.runnable-runner-on', { timeout: 15_000 }).then(() => true, () => false);
    // Its progress answer first (a stop cuts a stream short, which the
    // browser reports as an error of its own).
    await card.locator('.runnable-progress:not(:empty)').waitFor({ timeout: 15_000 }).catch(() => {});
    await fake.close();
    await page.reload({ waitUntil: 'load' });
    const stopped = await noticeAfterReload(page);
    await page.screenshot({ path: join(shots, 'stopped.1280.png') });
    check('after a restart the new link turns the buttons back on; a stopped runner is said in one line', [
      ...(back ? [] : ['the new link did not turn the runner on']),
      ...(stopped.text && /^Run and Check are off: the runner does not answer/.test(stopped.text) ? [] : [`the notice says ${JSON.stringify(stopped.text)}`]),
    ]);
    // The page cannot tell a stopped runner from a refused fetch but by the
    // failed request: those two, and only those, are expected.
    const expected = (e) => /127\.0\.0\.1:\d+\/api\/hello: (net::ERR_CONNECTION_REFUSED|HTTP 403)/.test(e) ||
      /Failed to load resource.*(ERR_CONNECTION_REFUSED|403)/.test(e) || streamRead(e);
    check('with the fake runner: no JavaScript error, nothing leaves the machine, no other failed request',
      [...events.console, ...events.offline, ...events.failed].filter((e) => !expected(e)));
  } finally {
    await context.close();
    await fake.close().catch(() => {});
    await server.close();
  }
}

/** The top notice once it shows; `text` is null when it has more than one line. */
async function noticeAfterReload(page) {
  await page.waitForFunction(() => {
    const n = document.querySelector('.runnable-runner-notice-page');
    return n && !n.hidden && n.textContent.trim().length > 0;
  }, null, { timeout: 15_000 }).catch(() => {});
  await page.evaluate(() => scrollTo(0, 0));
  await page.evaluate(() => document.fonts.ready);
  await page.evaluate(() => document.getAnimations().forEach((a) => a.finish()));
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const n = document.querySelector('.runnable-runner-notice-page:not([hidden])');
    const cs = n && getComputedStyle(n);
    const lines = n ? Math.round((n.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom)) / (parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.2)) : 0;
    return {
      text: n ? (lines === 1 ? n.innerText : `(${lines} lines) ${n.innerText}`) : null,
      stored: localStorage.getItem('runnable-runner'),
      buttons: [...document.querySelectorAll('.runnable-run-button, .runnable-check-button')].filter((b) => !b.disabled).length,
    };
  });
}

function markdownVerdict() {
  return {
    id: EXERCISE,
    status: 'failed',
    passed: 2,
    total: 3,
    broken: null,
    checks: [
      { name: 'returns_the_total', ok: true, message: null },
      { name: 'sums_every_batch', ok: true, message: null },
      {
        name: 'returns_when_done',
        ok: false,
        message: 'the *consumer* thread was still alive after `sum_job` returned: who still owns a `Sender`? ' +
          'It **never** sees the end of the channel (see [the next chapter](../close/index.html)). ' +
          'Not a link: [x](javascript:alert(1)). Not HTML: <img src=x onerror=alert(1)>',
      },
    ],
  };
}

function brokenVerdict() {
  const long = 'let total: u64 = batches.iter().map(|b| b.iter().copied().map(u64::from).sum::<u64>()).sum::<u64>() + '.repeat(4);
  return {
    id: EXERCISE,
    status: 'broken',
    passed: 0,
    total: 3,
    checks: [],
    broken: `error[E0308]: mismatched types\n  --> exercises/src/${EXERCISE}.rs:12:22\n   |\n12 |     ${long}\n   |     ${'^'.repeat(long.length)} expected \`u64\`, found \`()\`\n\nerror: could not compile \`exercises\` (lib) due to 1 previous error`,
  };
}

// ---- 3. The real runner --------------------------------------------------------------

async function withRealRunner({ bookDir, root, runnerBin, scratchDir, shots, browser, report, log }) {
  const scope = { page: `${PAGE} (runner)` };
  const check = (name, problems) => report.check(scope, name, problems);
  const server = await serve(bookDir);
  const bookPort = new URL(server.origin).port;
  let runner;
  try {
    runner = await startRunner(runnerBin, scratchDir, root, bookPort, '0');
  } catch (e) {
    check('the runner starts and prints the link line', [String(e.message ?? e)]);
    await server.close();
    return;
  }
  log(`runner: ${runnerBin} on port ${runner.port}, grading ${scratchDir}`);
  const { context, page, events } = await openPage(browser, WIDTHS[0]);
  // A first Run or Check compiles in the scratch target: the runner's own
  // build limit (600 s) and the run's (60 s) bound it, and so does this.
  context.setDefaultTimeout(700_000);
  // One failed step is reported under its name, and the next ones still run.
  const step = async (name, body) => {
    try {
      await body();
    } catch (e) {
      check(name, [String(e?.message ?? e).split('\n')[0]]);
    }
  };
  try {
    check('the runner prints its link on 127.0.0.1 for the book\'s port', new URL(runner.url).origin === server.origin ? [] : [`it printed ${runner.url}`]);
    await page.goto(runner.url.replace('/#', `/${PAGE}#`), { waitUntil: 'load' });
    const on = await page.waitForSelector('body.runnable-runner-on', { timeout: 15_000 }).then(() => true, () => false);
    const fragment = await page.evaluate(() => location.hash);
    check('with the runner: the buttons turn on and the token leaves the address bar', [
      ...(on ? [] : [`the page did not turn the runner on; its notice: ${await page.locator('.runnable-runner-notice-page').innerText().catch(() => '?')}`]),
      ...(fragment === '' ? [] : [`location.hash is still ${fragment}`]),
    ]);
    if (!on) return;

    const hasGo = spawnSync('go', ['version']).status === 0;
    if (!hasGo) report.note('skipped: go not found (Run on the Go pane not tested)');
    const panes = [['go', 'go/leak/testdata/oneshot.out'], ['rust', 'listings/output/leak_pipeline.out']];
    for (const [lang, golden] of panes.filter(([l]) => hasGo || l !== 'go')) await step(`Run on the ${lang} pane shows its phases and the program's output`, async () => {
      const pane = page.locator(`.runnable-compare .runnable-pane[data-lang="${lang}"]`).first();
      await pane.locator('.runnable-run-button').click();
      const box = pane.locator('.runnable-run-box');
      await box.filter({ hasText: /exit status|stopped|signal|could not|refused/ }).waitFor();
      const text = await box.innerText();
      const want = (await readFile(join(root, golden), 'utf8')).split('\n')[0];
      const phases = await box.locator('.runnable-phase').allInnerTexts();
      check(`Run on the ${lang} pane shows its phases and the program's output`, [
        ...(text.includes(want) ? [] : [`output lacks ${JSON.stringify(want)}: ${text.slice(0, 400)}`]),
        ...(/exit status 0/.test(text) ? [] : [`not exit status 0: ${text.slice(-200)}`]),
        ...(phases.some((p) => /^Running/.test(p.replace(/^\W+/, ''))) ? [] : [`no "Running" phase: ${JSON.stringify(phases)}`]),
      ]);
    });

    await step('Check on the starter and on the solution', async () => {
      const card = page.locator(`.runnable-exercise[data-exercise="${EXERCISE}"]`);
      const verdict = card.locator('.runnable-verdict');
      const failing = await failingChecks(root, EXERCISE);
      await card.locator('.runnable-check-button').click();
      await verdict.locator('p').first().waitFor();
      const failed = await card.locator('.runnable-check-failed .runnable-check-name').allInnerTexts();
      const head = await verdict.locator('p').first().innerText();
      const badge0 = await card.locator('.runnable-progress').innerText();
      check(`Check on the starter shows its declared failing checks (${failing.join(', ')}) and the badge says "not started"`, [
        ...(head.startsWith('Not yet') ? [] : [`verdict: ${head}`]),
        ...(same(failed, failing) ? [] : [`failed checks shown: ${failed.join(', ')}`]),
        ...(badge0 === 'not started' ? [] : [`badge: ${JSON.stringify(badge0)}`]),
      ]);
      const solution = await readFile(join(scratchDir, 'solutions/src', `${EXERCISE}.rs`), 'utf8');
      await writeFile(join(scratchDir, 'exercises/src', `${EXERCISE}.rs`), solution);
      await card.locator('.runnable-check-button').click();
      await verdict.locator('p', { hasText: /^Passed/ }).waitFor().catch(() => {});
      const after = await verdict.locator('p').first().innerText().catch(() => verdict.innerText());
      await card.locator('.runnable-progress', { hasText: /^done$/ }).waitFor({ timeout: 30_000 }).catch(() => {});
      const badge = await card.locator('.runnable-progress').innerText();
      const yours = await card.locator('.runnable-your-file pre code').textContent().catch(() => '');
      check('Check with the reference solution passes, the badge says done, "Your file" shows the fix', [
        ...(after.startsWith('Passed') ? [] : [`verdict: ${after.slice(0, 300)}`]),
        ...(badge === 'done' ? [] : [`badge: ${JSON.stringify(badge)}`]),
        ...(sameCode(yours, solution) ? [] : ['"Your file" does not show the file as it is now']),
      ]);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(shots, 'real-check.1280.png') });
    });

    const tab2 = await context.newPage();
    await tab2.goto(`${server.origin}/${PAGE}`, { waitUntil: 'load' });
    const on2 = await tab2.waitForSelector('body.runnable-runner-on', { timeout: 15_000 }).then(() => true, () => false);
    check('a second tab of the book has the buttons (the session is shared)', on2 ? [] : ['it did not turn the runner on']);
    await tab2.close();

    // A restart of the runner: a new process, the same port, new tokens.
    runner.child.kill('SIGTERM');
    await new Promise((r) => runner.child.once('exit', r));
    runner = await startRunner(runnerBin, scratchDir, root, bookPort, runner.port);
    await page.reload({ waitUntil: 'load' });
    const restarted = await noticeAfterReload(page);
    check('after the runner restarts, the page says so in one line', restarted.text && /^Run and Check are off: the runner restarted/.test(restarted.text) ? [] : [`the notice says ${JSON.stringify(restarted.text)}`]);

    const graderMissing = (e) => /\/api\/hello: HTTP 40[13]/.test(e) || /Failed to load resource.*40[13]/.test(e) || streamRead(e);
    check('with the runner: no JavaScript error, nothing leaves the machine, no failed request',
      [...events.console, ...events.offline, ...events.failed].filter((e) => !graderMissing(e)));
  } finally {
    await context.close();
    runner?.child.kill('SIGTERM');
    await server.close();
  }
}

// ---- helpers ---------------------------------------------------------------------------

/**
 * A stream the page read to its end with `response.body.getReader()` is
 * reported to Playwright as failed with net::ERR_ABORTED (the DevTools
 * protocol's view of a body the page consumed as a stream), although every
 * line arrived: the checks above read what the page showed from it. So that
 * one error, on the stream endpoints only, is not a failure.
 */
function streamRead(e) {
  return /\/api\/(run|check)\/[a-z0-9_-]+: net::ERR_ABORTED$|\/api\/progress: net::ERR_ABORTED$/.test(e);
}

function same(a, b) {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

function sameCode(a, b) {
  return typeof a === 'string' && typeof b === 'string' && a.trimEnd() === b.trimEnd();
}

/** `failing_checks` of one exercise, read from exercises.toml. */
async function failingChecks(root, id) {
  const toml = await readFile(join(root, 'exercises/exercises.toml'), 'utf8');
  const block = toml.split('[[exercise]]').find((b) => new RegExp(`^id = "${id}"$`, 'm').test(b)) ?? '';
  const list = /failing_checks = \[([^\]]*)\]/.exec(block)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

async function manifestIds(root) {
  const toml = await readFile(join(root, 'exercises/exercises.toml'), 'utf8');
  return [...toml.matchAll(/^\[\[exercise\]\]\s*\nid = "([^"]+)"/gm)].map((m) => m[1]);
}

/** The starter `exercises/starters.txt` records for `id`, from git. */
function shippedStarter(root, id) {
  const list = spawnSync('git', ['show', 'HEAD:exercises/starters.txt'], { cwd: root, encoding: 'utf8' }).stdout ?? '';
  const blob = list.split('\n').map((l) => l.trim().split(' ')).find(([, name]) => name === id)?.[0];
  if (!blob) return null;
  const out = spawnSync('git', ['cat-file', 'blob', blob], { cwd: root, encoding: 'utf8' });
  return out.status === 0 ? out.stdout : null;
}

/**
 * The repository's tracked files, copied: the learner's tree stays as it is.
 * The copy is a git repository holding the shipped starters' blobs, so a
 * book built from it finds them (mdbook-runnable reads them from git).
 */
async function makeScratch(root, dir) {
  await rm(dir, { recursive: true, force: true });
  const files = spawnSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await copyFile(join(root, file), join(dir, file)).catch(() => {});
  }
  spawnSync('git', ['init', '-q'], { cwd: dir });
  const list = await readFile(join(root, 'exercises/starters.txt'), 'utf8').catch(() => '');
  for (const [blob] of list.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.trim().split(' '))) {
    const text = spawnSync('git', ['cat-file', 'blob', blob], { cwd: root });
    if (text.status === 0) spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: text.stdout });
  }
}

/**
 * Builds the book of the scratch copy with mdBook and the preprocessor built
 * in the real tree (a build inside the copy would compile it again).
 */
async function buildBook(root, scratch, out, log) {
  const mdbook = process.env.MDBOOK ?? 'mdbook';
  if (spawnSync(mdbook, ['--version']).status !== 0) return { why: 'mdbook not found' };
  const built = spawnSync('cargo', ['build', '-q', '-p', 'mdbook-runnable'], { cwd: root, encoding: 'utf8' });
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  const bin = join(targetDir, 'debug', 'mdbook-runnable');
  if (built.status !== 0 || !existsSync(bin)) return { why: `cannot build mdbook-runnable: ${built.stderr?.slice(-300)}` };
  const toml = await readFile(join(scratch, 'book.toml'), 'utf8');
  await writeFile(join(scratch, 'book.toml'), toml.replace(/^command = .*$/m, `command = ${JSON.stringify(bin)}`));
  await rm(out, { recursive: true, force: true });
  log(`$ mdbook build ${scratch} -d ${out}   (the learner's fix in ${EXERCISE}.rs)`);
  const run = spawnSync(mdbook, ['build', scratch, '-d', out], { encoding: 'utf8' });
  if (run.status !== 0) return { why: `mdbook build failed: ${(run.stderr ?? '').slice(-500)}` };
  return { dir: out };
}

/** Starts the runner; resolves once it printed the contract's link line. */
export function startRunner(bin, scratch, root, bookPort, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [
      '--root', scratch,
      '--port', port,
      '--book-port', bookPort,
      '--commands', join(root, 'target/runnable/commands.json'),
    ], {
      // The scratch copy builds into a target folder of its own (kept between
      // runs, so only the first is slow). Sharing the real one saved a build,
      // but Cargo then recorded the scratch copy's source files in the
      // workspace's fingerprints, and later builds of the real tree compared
      // the wrong files' times.
      env: { ...process.env, CARGO_TARGET_DIR: join(root, 'target', 'e2e-scratch-target') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the runner printed no line starting ${JSON.stringify(START_LINE)} within 60 s: ${seen.slice(0, 500)}`));
    }, 60_000);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const line = seen.split('\n').find((l) => l.startsWith(START_LINE));
      const m = line && /^(http:\/\/127\.0\.0\.1:\d+)\/#runner=(\d+):([0-9a-f]{48})$/.exec(line.slice(START_LINE.length).trim());
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: line.slice(START_LINE.length).trim(), port: m[2], token: m[3] });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the runner exited (${code}) before printing ${JSON.stringify(START_LINE)}…: ${seen.slice(0, 500)}`));
    });
  });
}
