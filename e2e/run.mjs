#!/usr/bin/env node
// The built book in a real browser, and a link check. `cargo xtask e2e`
// builds the book and runs this; see e2e/README.md.
//
//   node run.mjs [--book DIR] [--out DIR] [--chromium PATH] [--page P]... [--links-only]

import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launch, DEFAULT_CHROMIUM } from './lib/browser.mjs';
import { checkLinks } from './lib/linkcheck.mjs';
import { chapterPages } from './lib/pages.mjs';
import { Report } from './lib/report.mjs';
import { serve } from './lib/server.mjs';
import { testPage, VIEWPORTS } from './lib/page.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    book: { type: 'string', default: join(here, '..', 'book') },
    out: { type: 'string', default: join(here, '..', 'target', 'e2e') },
    chromium: { type: 'string', default: process.env.CHROMIUM ?? DEFAULT_CHROMIUM },
    page: { type: 'string', multiple: true },
    'links-only': { type: 'boolean', default: false },
  },
});
const bookDir = resolve(opts.book);
const outDir = resolve(opts.out);
const started = Date.now();
const report = new Report();

// 1. The link check: no browser needed.
const links = await checkLinks(bookDir);
report.check({ page: 'the whole book' }, `link check (${links.pages} pages, ${links.links} internal links)`, links.problems);
console.log(`links: ${links.pages} pages, ${links.links} internal links and anchors checked, ${links.external} external links not fetched (offline)`);

if (!opts['links-only']) {
  // 2. Every chapter page at every width, in Chromium, offline.
  let pages = await chapterPages(bookDir);
  if (opts.page?.length) pages = pages.filter((p) => opts.page.some((want) => p.includes(want)));
  console.log(`pages: ${pages.join(', ')}`);
  // Only the folders this run writes: --out may name a folder holding more.
  for (const sub of [...VIEWPORTS.map((v) => `${v.name}-${v.width}`), 'themes']) {
    await rm(join(outDir, sub), { recursive: true, force: true });
  }
  await mkdir(join(outDir, 'themes'), { recursive: true });
  const server = await serve(bookDir);
  const browser = await launch(opts.chromium);
  console.log(`browser: ${opts.chromium} ${browser.version()}; book served at ${server.origin}`);
  const seen = {};
  try {
    for (const page of pages) {
      for (const viewport of VIEWPORTS) {
        const inv = await testPage({ browser, origin: server.origin, page, viewport, outDir, report });
        for (const [k, v] of Object.entries(inv ?? {})) seen[k] = (seen[k] ?? 0) + v;
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const names = { compare: 'Go | Rust side-by-side block', exercise: 'exercise card', quiz: 'quiz', go: 'Go code block', rust: 'Rust code block' };
  for (const [k, name] of Object.entries(names)) {
    if (!seen[k]) report.note(`no page of the book has a ${name}: its checks did not run`);
  }
  console.log(`screenshots: ${outDir}`);
}

console.log(report.summary());
console.log(`e2e: finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
process.exitCode = report.failed === 0 ? 0 : 1;
