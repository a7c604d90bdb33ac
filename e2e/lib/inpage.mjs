// Functions that run inside the page (page.evaluate serialises them): each
// must be self-contained, with no reference to anything outside its body.

/** What the page holds that the checks look at. */
export function inventory() {
  const count = (sel) => document.querySelectorAll(sel).length;
  return {
    compare: count('.runnable-compare'),
    exercise: count('.runnable-exercise'),
    hint: count('.runnable-exercise details.runnable-hint'),
    solution: count('.runnable-exercise details.runnable-solution'),
    quiz: count('.runnable-quiz'),
    question: count('.runnable-quiz .runnable-question'),
    go: count('pre > code.language-go'),
    rust: count('pre > code.language-rust'),
  };
}

/** Go and Rust blocks highlighted by highlight.js as their own language. */
export function highlightProblems() {
  const problems = [];
  const describe = (code, i) => {
    const first = (code.textContent || '').trim().split('\n')[0].slice(0, 50);
    return `${code.className.split(' ')[0]} block #${i + 1} ("${first}")`;
  };
  for (const lang of ['go', 'rust']) {
    const blocks = [...document.querySelectorAll(`pre > code.language-${lang}`)];
    blocks.forEach((code, i) => {
      if (!code.classList.contains('hljs')) {
        problems.push(`${describe(code, i)} has no "hljs" class: highlight.js did not run on it`);
      } else if (!code.querySelector('span[class^="hljs-"], span[class*=" hljs-"]')) {
        problems.push(`${describe(code, i)} has no hljs-* token spans: it is not highlighted`);
      }
    });
  }
  // A pane or listing that says it is Go/Rust must hold code of that language.
  for (const holder of document.querySelectorAll('.runnable-pane[data-lang], .runnable-listing[data-lang]')) {
    const lang = holder.dataset.lang;
    if (lang !== 'go' && lang !== 'rust') continue;
    const code = holder.querySelector('pre > code');
    const where = `${holder.className.split(' ')[0]}[data-lang=${lang}]`;
    if (!code) problems.push(`${where} holds no code block`);
    else if (!code.classList.contains(`language-${lang}`)) {
      problems.push(`${where} holds a block with class "${code.className}", not language-${lang}`);
    }
  }
  return problems;
}

/**
 * Boxes of each compare block's panes (element children), to tell side by
 * side from stacked.
 */
export function compareBoxes() {
  return [...document.querySelectorAll('.runnable-compare')].map((c) => {
    const panes = [...c.children].filter((e) => e.getClientRects().length > 0);
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, width: r.width, height: r.height };
    };
    return {
      langs: panes.map((p) => p.dataset.lang || p.className.split(' ')[0] || p.tagName.toLowerCase()),
      panes: panes.map(box),
      root: box(c),
    };
  });
}

/**
 * Whether the reader has to scroll sideways: the document, or mdBook's
 * content area (it is `overflow-y: auto`, so it scrolls sideways rather than
 * the page), is wider than the window. Code blocks and tables that scroll
 * inside themselves are fine.
 */
export function horizontalOverflow() {
  const problems = [];
  const scrollers = [document.scrollingElement, ...document.querySelectorAll('.content, .content main')];
  for (const s of scrollers) {
    if (!s || s.scrollWidth <= s.clientWidth + 1) continue;
    // An element with `overflow-x: visible` cannot scroll: what sticks out of
    // it (a Go | Rust comparison deliberately wider than the text column)
    // is the business of the scroller around it, which is checked too.
    if (s !== document.scrollingElement && getComputedStyle(s).overflowX === 'visible') continue;
    const edge = s.getBoundingClientRect().left + s.clientWidth;
    const culprits = [];
    for (const e of s.querySelectorAll('main *')) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= edge + 1) continue;
      const parent = e.parentElement;
      if (parent && parent !== s && parent.getBoundingClientRect().right > edge + 1) continue; // its parent is reported
      culprits.push(`${e.tagName.toLowerCase()}${[...e.classList].map((c) => '.' + c).join('')} (${Math.round(r.width)}px wide, right edge at ${Math.round(r.right)}px)`);
      if (culprits.length >= 3) break;
    }
    const name = s === document.scrollingElement ? 'the page' : s.matches('main') ? 'the main column' : "mdBook's content area";
    problems.push(`${name} scrolls sideways: ${s.scrollWidth}px of content in ${s.clientWidth}px${culprits.length ? '; sticking out: ' + culprits.join(', ') : ''}`);
  }
  return problems;
}

/**
 * WCAG contrast of every visible text inside `selector`, against the
 * background it is painted on (background colours of the ancestors,
 * alpha-composited onto white). Returns the failures.
 */
