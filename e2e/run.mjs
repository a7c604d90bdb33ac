#!/usr/bin/env node
// The built book in a real browser, and a link check. `cargo dev e2e`
// builds the book and runs this; see README.md here.
//
//   node run.mjs [--book DIR] [--out DIR] [--chromium PATH] [--page SUBSTRING]... [--links-only]
//                [--runner BIN] [--root DIR]
//
// After the pages: Run and Check against a fake runner (always), and against
// the real one when --runner names its binary (lib/runner.mjs); then the
// guided experiments without and with that runner (lib/experiments.mjs), and
// the editable listings (lib/edit.mjs). Aligned lines in the Go | Rust panes:
// lib/align.mjs.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runAlignSuite } from './lib/align.mjs';
import { DEFAULT_CHROMIUM, launch } from './lib/browser.mjs';
import { runEditSuite } from './lib/edit.mjs';
import { runExperimentsSuite } from './lib/experiments.mjs';
import { Report } from './lib/report.mjs';
import { runRunnerSuite } from './lib/runner.mjs';
import { runSuite } from './lib/suite.mjs';
import { runZhSuite } from './lib/zh.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    book: { type: 'string', default: join(here, '..', 'book') },
    out: { type: 'string', default: join(here, '..', 'target', 'e2e') },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? DEFAULT_CHROMIUM },
    page: { type: 'string', multiple: true, default: [] },
    'links-only': { type: 'boolean', default: false },
    runner: { type: 'string' },
    root: { type: 'string', default: join(here, '..') },
  },
});
const started = Date.now();
const report = new Report();
try {
  await runSuite({
    bookDir: resolve(opts.book),
    outDir: resolve(opts.out),
    chromium: opts.chromium,
    only: opts.page,
    linksOnly: opts['links-only'],
    report,
  });
} catch (e) {
  report.check({ page: 'the test itself' }, 'runs', [String(e?.stack ?? e)]);
}
if (!opts['links-only']) {
  // Aligned lines in Go | Rust panes (lib/align.mjs).
  await runAlignSuite({ bookDir: resolve(opts.book), outDir: resolve(opts.out), chromium: opts.chromium, only: opts.page, report })
    .catch((e) => report.check({ page: 'the aligned-lines test' }, 'runs', [String(e?.stack ?? e)]));
  // The Chinese build, book/zh-CN/ (lib/zh.mjs).
  await runZhSuite({ bookDir: resolve(opts.book), outDir: resolve(opts.out), chromium: opts.chromium, only: opts.page, root: resolve(opts.root), report })
    .catch((e) => report.check({ page: 'the zh-CN test' }, 'runs', [String(e?.stack ?? e)]));
}
if (!opts['links-only']) {
  let browser;
  try {
    browser = await launch(opts.chromium);
    await runRunnerSuite({
      bookDir: resolve(opts.book),
      root: resolve(opts.root),
      runnerBin: opts.runner ? resolve(opts.runner) : null,
      scratchDir: join(resolve(opts.out), 'runner-scratch'),
      outDir: resolve(opts.out),
      browser,
      report,
    });
    // "Try it" cards (lib/experiments.mjs), on the scratch copy made above.
    await runExperimentsSuite({
      bookDir: resolve(opts.book),
      root: resolve(opts.root),
      runnerBin: opts.runner ? resolve(opts.runner) : null,
      scratchDir: join(resolve(opts.out), 'runner-scratch'),
      outDir: resolve(opts.out),
      browser,
      report,
    });
    // Edit / Run / Reset on listings (lib/edit.mjs), after the experiments:
    // a Rust edit shares their Cargo target, dependencies compiled.
    await runEditSuite({
      bookDir: resolve(opts.book),
      root: resolve(opts.root),
      runnerBin: opts.runner ? resolve(opts.runner) : null,
      scratchDir: join(resolve(opts.out), 'runner-scratch'),
      outDir: resolve(opts.out),
      browser,
      report,
    });
  } catch (e) {
    report.check({ page: 'the runner test' }, 'runs', [String(e?.stack ?? e)]);
  } finally {
    await browser?.close();
  }
}
console.log(report.summary());
console.log(`e2e: finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
process.exitCode = report.failed === 0 ? 0 : 1;
