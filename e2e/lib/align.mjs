// Aligned lines in Go | Rust panes (theme/runnable-align.js), at 1280 px and
// 390 px (stacked panes):
//
// - on every page, every compare's panes declare the same pair names
//   (`data-pairs`), each pair's lines exist, and every paired line is
//   focusable: the build refuses a lonely pair, this checks what reached
//   the page;
// - copying a pane's code (a selection over it, and the code's text, which
//   mdBook's copy button takes) gives the code alone: no `// pair:` marker,
//   no description;
// - on the first compare with pairs of each page: hovering a paired Go line
//   lights it and its Rust counterparts, and the other way round; the lit
//   lines are visibly marked; focusing a paired line and pressing Enter moves
//   focus to its counterpart in the other pane, which is lit too.
//
// Screenshots (a Go line hovered): OUT/align/PAGE.WIDTH.png.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { launch, openPage } from './browser.mjs';
import { VIEWPORTS } from './page.mjs';
import { chapterPages } from './pages.mjs';
import { serve } from './server.mjs';

const slug = (page) => page.replace(/\.html$/, '').replace(/[^a-zA-Z0-9_-]+/g, '-');

export async function runAlignSuite({ bookDir, outDir, chromium, only = [], report, log = console.log }) {
  const shots = join(outDir, 'align');
  await mkdir(shots, { recursive: true });
  let pages = await chapterPages(bookDir);
  if (only.length) pages = pages.filter((p) => only.some((want) => p.includes(want)));
  const server = await serve(bookDir);
  let browser;
  let exercised = 0;
  try {
    browser = await launch(chromium);
    for (const path of pages) {
      for (const viewport of VIEWPORTS) {
        exercised += await checkAlignPage({ browser, origin: server.origin, path, viewport, shots, report });
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  if (!exercised) report.note('no compare with aligned lines on any page: the hover and keyboard checks did not run');
  log(`aligned lines: ${exercised} page views exercised; screenshots: ${shots}`);
}

/** One page at one width; 1 when the hover and keyboard checks ran. */
export async function checkAlignPage({ browser, origin, path, viewport, shots, report }) {
  const scope = { page: `${path} (aligned lines)`, width: viewport.width };
  const { context, page, events } = await openPage(browser, viewport);
  try {
    await page.goto(`${origin}/${path}`, { waitUntil: 'load', timeout: 30_000 });
    const compares = await page.locator('.runnable-compare').count();
    if (!compares) return 0;
    report.check(scope, `every compare pairs the same names on both sides, on lines that exist and can take focus (${compares} compares)`,
      await page.evaluate(pairsProblems));
    report.check(scope, 'copying pane code copies the code alone (no marker, no description)', await page.evaluate(copyProblems));

    const first = page.locator('.runnable-compare.runnable-compare-aligned').first();
    if (!(await first.count())) return 0;
    const go = first.locator('.runnable-pane[data-lang="go"] .runnable-line.runnable-paired').first();
    await go.scrollIntoViewIfNeeded();
    await go.hover();
    const fromGo = await first.evaluate(litState, 'go');
    await page.screenshot({ path: join(shots, `${slug(path)}.${viewport.width}.png`) });
    const rust = first.locator('.runnable-pane[data-lang="rust"] .runnable-line.runnable-paired').first();
    await rust.scrollIntoViewIfNeeded();
    await rust.hover();
    const fromRust = await first.evaluate(litState, 'rust');
    report.check(scope, 'hovering a paired line lights it and its counterparts in the other pane, both ways', [
      ...hoverProblems('Go', 'Rust', fromGo),
      ...hoverProblems('Rust', 'Go', fromRust),
    ]);

    await page.mouse.move(0, 0);
    await go.focus();
    await page.keyboard.press('Enter');
    const moved = await first.evaluate((compare) => {
      const from = compare.querySelector('.runnable-pane[data-lang="go"] .runnable-line.runnable-paired');
      const to = document.activeElement;
      const names = (row) => (row?._pairNames ?? []);
      return {
        inRust: !!to?.closest('.runnable-pane[data-lang="rust"]') && compare.contains(to),
        shares: names(to).some((n) => names(from).includes(n)),
        lit: !!to?.classList.contains('runnable-aligned'),
        described: !!(to && document.getElementById(to.getAttribute('aria-describedby') ?? '')?.textContent),
        text: to?.textContent?.trim().slice(0, 60) ?? null,
      };
    });
    report.check(scope, 'focus on a paired Go line and Enter moves focus to its Rust counterpart, lit and described', [
      ...(moved.inRust ? [] : [`focus went to ${JSON.stringify(moved.text)}, not into the Rust pane`]),
      ...(moved.shares ? [] : ['the focused line does not share a pair with the Go line']),
      ...(moved.lit ? [] : ['the counterpart is not lit']),
      ...(moved.described ? [] : ['the counterpart has no aria-describedby text']),
    ]);
    report.check(scope, 'no JavaScript error', events.console);
    return 1;
  } finally {
    await context.close();
  }
}

/** In the page: what data-pairs declares against what the DOM holds. */
function pairsProblems() {
  const problems = [];
  const parse = (text) => Object.fromEntries((text ?? '').split(/\s+/).filter(Boolean)
    .map((e) => [e.slice(0, e.indexOf(':')), e.slice(e.indexOf(':') + 1).split(',').map(Number)]));
  document.querySelectorAll('.runnable-compare').forEach((compare, i) => {
    const panes = [...compare.querySelectorAll(':scope > .runnable-pane')];
    const where = `compare ${i + 1} (${panes.map((p) => p.querySelector('.runnable-pane-label code')?.textContent).join(' | ')})`;
    const pairs = panes.map((p) => parse(p.getAttribute('data-pairs')));
    if (!pairs.some((p) => Object.keys(p).length)) return;
    const [go, rust] = pairs.map((p) => Object.keys(p).sort().join(' '));
    if (go !== rust) problems.push(`${where}: Go pairs "${go}", Rust pairs "${rust}"`);
    panes.forEach((pane, side) => {
      const lines = [...pane.querySelectorAll('pre > code > .runnable-line')];
      for (const [name, numbers] of Object.entries(pairs[side])) {
        for (const n of numbers) {
          const row = lines[n - 1];
          if (!row) problems.push(`${where}: pair ${name} names line ${n} of ${lines.length}`);
          else if (row.getAttribute('tabindex') !== '0' || !row.getAttribute('aria-describedby')) {
            problems.push(`${where}: line ${n} (pair ${name}) is not focusable or not described`);
          }
        }
      }
    });
  });
  return problems;
}

/** In the page: the text a copy of each pane's code gives. */
function copyProblems() {
  const problems = [];
  document.querySelectorAll('.runnable-compare .runnable-pane pre > code').forEach((code, i) => {
    const range = document.createRange();
    range.selectNodeContents(code.closest('.runnable-pane'));
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const copied = selection.toString();
    selection.removeAllRanges();
    for (const [what, text] of [['a selection over the pane', copied], ['the code text', code.textContent]]) {
      if (/\/\/ pair:/.test(text)) problems.push(`pane ${i + 1}: ${what} holds a \`// pair:\` marker`);
      if (/Pairs with/.test(text)) problems.push(`pane ${i + 1}: ${what} holds a pair description`);
    }
    const lines = code.textContent.replace(/\n$/, '').split('\n').length;
    const rows = code.querySelectorAll(':scope > .runnable-line').length;
    if (rows && rows !== lines) problems.push(`pane ${i + 1}: ${rows} line boxes for ${lines} lines of text`);
  });
  return problems;
}

/** In the page: after hovering the first paired line of `from`, what is lit. */
function litState(compare, from) {
  const other = from === 'go' ? 'rust' : 'go';
  const pane = (lang) => compare.querySelector(`.runnable-pane[data-lang="${lang}"]`);
  const hovered = pane(from).querySelector('.runnable-line.runnable-paired');
  const names = hovered._pairNames ?? [];
  const counterparts = [...pane(other).querySelectorAll('.runnable-line.runnable-paired')]
    .filter((row) => (row._pairNames ?? []).some((n) => names.includes(n)));
  const unlit = [...pane(other).querySelectorAll('.runnable-line')].find((row) => !row.classList.contains('runnable-aligned'));
  const look = (row) => row && `${getComputedStyle(row).backgroundColor} ${getComputedStyle(row).boxShadow}`;
  return {
    names,
    hoveredLit: hovered.classList.contains('runnable-aligned'),
    counterparts: counterparts.length,
    litCounterparts: counterparts.filter((row) => row.classList.contains('runnable-aligned')).length,
    strayLit: [...pane(other).querySelectorAll('.runnable-line.runnable-aligned')].filter((row) => !counterparts.includes(row)).length,
    marked: counterparts.length > 0 && look(counterparts[0]) !== look(unlit),
  };
}

function hoverProblems(from, to, s) {
  return [
    ...(s.hoveredLit ? [] : [`the hovered ${from} line is not lit`]),
    ...(s.counterparts > 0 ? [] : [`the hovered ${from} line (${s.names.join(' ')}) has no ${to} counterpart`]),
    ...(s.litCounterparts === s.counterparts ? [] : [`${s.litCounterparts} of ${s.counterparts} ${to} counterparts lit`]),
    ...(s.strayLit === 0 ? [] : [`${s.strayLit} ${to} lines lit that do not pair with it`]),
    ...(s.marked ? [] : [`the lit ${to} line looks like an unlit one (same background and frame)`]),
  ];
}
