// One chapter page at one width: load it offline, screenshot it, run every
// check that applies to what is on it, then go through the five themes.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openPage } from './browser.mjs';
import * as checks from './checks.mjs';
import { inventory } from './inpage.mjs';
import { plotsInTheme } from './plots.mjs';

export const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800, layout: 'side-by-side' },
  { name: 'phone', width: 390, height: 844, layout: 'stacked', mobile: true },
];

const slug = (page) => page.replace(/\.html$/, '').replace(/[^a-zA-Z0-9_-]+/g, '-');

export async function testPage({ browser, origin, page, viewport, outDir, report, log = console.log }) {
  const scope = { page, width: viewport.width };
  const check = (name, problems) => report.check(scope, name, problems);
  const started = Date.now();
  const lap = {};
  const mark = (name) => { lap[name] = Date.now(); };
  const { context, page: tab, events } = await openPage(browser, viewport);
  try {
    const response = await tab.goto(`${origin}/${page}`, { waitUntil: 'load', timeout: 30_000 });
    if (!check('loads', response?.ok() ? [] : [`HTTP ${response?.status() ?? 'no response'}`])) return null;
    await tab.evaluate(() => document.fonts.ready);

    const shotDir = join(outDir, `${viewport.name}-${viewport.width}`);
    await mkdir(shotDir, { recursive: true });
    // A full-page screenshot of a long page takes seconds on a loaded 2-core
    // machine; it is for a human, not a check, so it gets more than the 5 s default.
    await tab.screenshot({ path: join(shotDir, `${slug(page)}.png`), fullPage: true, timeout: 60_000 });

    const inv = await tab.evaluate(inventory);
    const found = Object.entries(inv).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k}`);
    mark('loaded');

    if (inv.go + inv.rust > 0) check(`Go/Rust code highlighted (${inv.go} Go, ${inv.rust} Rust blocks)`, await checks.highlight(tab));
    if (inv.compare > 0) check(`Go | Rust panes ${viewport.layout} (${inv.compare} compare blocks)`, await checks.compareLayout(tab, viewport));
    if (inv.compare > 0) check(`pane code fits its box (${inv.compare} compare blocks)`, await checks.paneFit(tab));
    if (inv.compare > 0) check(`wrapped pane lines hang under their indent (${inv.compare} compare blocks)`, await checks.paneHang(tab));
    check('no sideways scrolling', await checks.noSidewaysScroll(tab));
    if (inv.exercise > 0) {
      check(`exercise cards show (${inv.exercise})`, await checks.exerciseCards(tab));
      if (inv.hint + inv.solution > 0) {
        check(`hints and solution open on click (${inv.hint} hints, ${inv.solution} solutions)`, await checks.hintsAndSolutions(tab));
      }
    }
    if (inv.question > 0) {
      const quiz = await checks.quizzes(tab);
      check(`quiz answers give feedback (${inv.question} questions)`, quiz.problems);
      check('a wrong quiz pick keeps the answer hidden until "Show answer"', quiz.hidden);
    }

    mark('checked');
    // Themes, with every hint, solution and explanation open so their text is checked too.
    await checks.openEverything(tab);
    const roots = inv.compare + inv.exercise + inv.quiz > 0;
    for (const theme of checks.THEMES) {
      const themeScope = { ...scope, theme };
      const switched = await checks.switchTheme(tab, theme);
      if (!report.check(themeScope, 'theme menu switches the theme', switched)) continue;
      const { checked, problems } = await checks.contrast(tab);
      if (checked > 0) report.check(themeScope, `text contrast >= ${checks.CONTRAST.normal} (${checked} text elements)`, problems);
      const plots = await plotsInTheme(tab, { outDir, name: `${slug(page)}.${viewport.width}.${theme}` });
      if (plots) report.check(themeScope, `plot contrast (${plots.plots} plots, ${plots.checked} texts, lines and markers)`, plots.problems);
      if (roots) {
        await tab.evaluate((sels) => {
          // The first Go | Rust pair if any, else the first card, quiz, listing.
          const el = sels.split(', ').map((s) => document.querySelector(s)).find(Boolean);
          const top = el.getBoundingClientRect().top + scrollY;
          scrollTo(0, Math.max(0, top - 70)); // below mdBook's menu bar
        }, checks.RUNNABLE_ROOTS);
        await tab.screenshot({ path: join(outDir, 'themes', `${slug(page)}.${viewport.width}.${theme}.png`), timeout: 60_000 });
      }
    }

    // A request we blocked makes its fetch() fail: say so next to the error.
    const blocked = events.offline.length > 0;
    check('no JavaScript errors', events.console.map((e) =>
      blocked && /Failed to fetch|NetworkError/.test(e) ? `${e} (likely the request that was kept from leaving localhost, below)` : e));
    check('no request leaves localhost', events.offline);
    check('every local request succeeds', events.failed);
    const secs = (a, b) => ((b - a) / 1000).toFixed(1);
    const now = Date.now();
    log(`  ${page} @ ${viewport.width}px: ${found.join(', ') || 'no code, cards or quizzes'}` +
      ` (${secs(started, now)}s: load+screenshot ${secs(started, lap.loaded)}, checks ${secs(lap.loaded, lap.checked)}, themes ${secs(lap.checked, now)})`);
    return inv;
  } catch (e) {
    check('runs to the end', [String(e?.message ?? e).split('\n')[0]]);
    return null;
  } finally {
    await context.close();
  }
}
