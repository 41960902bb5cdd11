// What the browser benchmarks share: the release server with the demo data
// on a port of its own, and maria logging in as she would.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/// Starts `TEND_BIN` (target/release/tend) on `TEND_DIST` (dist) with a new
/// database in a temporary folder; resolves once it answers.
export async function startServer(name) {
  const bin = process.env.TEND_BIN ?? 'target/release/tend';
  const dist = process.env.TEND_DIST ?? 'dist';
  const port = 38000 + Math.floor(Math.random() * 2000);
  const url = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), `tend-${name}-`));
  const server = spawn(bin, ['--db', join(dir, 'tend.db'), '--addr', `127.0.0.1:${port}`, '--demo', '--dist', dist], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: 'ignore',
  });
  let failed = null;
  server.on('error', (e) => (failed = e));
  server.on('exit', (code, signal) => (failed ??= new Error(`the server stopped (${code ?? signal})`)));
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r() : server.on('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; ; i += 1) {
    if (failed) {
      rmSync(dir, { recursive: true, force: true });
      throw failed;
    }
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, dir, stop };
    } catch {
      // not listening yet
    }
    if (i > 300) {
      await stop();
      throw new Error('the server did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/// Maria logs in through the login page (a puppeteer page) and reads her
/// day; resolves with her Today's address.
export async function logInAsMaria(page, url) {
  await page.goto(`${url}/login`);
  // Into the app's own form: puppeteer sets a field's value without typing
  // it, so the login page painted before the app (which the app takes over
  // once nobody types) can be replaced between finding a field and filling
  // it, and what was filled is lost.
  await page.waitForFunction(() => !document.getElementById('shell'));
  await page.locator('#username').fill('maria');
  await page.locator('#password').fill('tend-demo');
  await page.locator('button[type=submit]:not([disabled])').click();
  await page.waitForFunction(() => /\/today$/.test(location.pathname));
  // The whole day on screen (the app builds its cards a few a task): what
  // the app keeps for the next start when she leaves.
  await page.waitForFunction(() => performance.getEntriesByName('tend:today-shown').length > 0);
  return new URL(page.url()).pathname;
}
