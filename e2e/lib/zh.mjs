// The Simplified Chinese book (book/zh-CN/, built by `cargo dev i18n build`;
// po/README.md): every chapter page at 1280 px and 390 px, offline, in a
// fresh context, with every check the English pages get (lib/page.mjs:
// highlighting, panes, cards, hints, quizzes, contrast in every theme, no
// sideways scroll, no script error, nothing leaves the machine), plus, at
// 1280 px:
//
//   - <html lang="zh-CN">, and Chinese text is drawn with a CJK font (the font
//     Chromium really used, asked through the DevTools protocol), not boxes;
//   - no English paragraph outside code: a block with no Chinese character and
//     three or more English words, or six English words in a row outside code
//     and quotations, is reported; once as the page loads (cards, run lines,
//     the runner's notice, the progress page) and again after every quiz
//     question got a wrong pick and every experiment was applied (the quiz
//     and experiment feedback, their buttons). Only what is English on
//     purpose is skipped (SKIP), and the identifiers in ALLOWED;
//   - every h2-h6 id of the English page exists on the Chinese page, so links
//     to a section work in both languages;
//   - the language picker (theme/lang.js) links this page in both languages,
//     both exist, and the English page's picker links back here;
//   - with the fake runner (lib/fakerunner.mjs) on: after a Check on a card
//     (phases, verdict, badge) and on the progress page (states, summary),
//     still no English paragraph outside code.
// Screenshots for a human: target/e2e/zh-CN-1280/ (as loaded) and
// target/e2e/{desktop-1280,phone-390}/zh-CN-*.png (from lib/page.mjs).

import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, openPage } from './browser.mjs';
import { startFakeRunner } from './fakerunner.mjs';
import { testPage, VIEWPORTS } from './page.mjs';
import { chapterPages } from './pages.mjs';
import { serve } from './server.mjs';

export const LANG = 'zh-CN';
const VIEWPORT = { name: 'zh-CN', width: 1280, height: 800 };

// English on purpose (po/README.md): a multi-line quiz choice is program
// output, and a check's own line under a verdict is the grader's terminal
// text (the preface's 终端里的英文 explains its words). Everything else of
// ours, cards, run lines, quiz and experiment chrome, the runner's notice and
// the progress page, comes from the catalogue and is checked.
export const SKIP = [
  '.runnable-choice-output',
  '.runnable-checks',
].join(', ');

// Names that stay English in Chinese prose (po/GLOSSARY.md: identifiers,
// products, the one-word table headers "Go" and "Rust").
export const ALLOWED = [
  'Go', 'Rust', 'goroutine', 'goroutines', 'errgroup', 'crossbeam', 'rayon', 'goleak',
  'staticcheck', 'pprof', 'CI', 'GB', 'GiB', 'MiB', 'KiB', 'MB', 'ms', 'WSL', 'Unix',
  'Linux', 'Debian', 'Intel', 'Xeon', 'AMD', 'EPYC', 'GHz', 'worker', 'sink', 'profile',
  'group', 'panic', 'drop', 'trait', 'crate',
];

/**
 * In the page: blocks of prose left in English. `skip` is a selector list of
 * elements not checked; `allowed` words do not count.
 */
export function englishProblems({ skip, allowed }) {
  const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
  const WORD = /[A-Za-z][A-Za-z'’-]*/g;
  const allowedSet = new Set(allowed);
  const blocks = document.querySelectorAll(
    'main p, main li, main h1, main h2, main h3, main h4, main h5, main h6, main td, main th, main figcaption, main dt, main dd, main summary');
  const problems = [];
  for (const el of blocks) {
    if (skip && el.closest(skip)) continue;
    const clone = el.cloneNode(true);
    // Code is never translated; nested blocks are checked on their own.
    clone.querySelectorAll(`code, pre, kbd, samp, svg, p, ul, ol, table${skip ? `, ${skip}` : ''}`)
      .forEach((n) => n.remove());
    const text = clone.textContent.replace(/\s+/g, ' ').trim();
    if (!text) continue;
    const words = (text.match(WORD) ?? []).filter((w) => !allowedSet.has(w));
    const shown = text.length > 90 ? `${text.slice(0, 90)}…` : text;
    if (!HAN.test(text)) {
      if (words.length >= 3) problems.push(`<${el.localName}> in English: "${shown}"`);
      continue;
    }
    // Quotations of the Go spec and of library documentation stay English on purpose.
    // Greedy: a quotation may itself quote a word (the spec's “the "select" statement”).
    const unquoted = text.replace(/“.*”/g, ' ').replace(/"[^"]*"/g, ' ');
    const run = unquoted
      .split(/[\u3000-\u303f\uff00-\uffef\u3400-\u9fff()[\]{}]+/)
      .map((part) => (part.match(WORD) ?? []).filter((w) => !allowedSet.has(w)).length)
      .reduce((a, b) => Math.max(a, b), 0);
    if (run >= 6) problems.push(`<${el.localName}> has ${run} English words in a row: "${shown}"`);
  }
  return problems;
}

/** The fonts Chromium drew the text of `selector` with (DevTools protocol). */
async function fontsOf(context, tab, selector) {
  const cdp = await context.newCDPSession(tab);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) return [];
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((f) => f.familyName);
  } finally {
    await cdp.detach();
  }
}

