// The link check: every internal href/src of every built page must name a
// file of the book, and every #fragment an id (or <a name>) on its target
// page. External links are counted, not fetched: there is no network here.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { filesBelow, tags } from './html.mjs';

const LINKING = {
  a: 'href', area: 'href', link: 'href', script: 'src', img: 'src',
  source: 'src', iframe: 'src', video: 'src', audio: 'src', embed: 'src',
};
const ORIGIN = 'http://book.invalid';

/**
 * Returns `{ pages, links, external, problems }`; `problems` are strings of
 * the form `leak/index.html:12: <a href="x.html#y">: no id "y" in x.html`.
 */
export async function checkLinks(bookDir) {
  const files = new Set(await filesBelow(bookDir, ''));
  const pages = [...files].filter((f) => f.endsWith('.html'));
  const parsed = new Map();
  const parse = async (page) => {
    if (!parsed.has(page)) parsed.set(page, tags(await readFile(join(bookDir, page), 'utf8')));
    return parsed.get(page);
  };
  const idCache = new Map();
  const idsOf = async (page) => {
    if (!idCache.has(page)) {
      const ids = new Set();
      for (const t of await parse(page)) {
        if (t.attrs.has('id')) ids.add(t.attrs.get('id'));
        if (t.name === 'a' && t.attrs.has('name')) ids.add(t.attrs.get('name'));
      }
      idCache.set(page, ids);
    }
    return idCache.get(page);
  };

  let links = 0;
  let external = 0;
  const problems = [];
  for (const page of pages) {
    const pageTags = await parse(page);
    const baseTag = pageTags.find((t) => t.name === 'base' && t.attrs.has('href'));
    const pageUrl = new URL(page, ORIGIN + '/');
    const base = baseTag ? new URL(baseTag.attrs.get('href'), pageUrl) : pageUrl;
    for (const t of pageTags) {
      const attr = LINKING[t.name];
      const value = attr && t.attrs.get(attr);
      if (value === undefined || value === '' || value === '#') continue;
      if (t.name === 'link' && /\b(preconnect|dns-prefetch)\b/.test(t.attrs.get('rel') ?? '')) continue;
      const where = `${page}:${t.line}: <${t.name} ${attr}="${value}">`;
      let url;
      try {
        // `#x` is this page's own anchor, even under a <base> (mdBook's 404.html).
        url = new URL(value, value.startsWith('#') ? pageUrl : base);
      } catch {
        problems.push(`${where}: not a valid URL`);
        continue;
      }
      if (url.origin !== ORIGIN) {
        if (!/^(mailto|javascript|data|tel):/i.test(value)) external++;
        continue;
      }
      links++;
      let target = decodeURIComponent(url.pathname).replace(/^\//, '');
      if (target === '' || target.endsWith('/')) target += 'index.html';
      if (!files.has(target)) {
        problems.push(`${where}: no such file ${target} in the built book`);
        continue;
      }
      const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
      if (fragment === '' || fragment === 'top') continue;
      if (!target.endsWith('.html')) {
        problems.push(`${where}: #${fragment} on a file that is not HTML`);
      } else if (!(await idsOf(target)).has(fragment)) {
        problems.push(`${where}: no id "${fragment}" in ${target}`);
      }
    }
  }
  return { pages: pages.length, links, external, problems };
}
