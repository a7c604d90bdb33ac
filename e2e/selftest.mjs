#!/usr/bin/env node
// Proves the checks can fail: builds selftest/ (a page that must pass every
// check and a page with one known defect per check) with mdBook, runs the
// whole suite on it, and compares what failed with what must fail; then the
// aligned-lines checks on selftest/align/ (two plain HTML pages).
//
//   node selftest.mjs [--chromium PATH] [--out DIR]

import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkAlignPage } from './lib/align.mjs';
import { DEFAULT_CHROMIUM, launch } from './lib/browser.mjs';
import { THEMES } from './lib/checks.mjs';
import { VIEWPORTS } from './lib/page.mjs';
import { Report } from './lib/report.mjs';
import { serve } from './lib/server.mjs';
import { runSuite } from './lib/suite.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    out: { type: 'string', default: join(here, '..', 'target', 'e2e-selftest') },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? DEFAULT_CHROMIUM },
  },
});
const outDir = resolve(opts.out);
const bookDir = join(outDir, 'book');

const both = VIEWPORTS.map((v) => v.width);
const desktop = VIEWPORTS.filter((v) => v.layout === 'side-by-side').map((v) => v.width);
// What bad.md must make fail: [check name prefix, widths, themes?, problem pattern].
const EXPECTED = [
  ['Go/Rust code highlighted', both, null, /language-go block #1 .* has no "hljs" class/],
  ['Go | Rust panes side-by-side', desktop, null, /compare #1 \(go \| rust\): not side by side/],
  ['pane code fits its box', both, null, /compare #2, go pane: its code is \d+px wide in a \d+px box/],
  ['wrapped pane lines hang under their indent', both, null, /compare #3, go pane: \d+ wrapped row\(s\) continue at or left of where their line's code starts \(line 2: "fmt\.Println/],
  ['no sideways scrolling', both, null, /scrolls sideways.*div\.selftest-wide/],
  ['exercise cards show', both, null, /demo_bad does not show its grading command/],
  ['hints and solution open on click', both, null, /open before any click/],
  ['quiz answers give feedback', both, null, /showed no feedback/],
  ['a wrong quiz pick keeps the answer hidden', both, null, /a wrong pick marks choice 0 as right: it reveals the answer/],
  ['text contrast', both, THEMES, /p\.selftest-faint .*contrast 1\.00/],
  ['no JavaScript errors', both, null, /selftest: a script error on purpose/],
  ['no request leaves localhost', both, null, /GET https:\/\/example\.invalid\/pixel\.png/],
  // lib/plots.mjs: black text on the dark themes, a yellow line on the light ones.
  ['plot contrast', both, ['coal', 'navy', 'ayu'], /plot #1 \("A bad plot"\): text "Black text.*contrast \d\.\d\d < 4\.5/],
  ['plot contrast', both, ['light', 'rust'], /plot #1 \("A bad plot"\): polyline \(a line or marker\): contrast \d\.\d\d < 3/],
];

const started = Date.now();
await rm(outDir, { recursive: true, force: true });
console.log(`$ mdbook build ${join(here, 'selftest')} -d ${bookDir}`);
try {
  execFileSync('mdbook', ['build', join(here, 'selftest'), '-d', bookDir], { stdio: 'pipe' });
} catch (e) {
  console.log(`${e.stdout ?? ''}${e.stderr ?? ''}`);
  throw new Error(`mdbook build of e2e/selftest failed: ${e.message}`);
}

const run = new Report({ log: () => {} });
await runSuite({ bookDir, outDir, chromium: opts.chromium, report: run, log: () => {} });

const verdict = new Report();
const failedRecords = run.records.filter((r) => r.problems.length > 0);
const used = new Set();

// The link check of the whole book must catch the broken anchor.
const links = failedRecords.find((r) => r.name.startsWith('link check'));
if (links) used.add(links);
verdict.check({ page: 'selftest' }, 'the link check catches good.html#no-such-anchor',
  links?.problems.some((p) => /bad\.html:\d+: <a href="good\.html#no-such-anchor">: no id "no-such-anchor" in good\.html/.test(p))
    ? [] : ['no such failure was reported']);

for (const [prefix, widths, themes, pattern] of EXPECTED) {
  for (const width of widths) {
    for (const theme of themes ?? [undefined]) {
      const what = `bad.html @ ${width}px${theme ? ` @ theme ${theme}` : ''}: "${prefix}" fails`;
      const hit = failedRecords.find((r) => r.scope.page === 'bad.html' && r.scope.width === width &&
        r.scope.theme === theme && r.name.startsWith(prefix));
      if (hit) used.add(hit);
      verdict.check({ page: 'selftest' }, what, !hit ? ['it passed'] :
        hit.problems.some((p) => pattern.test(p)) ? [] : [`it failed for another reason: ${hit.problems.join('; ')}`]);
    }
  }
}
// Nothing else may fail: good.html passes everything, bad.html only what it breaks.
const unexpected = failedRecords.filter((r) => !used.has(r));
verdict.check({ page: 'selftest' }, 'nothing else fails (good.html passes every check)',
  unexpected.map((r) => `${r.scope.page} @ ${r.scope.width ?? ''}px${r.scope.theme ? ' @ theme ' + r.scope.theme : ''}: ${r.name}: ${r.problems.join('; ')}`));
// The plot check must have seen good.html's plot, in every theme at every width, and passed it.
const goodPlots = run.records.filter((r) => r.scope.page === 'good.html' && r.name.startsWith('plot contrast') && r.problems.length === 0).length;
verdict.check({ page: 'selftest' }, 'the plot check passes good.html\'s plot in every theme at every width',
  goodPlots === THEMES.length * both.length ? [] : [`it passed ${goodPlots} times, expected ${THEMES.length * both.length}`]);
const goodChecks = run.records.filter((r) => r.scope.page === 'good.html').length;
verdict.check({ page: 'selftest' }, 'good.html was checked', goodChecks >= 20 ? [] : [`only ${goodChecks} checks ran on good.html`]);

// Aligned lines (lib/align.mjs) on selftest/align/: good.html passes, bad.html
// fails each check for its own defect. The pages sit beside copies of the
// real theme/runnable-align.* and theme/runnable.js (its translation helper,
// loaded first as in the book).
const alignDir = join(outDir, 'align');
await mkdir(alignDir, { recursive: true });
for (const file of ['good.html', 'bad.html']) await copyFile(join(here, 'selftest', 'align', file), join(alignDir, file));
for (const file of ['runnable.js', 'runnable-align.js', 'runnable-align.css']) await copyFile(join(here, '..', 'theme', file), join(alignDir, file));
const alignRun = new Report({ log: () => {} });
const alignServer = await serve(alignDir);
const alignBrowser = await launch(opts.chromium);
const alignRan = {};
try {
  for (const path of ['good.html', 'bad.html']) {
    alignRan[path] = await checkAlignPage({ browser: alignBrowser, origin: alignServer.origin, path,
      viewport: VIEWPORTS[0], shots: alignDir, report: alignRun });
  }
} finally {
  await alignBrowser.close();
  await alignServer.close();
}
const alignFailed = (path, prefix) => alignRun.records.find((r) => r.scope.page.startsWith(path) && r.name.startsWith(prefix) && r.problems.length);
verdict.check({ page: 'selftest' }, 'aligned lines: good.html passes every check, its hover and keyboard checks included',
  [...(alignRan['good.html'] ? [] : ['the hover and keyboard checks did not run']),
    ...alignRun.records.filter((r) => r.scope.page.startsWith('good.html') && r.problems.length).map((r) => `${r.name}: ${r.problems.join('; ')}`)]);
for (const [prefix, pattern] of [
  ['every compare pairs the same names', /compare 2 .*Go pairs "close send", Rust pairs "send"/],
  ['copying pane code', /pane 5: .* holds a `\/\/ pair:` marker/],
  ['hovering a paired line', /the lit Rust line looks like an unlit one/],
]) {
  const hit = alignFailed('bad.html', prefix);
  verdict.check({ page: 'selftest' }, `aligned lines: bad.html: "${prefix}" fails`, !hit ? ['it passed']
    : hit.problems.some((p) => pattern.test(p)) ? [] : [`it failed for another reason: ${hit.problems.join('; ')}`]);
}

console.log(verdict.summary('selftest'));
console.log(`selftest: finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
process.exitCode = verdict.failed === 0 ? 0 : 1;