export function contrastProblems({ selector, normal, large }) {
  for (const a of document.getAnimations()) a.finish(); // no colour caught mid-transition
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
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
  };
  // The colour under `el`: the background colours of it and its ancestors,
  // alpha-composited onto white; and the opacity of the layers above that.
  const background = (el) => {
    const layers = [];
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      const c = rgba(cs.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
      opacity *= Number(cs.opacity);
    }
    return {
      color: layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]),
      opacity,
    };
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
  const rootOf = (el) => {
    const root = el.closest(selector);
    const data = root.dataset.exercise || root.dataset.quiz || root.dataset.lang || '';
    return root.className.split(' ')[0] + (data ? `[${data}]` : '');
  };

  const failures = new Map(); // one line per root, element kind and colour pair
  let checked = 0;
  const seen = new Set();
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (seen.has(el)) continue;
      seen.add(el);
      const text = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent)
        .join('')
        .trim();
      if (!text) continue;
      const cs = getComputedStyle(el);
      if (el.getClientRects().length === 0 || cs.visibility !== 'visible' || Number(cs.opacity) === 0) continue;
      checked++;
      const bg = background(el);
      const ink = rgba(cs.color);
      ink[3] *= bg.opacity;
      const fg = over(ink, bg.color);
      const size = parseFloat(cs.fontSize);
      const isLarge = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      const min = isLarge ? large : normal;
      const r = ratio(fg, bg.color);
      if (r < min) {
        const tag = el.tagName.toLowerCase() + [...el.classList].map((c) => '.' + c).join('');
        const token = [...el.classList].some((c) => c.startsWith('hljs-')) ? ' (a highlight.js token: the theme\'s highlight colours)' : '';
        const key = `${rootOf(el)} ${tag} ${hex(fg)} ${hex(bg.color)}`;
        const f = failures.get(key);
        if (f) f.count++;
        else failures.set(key, { count: 1, line: `${rootOf(el)} ${tag} "${text.slice(0, 40)}": contrast ${r.toFixed(2)} < ${min} (text ${hex(fg)} on ${hex(bg.color)})${token}` });
      }
    }
  }
  const problems = [...failures.values()].map((f) => f.line + (f.count > 1 ? ` [and ${f.count - 1} more like it]` : ''));
  return { checked, problems };
}

/**
 * Pane code that does not fit its box: a reader comparing Go with Rust line
 * by line must not have to scroll a pane sideways (issue 14). The code
 * element is the scroller (highlight.js gives it `overflow-x: auto`), so its
 * scrollWidth against its clientWidth tells; the widest line is named.
 */
export function paneFitProblems() {
  const problems = [];
  document.querySelectorAll('.runnable-compare').forEach((c, i) => {
    c.querySelectorAll('.runnable-pane').forEach((pane) => {
      const code = pane.querySelector('pre > code');
      if (!code || code.getClientRects().length === 0) return;
      if (code.scrollWidth <= code.clientWidth + 1) return;
      const longest = (code.textContent || '').split('\n').reduce((a, b) => (b.length > a.length ? b : a), '');
      problems.push(`compare #${i + 1}, ${pane.dataset.lang || '?'} pane: its code is ${code.scrollWidth}px wide in a ${code.clientWidth}px box, so the reader scrolls sideways (longest line, ${longest.length} columns: "${longest.trim().slice(0, 60)}")`);
    });
  });
  return problems;
}

/**
 * A pane line that wraps must not continue at or left of where its code
 * starts (issue 23): read at column 0, Go's `{` or a comment's second half
 * looks like a line of its own. theme/runnable.js hangs the continuation
 * rows under the line's indent. Walks each character of each pane (a
 * Range per character: a few hundred ms for a chapter) and finds the
 * visual rows of each source line.
 */
export function hangProblems() {
  const problems = [];
  const range = document.createRange();
  document.querySelectorAll('.runnable-compare').forEach((c, i) => {
    c.querySelectorAll('.runnable-pane').forEach((pane) => {
      const code = pane.querySelector('pre > code');
      if (!code || code.getClientRects().length === 0) return;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      let line = 1;
      let start = null; // left edge of the line's first non-blank character
      let top = null; // top of the row the previous character sat on
      let text = '';
      let bad = 0;
      let example = null;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const chars = node.textContent;
        for (let k = 0; k < chars.length; k++) {
          if (chars[k] === '\n') {
            line++;
            start = top = null;
            text = '';
            continue;
          }
          range.setStart(node, k);
          range.setEnd(node, k + 1);
          const r = range.getBoundingClientRect();
          if (r.height === 0) continue; // a hidden line
          text += chars[k];
          const blank = chars[k].trim() === '';
          if (start === null) {
            if (!blank) start = r.left;
            top = r.top;
            continue;
          }
          if (r.top > top + r.height / 2 && !blank && r.left <= start + 1) {
            bad++;
            example ??= { line, text: text.trim() };
          }
          top = r.top;
        }
      }
      if (bad > 0) {
        problems.push(`compare #${i + 1}, ${pane.dataset.lang || '?'} pane: ${bad} wrapped row(s) continue at or left of where their line's code starts (line ${example.line}: "${example.text.slice(0, 60)}")`);
      }
    });
  });
  return problems;
}
