// A stand-in for the local runner (runner/), node's `http` only, speaking the
// same protocol (runner/README.md): the single-use link token traded for a
// session, `{error, reason}` refusals, CORS for the book's origin only, and
// NDJSON streams of phases ending in `done` or `error`.
//
// It grades nothing: a Check passes when the exercise file equals the
// reference solution and otherwise fails exactly the manifest's
// `failing_checks`. What it is for is the states the real runner rarely
// shows on cue: a slow Check that waits on Cargo's build lock, a verdict
// whose messages carry Markdown, a compile error wider than any card, a
// restart that makes the page's session unknown. A test scripts those with
// `script(kind, id, steps)`.

import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const hex48 = () => randomBytes(24).toString('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const START_LINE = 'Open the book with Run and Check buttons: ';

/**
 * Starts a fake runner for the book served on `bookPort`, reading the
 * exercises of the repository copy `root`. Resolves to a handle:
 * `{ port, link, url, line, restart(), close(), script(), requests }`.
 */
export async function startFakeRunner({ root, bookPort, port = 0 }) {
  const manifest = await readManifest(root);
  const state = {
    link: hex48(),
    linkUsed: false,
    sessions: new Set(),
    scripts: { run: {}, check: {}, progress: null },
    running: new Set(),
    requests: [],
  };
  const origin = `http://127.0.0.1:${bookPort}`;
  let server;
  let actualPort;

  const handler = async (req, res) => {
    state.requests.push(`${req.method} ${req.url}`);
    const cors = req.headers.origin === origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
    const send = (status, body, extra = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', Connection: 'close', ...cors, ...extra });
      res.end(body === null ? '' : JSON.stringify(body));
    };
    const refuse = (status, reason, error) => send(status, { error, reason });
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) {
      return refuse(403, 'bad_host', `this runner answers for 127.0.0.1:${actualPort} only`);
    }
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      return refuse(403, 'bad_origin', `only the book at ${origin} may ask`);
    }
    if (req.method === 'OPTIONS') {
      return send(204, null, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization',
      });
    }
    const length = req.headers['content-length'];
    if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
      return refuse(413, 'body_not_allowed', 'no endpoint takes a body');
    }
    const bearer = /^Bearer ([0-9a-f]{48})$/.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer) return refuse(401, 'no_token', 'no token: open the URL `cargo xtask serve` printed');
    const path = new URL(req.url, 'http://x').pathname;

    if (path === '/api/session') {
      if (req.method !== 'POST') return refuse(405, 'method', 'POST only');
      if (bearer !== state.link) return refuse(403, 'unknown_session', 'this link is not from this runner');
      if (state.linkUsed) return refuse(403, 'link_used', 'this link was already used: open the newest URL `cargo xtask serve` printed');
      state.linkUsed = true;
      const session = hex48();
      state.sessions.add(session);
      return send(200, { session });
    }
    if (!state.sessions.has(bearer)) {
      return refuse(403, 'unknown_session', 'unknown session: the runner was restarted or never saw it');
    }
    const [, api, kind, id] = /^\/(api)\/([a-z]+)(?:\/([a-z0-9_]+))?$/.exec(path) ?? [];
    if (!api) return refuse(404, 'not_found', `no ${path}`);
    if (kind === 'hello' && req.method === 'GET') {
      return send(200, { runner: 'who-closes-the-channel', commands: 0, exercises: manifest.map((e) => e.id), book_port: Number(bookPort) });
    }
    if (kind === 'file' && req.method === 'GET') {
      const ex = manifest.find((e) => e.id === id);
      if (!ex) return refuse(404, 'not_found', `no exercise ${id}`);
      const text = await readFile(join(root, ex.file), 'utf8');
      return send(200, { id, path: ex.file, text });
    }
    if ((kind === 'run' || kind === 'check') && req.method === 'POST') {
      const key = `${kind}/${id}`;
      if (state.running.has(key)) return refuse(409, 'already_running', `${id} is already running`);
      state.running.add(key);
      try {
        return await streamSteps(res, cors, state.scripts[kind][id] ?? (await defaultSteps(kind, id)));
      } finally {
        state.running.delete(key);
      }
    }
    if (kind === 'progress' && req.method === 'GET') {
      return streamSteps(res, cors, state.scripts.progress ?? (await defaultSteps('progress')));
    }
    return refuse(req.method === 'GET' || req.method === 'POST' ? 404 : 405, 'not_found', `no ${req.method} ${path}`);
  };

  async function defaultSteps(kind, id) {
    if (kind === 'run') {
      return [
        { phase: 'building', text: 'building the program', ms: 100 },
        { phase: 'running', text: 'running it', ms: 100 },
        { done: { id, command: id, exit_code: 0, signal: null, timed_out: false, truncated: false, millis: 200, output: [{ stream: 'stdout', text: 'fake runner output\n' }], notes: [] } },
      ];
    }
    if (kind === 'check') {
      return [
        { phase: 'building', text: `building ${id}...`, ms: 100 },
        { phase: 'grading', text: `grading ${id}`, ms: 100 },
        { done: await verdict(id) },
      ];
    }
    const exercises = [];
    for (const ex of manifest) {
      const v = await verdict(ex.id);
      const text = await readFile(join(root, ex.file), 'utf8');
      const state = v.status === 'passed' ? 'done' : text === ex.initial ? 'not_started' : 'partial';
      exercises.push({ id: ex.id, title: ex.title, chapter: ex.chapter, state, passed: v.passed, total: v.total });
    }
    return [{ phase: 'grading', text: 'grading every exercise', ms: 100 }, { done: { current: null, exercises } }];
  }

  async function verdict(id) {
    const ex = manifest.find((e) => e.id === id);
    const [mine, solution] = await Promise.all([
      readFile(join(root, ex.file), 'utf8'),
      readFile(join(root, 'solutions/src', `${id}.rs`), 'utf8').catch(() => null),
    ]);
    const passed = mine === solution;
    const checks = ex.checks.map((name) => {
      const ok = passed || !ex.failing.includes(name);
      return { name, ok, message: ok ? null : `\`${name}\` fails (fake runner)` };
    });
    const ok = checks.filter((c) => c.ok).length;
    return { id, status: passed ? 'passed' : 'failed', passed: ok, total: checks.length, checks, broken: null };
  }

  async function listen(onPort) {
    server = createServer((req, res) => {
      handler(req, res).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: String(e), reason: 'not_found' }));
      });
    });
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', resolve);
    });
    actualPort = server.address().port;
  }

  await listen(port);
  const handle = {
    requests: state.requests,
    get port() { return String(actualPort); },
    get link() { return state.link; },
    get url() { return `${origin}/#runner=${actualPort}:${state.link}`; },
    get line() { return `${START_LINE}${handle.url}`; },
    /** What the next Run/Check of `id` (or progress, id null) streams: a list of
     *  `{phase, text, ms}` then `{done: result}` or `{error, output}`. */
    script(kind, id, steps) {
      if (kind === 'progress') state.scripts.progress = steps;
      else state.scripts[kind][id] = steps;
    },
    /** A restart: same port, a new link, every session forgotten. */
    async restart() {
      await handle.close();
      state.link = hex48();
      state.linkUsed = false;
      state.sessions.clear();
      await listen(actualPort);
    },
    /** Stopped: the port answers nothing. */
    close() {
      return new Promise((done) => {
        server.closeAllConnections?.();
        server.close(() => done());
      });
    },
  };
  return handle;
}

