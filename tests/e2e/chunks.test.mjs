// The release build is cut into a main module and a chunk per group of
// pages (tools/build-app.mjs): the login page fetches none of the pages'
// code, and a group's code arrives when one of its pages is first opened.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, startTend } from './harness.mjs';

let tend;
before(async () => {
  tend = await startTend();
});
after(async () => {
  await tend?.stop();
});

/// The wasm files a page fetched, by the name of their group (`tend-app` for
/// the main module, `chunk` for code that groups share).
function fetchedGroups(requests) {
  return new Set(
    requests
      .filter((url) => url.endsWith('.wasm'))
      .map((url) => new URL(url).pathname.slice(1).replace(/-[0-9a-f]{16}(_bg)?\.wasm$/, '').replace(/^chunk-\d+$/, 'chunk')),
  );
}

describe('code splitting', () => {
  test("the login page loads only the main module, and each page's code comes when it is opened", async () => {
    // No service worker: it would fetch every file of the build to keep it for offline.
    const context = await tend.browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: tend.url, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.goto('/login');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    // The main module is asked for once the painted page is on screen.
    const mainWasm = (url) => /\/tend-app-[0-9a-f]{16}_bg\.wasm$/.test(url);
    if (!requests.some(mainWasm)) await page.waitForRequest((r) => mainWasm(r.url()), { timeout: 5000 });
    const atLogin = fetchedGroups(requests);
    assert.ok(atLogin.has('tend-app'), `the main module was not fetched: ${[...atLogin]}`);
    for (const group of ['record', 'check_in', 'sharing', 'care']) {
      assert.ok(!atLogin.has(group), `the login page fetched the ${group} pages' code`);
    }

    // Today's code comes soon after the login page painted, while Maria types.
    await page.waitForRequest((r) => /\/today-[0-9a-f]{16}\.wasm$/.test(r.url()));
    await page.getByLabel('Username').fill('maria');
    await page.getByLabel('Password').fill('tend-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    assert.ok(!fetchedGroups(requests).has('record'), 'Today fetched the plan pages’ code');

    const plan = page.waitForRequest((r) => /\/record-[0-9a-f]{16}\.wasm$/.test(r.url()));
    await page.getByRole('link', { name: 'My plan' }).first().click();
    await plan;
    await page.getByRole('heading', { name: 'My care plan', level: 1 }).waitFor();
    // Goals share the plan's chunk: nothing more to fetch.
    const before = requests.length;
    await page.getByRole('link', { name: 'Goals' }).first().click();
    await page.getByRole('heading', { name: 'My goals', level: 1 }).waitFor();
    assert.deepEqual(requests.slice(before).filter((u) => u.endsWith('.wasm')), []);
    assert.ok(!fetchedGroups(requests).has('care'), "a patient fetched the care manager's pages");
    assert.deepEqual(errors, []);
    await context.close();
  });

  test('a page whose code cannot be fetched says so, and opens once the network is back', async () => {
    const context = await tend.browser.newContext({ viewport: DESKTOP, locale: 'en-US', baseURL: tend.url, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Username').fill('maria');
    await page.getByLabel('Password').fill('tend-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await context.route(/\/check_in-[0-9a-f]{16}\.wasm$/, (route) => route.abort('internetdisconnected'));
    await page.getByRole('link', { name: 'Check-ins' }).first().click();
    await page.getByRole('alert').filter({ hasText: /could not be loaded|connection/i }).waitFor();
    await context.unroute(/\/check_in-[0-9a-f]{16}\.wasm$/);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Check-ins', level: 1 }).waitFor();
    await context.close();
  });
});
