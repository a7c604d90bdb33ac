// Debian's Chromium, driven by playwright-core: never a browser download.
// Every page runs in a fresh context whose requests are intercepted: anything
// not addressed to this machine is aborted and recorded as a failure.

import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

// The flags this machine needs: no GPU, and none of Chromium's own
// background traffic, which the closed network refuses. Playwright itself
// adds --headless, --no-sandbox and a fresh, empty --user-data-dir (a new
// temporary profile for every launch, deleted on close); it refuses a
// --user-data-dir of ours.
export const FLAGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch(executablePath = DEFAULT_CHROMIUM) {
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: run \`bash .ci/install-chromium.sh\` (Debian's chromium and chromium-driver)`);
  }
  return chromium.launch({
    executablePath,
    headless: true,
    args: FLAGS,
    timeout: 60_000,
  });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export function isLocal(url) {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
    return LOCAL_HOSTS.has(u.hostname);
  } catch {
    return false;
  }
}

/**
 * Opens a fresh context and page for one viewport. `events` collects what
 * the page did wrong on its own: console errors, uncaught exceptions,
 * requests that tried to leave the machine, local requests that failed.
 */
export async function openPage(browser, viewport) {
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: 1,
    isMobile: viewport.mobile ?? false,
    hasTouch: viewport.mobile ?? false,
    colorScheme: 'light',
    serviceWorkers: 'block',
  });
  const events = { console: [], offline: [], failed: [] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    events.offline.push(`${route.request().method()} ${url}${explain(url)}`);
    return route.abort('blockedbyclient');
  });
  // WebSockets are not routed by context.route: watch them too.
  context.on('page', (p) => watchSockets(p, events));
  context.setDefaultTimeout(5_000); // a missing element fails in seconds, not 30
  const page = await context.newPage();
  watchSockets(page, events);
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Our own abort of a request that left the machine: reported as such.
    if (msg.text().includes('net::ERR_BLOCKED_BY_CLIENT')) return;
    const loc = msg.location();
    const at = loc?.url ? ` (${loc.url}:${loc.lineNumber})` : '';
    events.console.push(`console.error: ${msg.text()}${at}`);
  });
  page.on('pageerror', (err) => events.console.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    if (isLocal(req.url())) events.failed.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && isLocal(res.url())) events.failed.push(`${res.url()}: HTTP ${res.status()}`);
  });
  return { context, page, events };
}

/** Why a known outside request happens, and how the book avoids it. */
function explain(url) {
  if (url.startsWith('https://play.rust-lang.org/meta/crates')) {
    return ' (mdBook\'s book.js asks the Rust playground for its crate list as soon as a page shows a' +
      ' Rust block with a Run button: mark such blocks `noplayground`, or set' +
      ' [output.html.playground] runnable = false)';
  }
  if (url.startsWith('https://play.rust-lang.org/')) return ' (a click on a Run button)';
  return '';
}

function watchSockets(page, events) {
  page.on('websocket', (ws) => {
    if (!isLocal(ws.url())) events.offline.push(`WebSocket ${ws.url()}`);
  });
}