const CJK_FONT = /CJK|Source Han|PingFang|Hiragino|YaHei|WenQuanYi|Heiti|SimSun|SimHei|Droid Sans Fallback/i;

const plainText = (html) => html.replace(/<[^>]+>/g, '').replace(/&#39;|&#x27;/g, "'").trim();

/** The h2-h6 ids of a built page, each with its heading's text. */
async function headingIds(file) {
  const html = await readFile(file, 'utf8');
  return new Map([...html.matchAll(/<h[2-6] id="([^"]+)">(.*?)<\/h[2-6]>/g)].map((m) => [m[1], plainText(m[2])]));
}

/**
 * Chapter titles of the sidebar. A heading with the same text as a chapter
 * title shares its catalogue message with the sidebar, where `{#id}` would
 * show, so its id follows the translation (po/README.md).
 */
async function chapterTitles(bookDir) {
  const toc = await readFile(join(bookDir, 'toc.html'), 'utf8');
  return new Set([...toc.matchAll(/<a [^>]*>(.*?)<\/a>/g)]
    .map((m) => plainText(m[1]).replace(/^[0-9.]+\s*/, '')));
}

/**
 * Brings up the words that only show after a click: a wrong pick on every
 * quiz question (feedback, "Try again", "Show answer"), a prediction on
 * every experiment, then "Apply the edit". `showAnswers` then clicks "Show
 * answer" (the answer line, "Start over").
 */
async function answerEverything(tab) {
  await tab.evaluate(() => {
    for (const q of document.querySelectorAll('.runnable-quiz .runnable-question')) {
      const answer = Number(q.dataset.answer);
      const wrong = [...q.querySelectorAll('.runnable-choice')].find((b) => Number(b.dataset.index) !== answer);
      wrong?.click();
    }
    for (const card of document.querySelectorAll('.runnable-experiment')) {
      card.querySelector('.runnable-experiment-choice')?.click();
      card.querySelector('.runnable-experiment-apply')?.click();
    }
  });
}

const showAnswers = (tab) => tab.evaluate(() => document.querySelectorAll('button.runnable-show-answer').forEach((b) => b.click()));

const slug = (page) => page.replace(/\.html$/, '').replace(/[^a-zA-Z0-9_-]+/g, '-');

/** The check can fail: English prose is caught, Chinese prose and code are not. */
async function selfCheck(browser) {
  const { context, page: tab } = await openPage(browser, VIEWPORT);
  try {
    await tab.setContent(`<main>
      <p id="en">This paragraph was left in English by mistake.</p>
      <p id="half">这一段只翻译了一半 because the rest of this sentence is English.</p>
      <p id="zh">这一段是中文，只有 <code>errgroup.WithContext</code> 和 goroutine 保留英文。</p>
      <p id="quote">规范说：“the successive values sent on the channel until the channel is closed”。</p>
      <div class="runnable-exercise"><p id="card">Hint 1 — nudge: a label left untranslated.</p>
        <ul class="runnable-checks"><li>sums_every_batch: the grader's own words stay English</li></ul></div>
    </main>`);
    const found = await tab.evaluate(englishProblems, { skip: SKIP, allowed: ALLOWED });
    const problems = [];
    if (!found.some((p) => p.includes('left in English'))) problems.push('missed a paragraph in English');
    if (!found.some((p) => p.includes('只翻译了一半'))) problems.push('missed a half-translated paragraph');
    if (!found.some((p) => p.includes('left untranslated'))) problems.push('missed an English label on a card');
    if (found.length !== 3) problems.push(`flagged ${found.length} blocks, expected 3: ${found.join(' | ')}`);
    return problems;
  } finally {
    await context.close();
  }
}

/**
 * The runner's words on Chinese pages: the fake runner on, a Check on the
 * first card of leak/index.html, then the progress page. `root` is the
 * repository (the fake runner reads the manifest and the exercise files).
 */
async function withFakeRunner({ browser, bookDir, root, shotDir, report }) {
  const scope = { page: `${LANG}/leak/index.html, ${LANG}/progress.html (fake runner)`, width: VIEWPORT.width };
  const check = (name, problems) => report.check(scope, name, problems);
  const server = await serve(bookDir);
  const fake = await startFakeRunner({ root, bookPort: new URL(server.origin).port });
  const { context, page: tab, events } = await openPage(browser, VIEWPORT);
  context.setDefaultTimeout(30_000);
  try {
    await tab.goto(fake.url.replace('/#', `/${LANG}/leak/index.html#`), { waitUntil: 'load' });
    await tab.waitForSelector('body.runnable-runner-on', { timeout: 15_000 });
    const card = tab.locator('.runnable-exercise').first();
    await card.locator('.runnable-check-button').click();
    await card.locator('.runnable-verdict p').first().waitFor();
    await card.locator('.runnable-progress:not(:empty)').waitFor();
    await card.scrollIntoViewIfNeeded();
    await tab.screenshot({ path: join(shotDir, 'runner-check.png') });
    const afterCheck = await tab.evaluate(englishProblems, { skip: SKIP, allowed: ALLOWED });
    const verdict = await card.locator('.runnable-verdict p').first().innerText();
    check(`a Check's verdict and badge are Chinese ("${verdict}")`, [
      ...afterCheck,
      ...(/[\u4e00-\u9fff]/.test(verdict) ? [] : [`the verdict reads "${verdict}"`]),
    ]);

    await tab.goto(`${server.origin}/${LANG}/progress.html`, { waitUntil: 'load' });
    await tab.locator('.runnable-progress-summary').waitFor();
    await tab.screenshot({ path: join(shotDir, 'runner-progress.png'), fullPage: true, timeout: 60_000 });
    const states = await tab.$$eval('.runnable-progress-state', (cells) => cells.map((c) => c.textContent.trim()));
    check('the progress page with the runner: states and summary in Chinese', [
      ...await tab.evaluate(englishProblems, { skip: SKIP, allowed: ALLOWED }),
      ...states.filter((t) => /[a-z]{3,}/.test(t)).map((t) => `a state reads "${t}"`),
    ]);
    check('no JavaScript errors (fake runner)', events.console);
  } finally {
    await context.close();
    await fake.close();
    await server.close();
  }
}

export async function runZhSuite({ bookDir, outDir, chromium, only = [], root = null, report, log = console.log }) {
  const zhDir = join(bookDir, LANG);
  const built = await stat(join(zhDir, 'toc.html')).then(() => true, () => false);
  if (!report.check({ page: `book/${LANG}` }, 'is built', built ? [] : [
    `${zhDir} has no toc.html: build it with \`cargo dev i18n build ${LANG}\` (cargo dev test and e2e do)`,
  ])) return;

  let pages = await chapterPages(zhDir);
  if (only.length) pages = pages.filter((p) => only.some((want) => p.includes(want)));
  const shotDir = join(outDir, `${LANG}-${VIEWPORT.width}`);
  if (!only.length) await rm(shotDir, { recursive: true, force: true });
  await mkdir(shotDir, { recursive: true });

  const titles = await chapterTitles(bookDir);
  for (const page of pages) {
    const english = await headingIds(join(bookDir, page)).catch(() => null);
    const chinese = await headingIds(join(zhDir, page));
    const missing = english
      ? [...english].filter(([id, text]) => !chinese.has(id) && !titles.has(text)).map(([id]) => id)
      : [`no English ${page}`];
    report.check({ page: `${LANG}/${page}` }, 'every English section id exists (links work in both languages)',
      missing.map((id) => `no id "${id}": give the translated heading \`{#${id}}\``));
  }

  // Served from book/, so that the picker's link to the English page resolves.
  const server = await serve(bookDir);
  let browser;
  try {
    browser = await launch(chromium);
    report.check({ page: `${LANG} self-check` }, 'the English-paragraph check catches English and passes Chinese',
      await selfCheck(browser));
    for (const page of pages) {
      const scope = { page: `${LANG}/${page}`, width: VIEWPORT.width };
      const check = (name, problems) => report.check(scope, name, problems);
      const { context, page: tab, events } = await openPage(browser, VIEWPORT);
      try {
        const url = `${server.origin}/${LANG}/${page}`;
        const response = await tab.goto(url, { waitUntil: 'load', timeout: 30_000 });
        if (!check('loads', response?.ok() ? [] : [`HTTP ${response?.status() ?? 'no response'}`])) continue;
        await tab.evaluate(() => document.fonts.ready);
        await tab.screenshot({ path: join(shotDir, `${slug(page)}.png`), fullPage: true, timeout: 60_000 });

        const lang = await tab.evaluate(() => document.documentElement.lang);
        check('<html lang> is zh-CN', lang === LANG ? [] : [`lang="${lang}"`]);

        check('no English paragraph outside code', await tab.evaluate(englishProblems, { skip: SKIP, allowed: ALLOWED }));

        const probe = await tab.evaluate(() => {
          const el = [...document.querySelectorAll('main p')].find((p) => /[\u4e00-\u9fff]/.test(p.textContent));
          el?.setAttribute('data-zh-font-probe', '');
          return Boolean(el);
        });
        const fonts = probe ? await fontsOf(context, tab, '[data-zh-font-probe]') : [];
        check(`Chinese text is drawn with a CJK font (${fonts.join(', ') || 'none'})`,
          fonts.some((f) => CJK_FONT.test(f)) ? [] : [`no CJK font among ${JSON.stringify(fonts)}: install one (.ci/install-i18n.sh)`]);

        await answerEverything(tab);
        const afterClicks = await tab.evaluate(englishProblems, { skip: SKIP, allowed: ALLOWED });
        await showAnswers(tab);
        afterClicks.push(...await tab.evaluate(englishProblems, { skip: SKIP, allowed: ALLOWED }));
        check('no English paragraph after a wrong pick and "Show answer" on every quiz question, and every experiment applied',
          [...new Set(afterClicks)]);

        // The picker: open it, read its links, and ask the server for both pages.
        const picker = [];
        await tab.click('#lang-toggle', { timeout: 5_000 }).catch((e) => picker.push(`no language button: ${e.message.split('\n')[0]}`));
        const links = await tab.$$eval('#lang-list a', (as) => as.map((a) => ({
          lang: a.lang, href: a.href, visible: a.getBoundingClientRect().height > 0,
        })));
        const want = { en: `${server.origin}/${page}`, [LANG]: url };
        for (const [code, href] of Object.entries(want)) {
          const link = links.find((l) => l.lang === code);
          if (!link) picker.push(`no link for ${code}`);
          else if (link.href.split('#')[0] !== href) picker.push(`${code} links ${link.href}, expected ${href}`);
          else if (!link.visible) picker.push(`the ${code} link is not visible after a click`);
          else {
            const res = await tab.request.head(href).catch((e) => ({ status: () => String(e) }));
            if (res.status() !== 200) picker.push(`${href}: ${res.status()}`);
          }
        }
        check('language picker links this page in English and Chinese', picker);

        // And back: the English page's picker links this Chinese page.
        const back = [];
        await tab.goto(want.en, { waitUntil: 'load', timeout: 30_000 });
        const zhLink = await tab.$eval(`#lang-list a[lang="${LANG}"]`, (a) => a.href).catch(() => null);
        if (zhLink?.split('#')[0] !== url) back.push(`the English page links ${zhLink ?? 'nothing'} for ${LANG}, expected ${url}`);
        check(`the English page's picker links the ${LANG} page`, back);

        const blocked = events.offline.length > 0;
        check('no JavaScript errors', events.console.map((e) =>
          blocked && /Failed to fetch|NetworkError/.test(e) ? `${e} (likely the blocked request below)` : e));
        check('no request leaves localhost', events.offline);
        check('every local request succeeds', events.failed);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  // Every check of the English pages, on the Chinese ones, at both widths.
  const server2 = await serve(bookDir);
  try {
    browser = await launch(chromium);
    if (root && !only.length) await withFakeRunner({ browser, bookDir, root, shotDir, report });
    for (const page of pages) {
      for (const viewport of VIEWPORTS) {
        await testPage({ browser, origin: server2.origin, page: `${LANG}/${page}`, viewport, outDir, report, log });
      }
    }
  } finally {
    await browser?.close();
    await server2.close();
  }
  log(`${LANG}: ${pages.length} pages; screenshots in ${shotDir}`);
}