async function streamSteps(res, cors, steps) {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson', Connection: 'close', 'Cache-Control': 'no-store', ...cors });
  for (const step of steps) {
    if (res.destroyed) return;
    if (step.phase) {
      res.write(JSON.stringify({ event: 'phase', phase: step.phase, text: step.text ?? '' }) + '\n');
      await sleep(step.ms ?? 0);
    } else if (step.done) {
      res.write(JSON.stringify({ event: 'done', result: step.done }) + '\n');
    } else {
      res.write(JSON.stringify({ event: 'error', error: step.error, output: step.output ?? '' }) + '\n');
    }
  }
  res.end();
}

/** Ids, files, checks and failing checks of exercises/exercises.toml, plus each file as found. */
async function readManifest(root) {
  const toml = await readFile(join(root, 'exercises/exercises.toml'), 'utf8');
  const out = [];
  for (const block of toml.split('[[exercise]]').slice(1)) {
    const field = (name) => new RegExp(`^${name} = "([^"]*)"`, 'm').exec(block)?.[1];
    const id = field('id');
    if (!id) continue;
    const failing = [.../failing_checks = \[([^\]]*)\]/.exec(block)?.[1].matchAll(/"([^"]+)"/g) ?? []].map((m) => m[1]);
    const file = field('file') ?? `exercises/src/${id}.rs`;
    const checksSource = await readFile(join(root, 'checks', `${id}.rs`), 'utf8').catch(() => '');
    const checks = [...checksSource.matchAll(/#\[test\]\s*(?:#\[[^\]]*\]\s*)*fn (\w+)/g)].map((m) => m[1]);
    const initial = await readFile(join(root, file), 'utf8').catch(() => null);
    out.push({ id, title: field('title') ?? id, chapter: field('chapter') ?? '', file, failing, checks: checks.length ? checks : failing, initial });
  }
  return out;
}
