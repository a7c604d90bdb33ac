// The chapter pages, in book order, read from the built book's table of
// contents (toc.html, mdBook's no-JS sidebar): a chapter added to SUMMARY.md
// is tested without touching this code; a draft chapter (no file) is not.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tags } from './html.mjs';

export async function chapterPages(bookDir) {
  const toc = await readFile(join(bookDir, 'toc.html'), 'utf8').catch(() => {
    throw new Error(`${join(bookDir, 'toc.html')} is missing: is ${bookDir} an mdBook 0.5 HTML build?`);
  });
  const pages = [];
  for (const tag of tags(toc)) {
    const href = tag.name === 'a' ? tag.attrs.get('href') : undefined;
    if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('#')) continue;
    const page = href.split('#')[0];
    if (page && !pages.includes(page)) pages.push(page);
  }
  if (pages.length === 0) throw new Error(`${join(bookDir, 'toc.html')} lists no chapter page`);
  return pages;
}
