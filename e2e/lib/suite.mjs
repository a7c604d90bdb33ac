// The whole test of one built book: the link check, then every chapter page
// at every width in Chromium. Used by run.mjs (the book) and selftest.mjs.

import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from './browser.mjs';
import { checkLinks } from './linkcheck.mjs';
import { testPage, VIEWPORTS } from './page.mjs';
import { chapterPages } from './pages.mjs';
import { serve } from './server.mjs';

const FEATURES = {
  compare: 'Go | Rust side-by-side block',
  exercise: 'exercise card',
  quiz: 'quiz',
  go: 'Go code block',
  rust: 'Rust code block',
};

export async function runSuite({ bookDir, outDir, chromium, only = [], linksOnly = false, report, log = console.log }) {
  const links = await checkLinks(bookDir);
  report.check({ page: 'the whole book' }, `link check (${links.pages} pages, ${links.links} internal links)`, links.problems);
  log(`links: ${links.pages} pages, ${links.links} internal links and anchors checked, ${links.external} external links not fetched (offline)`);
  if (linksOnly) return;

  let pages = await chapterPages(bookDir);
  if (only.length) pages = pages.filter((p) => only.some((want) => p.includes(want)));
  log(`pages: ${pages.join(', ')}`);
  // Only the folders this run writes (--out may name a folder holding more),
  // and only on a run of every page: a --page run replaces its own shots.
  if (!only.length) {
    for (const sub of [...VIEWPORTS.map((v) => `${v.name}-${v.width}`), 'themes']) {
      await rm(join(outDir, sub), { recursive: true, force: true });
    }
  }
  await mkdir(join(outDir, 'themes'), { recursive: true });

  const server = await serve(bookDir);
  let browser;
  const seen = {};
  try {
    browser = await launch(chromium);
    log(`browser: ${chromium} ${browser.version()}; book served at ${server.origin}`);
    for (const page of pages) {
      for (const viewport of VIEWPORTS) {
        const inv = await testPage({ browser, origin: server.origin, page, viewport, outDir, report, log });
        for (const [k, v] of Object.entries(inv ?? {})) seen[k] = (seen[k] ?? 0) + v;
      }
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  for (const [k, name] of Object.entries(FEATURES)) {
    if (!seen[k]) report.note(`no page of the book has a ${name}: its checks did not run`);
  }
  log(`screenshots: ${outDir}`);
}
