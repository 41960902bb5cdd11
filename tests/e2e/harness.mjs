// Starts the real server on a temporary SQLite file with the demo data and
// the real built app, and Debian's Chromium driven by playwright-core.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(new URL('../../tools/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const PHONE = { width: 320, height: 640 };
export const DESKTOP = { width: 1280, height: 800 };

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, log) {
  for (let i = 0; i < 300; i += 1) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${log()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy:\n${log()}`);
}

export async function startTend() {
  const bin = process.env.TEND_BIN ?? 'target/debug/tend';
  const dist = process.env.TEND_DIST ?? 'dist';
  const dir = mkdtempSync(join(tmpdir(), 'tend-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(bin, ['--db', join(dir, 'tend.db'), '--addr', `127.0.0.1:${port}`, '--demo', '--dist', dist], {
    env: { ...process.env, RUST_LOG: 'info,sqlx=warn', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  await waitForHealth(url, child, () => output);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  return {
    url,
    browser,
    serverLog: () => output,
    async stop() {
      await browser.close();
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
      // SIGTERM is a graceful shutdown: the server finishes and exits cleanly.
      if (child.exitCode !== 0) throw new Error(`server exited with ${child.exitCode} (signal ${child.signalCode}) on SIGTERM:\n${output}`);
      if (!/shutting down/.test(output) || !/stopped/.test(output)) throw new Error(`no graceful shutdown in the log:\n${output}`);
      // Logs name routes, never a patient's name.
      for (const name of ['Maria Santos', 'James Okafor']) {
        if (output.includes(name)) throw new Error(`patient data in the server log: ${name}`);
      }
    },
  };
}

// The function names of each shipped wasm by index, which tools/build-app.mjs
// writes beside the build (the shipped files carry no names).
const SYMBOLS = process.env.TEND_SYMBOLS ?? 'target/app-build/symbols';
const symbolMaps = new Map();

/// The function names of a shipped wasm (`file`, its name in dist/) by
/// index; null when the build wrote no map for it.
export function symbolNames(file) {
  if (!symbolMaps.has(file)) {
    let names = null;
    try {
      const lines = readFileSync(join(SYMBOLS, `${file}.map`), 'utf8').split('\n').filter(Boolean);
      names = new Map(lines.map((l) => [Number(l.slice(0, l.indexOf(':'))), l.slice(l.indexOf(':') + 1)]));
    } catch {
      // No map for this file: its frames keep their numbers.
    }
    symbolMaps.set(file, names);
  }
  return symbolMaps.get(file);
}

/// An error thrown in the page, as one text. A trap in the wasm (a Rust
/// panic in the release build, which has no message: "unreachable") comes
/// with the functions of its stack, innermost first, so that a failure seen
/// once (in CI) says where it was. Demangled when rustfilt is installed.
export function describeError(error) {
  const frames = [...String(error.stack ?? '').matchAll(/([^/\s()]+\.wasm):wasm-function\[(\d+)\]/g)].map(
    ([, file, index]) => `${file}: ${symbolNames(file)?.get(Number(index)) ?? `wasm-function[${index}]`}`,
  );
  if (frames.length === 0) return String(error);
  let stack = frames.slice(0, 20).join('\n');
  try {
    stack = execFileSync('rustfilt', [], { input: stack, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  } catch {
    // Mangled names still read.
  }
  return `${error}\n${stack.trimEnd().replace(/^/gm, '    in ')}`;
}

/// A fresh browser context (no cookies, no storage) at a viewport size.
export async function newPage(tend, viewport = DESKTOP, locale = 'en-US', options = {}) {
  const context = await tend.browser.newContext({ viewport, locale, baseURL: tend.url, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(describeError(e)));
  // A script or style the Content-Security-Policy blocked is an error too.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  page.errors = errors;
  return page;
}

/// Runs axe-core on the page; returns the violations, one line each.
export async function axeViolations(page) {
  // A page just opened may still say "Loading"; check the page it becomes.
  // (Should it never load or have no heading, axe reports that below.)
  await page.locator('p.loading').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => {});
  await page.locator('h1').first().waitFor({ timeout: 10000 }).catch(() => {});
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => window.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

export async function logIn(page, username, password = 'tend-demo') {
  await page.goto('/login');
  await page.getByLabel(/Username|Usuario/).fill(username);
  await page.getByLabel(/Password|Contraseña/).fill(password);
  await page.getByRole('button', { name: /^(Log in|Entrar)$/ }).click();
}

/// Everything that should be at least 44 by 44 CSS pixels to tap, and is not.
export async function smallTapTargets(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('button, a, input, select, textarea')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => {
        // A radio or checkbox is tapped through its label as well: count the larger of the two.
        const boxes = [el, ...(el.labels ?? [])].map((e) => e.getBoundingClientRect());
        const box = boxes.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
        return { el, box };
      })
      .filter(({ box }) => box.height < 44 || box.width < 44)
      .map(({ el, box }) => `${el.tagName.toLowerCase()} "${el.textContent.trim()}" ${box.width}x${box.height}`),
  );
}

export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/// What keeps a screen from being usable on this viewport: axe-core
/// violations, sideways scrolling and tap targets under 44 px, one line each.
export async function screenProblems(page) {
  const overflow = await horizontalOverflow(page);
  return [
    ...(await axeViolations(page)),
    ...(overflow > 0 ? [`scrolls sideways by ${overflow} px`] : []),
    ...(await smallTapTargets(page)).map((t) => `small tap target: ${t}`),
  ];
}

/// Taps "Send now" and waits until nothing waits to be sent. The outbox also
/// tries again by itself every 30 seconds; when that try happens to come
/// first, the button goes before the tap lands, which is fine as long as it
/// is gone for good. A button still there that cannot be tapped fails.
export async function sendNow(page) {
  const button = page.getByRole('button', { name: 'Send now' });
  await button.click({ timeout: 5000 }).catch(async (error) => {
    if ((await button.count()) !== 0) throw error;
  });
  await button.waitFor({ state: 'detached' });
}

/// Marks one of patient `p`'s agenda items through the API from the page, with
/// a new Idempotency-Key as the app sends: the item titled `title` (in
/// English) today or yesterday (`yesterday: true`), at the local time ending
/// with `time` when given. Answers the status and the day it was on.
export async function markThroughApi(page, p, { title, time = '', yesterday = false, action = 'done', reading = null }) {
  return page.evaluate(
    async ({ p, title, time, yesterday, action, reading }) => {
      const { today } = await (await fetch(`/api/patients/${p}/agenda`)).json();
      const day = yesterday
        ? new Date(new Date(`${today}T12:00:00Z`).getTime() - 86400000).toISOString().slice(0, 10)
        : today;
      const { items } = await (await fetch(`/api/patients/${p}/agenda?from=${day}&to=${day}`)).json();
      const item = items.find((i) => i.title.en === title && i.local.endsWith(time));
      const response = await fetch(`/api/patients/${p}/outcomes`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
        body: JSON.stringify({ activity_id: item.activity_id, scheduled: item.scheduled, action, ...(reading && { reading }) }),
      });
      return { status: response.status, day };
    },
    { p, title, time, yesterday, action, reading },
  );
}

/// A caregiver who may see measurements only: the week's weights in
/// History, and no check-in answers (the page says so, and the API refuses
/// them). `look(what)` runs on each of the two pages.
export async function seesWeightsNotAnswers(page, patient, look = async () => {}) {
  await page.goto(`/patients/${patient}/history`);
  const readings = page.getByRole('region', { name: 'Readings this week' });
  await readings.waitFor();
  const weights = readings.locator('tbody tr').filter({ hasText: 'Weigh yourself' });
  assert.ok((await weights.count()) > 0, 'weights of this week');
  assert.match(await weights.first().innerText(), /\d+(\.\d)? lb/);
  await look('history with measurements only');
  await page.goto(`/patients/${patient}/check-ins`);
  await page.getByText('This part of the record is not shared with you.').waitFor();
  assert.equal(await page.getByText(/PHQ-9/).count(), 0);
  const answers = await page.evaluate(async (p) => (await fetch(`/api/patients/${p}/responses?questionnaire=phq9`)).status, patient);
  assert.equal(answers, 403, 'the server sends no check-in answer');
  await look('a page not shared');
}

/// Starts recording layout shifts in every page this page loads from now on;
/// `layoutShifts(page)` then lists them, each with what moved.
export async function recordLayoutShifts(page) {
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__shifts.push(`${e.value.toFixed(4)}: ${e.sources.map((s) => s.node?.className || s.node?.nodeName).join(', ')}`);
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

export async function layoutShifts(page) {
  return page.evaluate(() => window.__shifts ?? ['not recording']);
}
