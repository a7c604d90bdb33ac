// The book's plots (inline SVG drawn by support/plot, root `svg.plot`) in
// every theme: their text and their lines must read against the page
// behind them. support/plot draws text and axes in currentColor and series
// in a palette chosen for every theme; this checks the result as a reader
// sees it, so a plot drawn in fixed black, or in a colour that vanishes on
// one theme, fails here.

import { join } from 'node:path';

export const PLOTS = 'svg.plot';
/** WCAG 2: 4.5 for text, 3 for the lines and shapes that carry the data (1.4.11). */
export const PLOT_CONTRAST = { text: 4.5, graphics: 3 };
/**
 * Lines drawn at less than this opacity are decoration (the grid), meant to
 * be faint, and are not checked. Data lines, axes and markers are opaque.
 */
export const DECORATION_BELOW = 0.5;

/**
 * Runs in the page: for every visible plot, the contrast of each text and
 * of each opaque stroke or fill against the page background behind the
 * plot (the SVG itself is transparent).
 */
export function plotContrastProblems({ selector, text, graphics, decorationBelow }) {
  for (const a of document.getAnimations()) a.finish();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const rgba = (css) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const pageBehind = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  // Opacity of el and of its ancestors up to the plot's root.
  const opacity = (el, root) => {
    let o = 1;
    for (let e = el; e && e !== root.parentElement; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };

  const problems = [];
  let checked = 0;
  const plots = [...document.querySelectorAll(selector)].filter((p) => p.getClientRects().length > 0);
  plots.forEach((plot, i) => {
    const name = `plot #${i + 1} ("${plot.getAttribute('aria-label') ?? ''}")`;
    const bg = pageBehind(plot);
    const failures = new Map();
    const seen = { text: 0, graphics: 0 };
    const judge = (el, kind, paint, alpha, min) => {
      const c = rgba(paint);
      c[3] *= alpha;
      if (c[3] === 0) return;
      checked++;
      seen[kind]++;
      const fg = over(c, bg);
      const r = ratio(fg, bg);
      if (r < min) {
        const tag = el.tagName.toLowerCase();
        const what = kind === 'text' ? `text "${el.textContent.trim().slice(0, 40)}"` : `${tag} (${kind === 'graphics' ? 'a line or marker' : kind})`;
        const key = `${tag} ${kind} ${hex(fg)}`;
        const f = failures.get(key);
        if (f) f.count++;
        else failures.set(key, { count: 1, line: `${name}: ${what}: contrast ${r.toFixed(2)} < ${min} (${hex(fg)} on ${hex(bg)})` });
      }
    };
    for (const el of plot.querySelectorAll('text')) {
      const cs = getComputedStyle(el);
      if (!el.textContent.trim() || cs.visibility !== 'visible') continue;
      judge(el, 'text', cs.fill, opacity(el, plot) * Number(cs.fillOpacity), text);
    }
    for (const el of plot.querySelectorAll('line, polyline, path, circle, rect, ellipse, polygon')) {
      const cs = getComputedStyle(el);
      if (cs.visibility !== 'visible') continue;
      const o = opacity(el, plot);
      if (o < decorationBelow) continue;
      if (cs.stroke !== 'none' && Number(cs.strokeWidth.replace('px', '')) > 0) {
        judge(el, 'graphics', cs.stroke, o * Number(cs.strokeOpacity), graphics);
      }
      if (cs.fill !== 'none' && el.tagName !== 'line' && el.tagName !== 'polyline') {
        judge(el, 'graphics', cs.fill, o * Number(cs.fillOpacity), graphics);
      }
    }
    if (seen.text === 0 || seen.graphics === 0) {
      problems.push(`${name}: ${seen.text} texts and ${seen.graphics} opaque lines or shapes were found to check: is it a plot?`);
    }
    problems.push(...[...failures.values()].map((f) => f.line + (f.count > 1 ? ` [and ${f.count - 1} more like it]` : '')));
  });
  return { plots: plots.length, checked, problems };
}

/**
 * The check, in one theme: contrast of every plot on the page, and a
 * screenshot of the first plot (target/e2e/themes/PAGE.WIDTH.THEME.plot.png)
 * for a human to look at. Returns null when the page has no plot.
 */
export async function plotsInTheme(tab, { outDir, name }) {
  const result = await tab.evaluate(plotContrastProblems, {
    selector: PLOTS,
    ...PLOT_CONTRAST,
    decorationBelow: DECORATION_BELOW,
  });
  if (result.plots === 0) return null;
  const plot = tab.locator(PLOTS).first();
  // A human aid, not a check: give it time on a loaded machine.
  await plot.scrollIntoViewIfNeeded({ timeout: 30_000 });
  await plot.screenshot({ path: join(outDir, 'themes', `${name}.plot.png`), timeout: 30_000 });
  return result;
}
