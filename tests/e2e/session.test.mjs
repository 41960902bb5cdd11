// The end of a session: one the server ended sends every page back to the
// login page with the reason, and forgets what this device kept of it; one
// left alone for its role's idle limit logs out by itself. Offline is not an
// ended session, and changes waiting on the device wait for their account.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, logIn, newPage, screenProblems, startTend } from './harness.mjs';

let tend;
before(async () => {
  tend = await startTend();
});
after(async () => {
  await tend?.stop();
});

const ENDED = 'Your session has ended. For your safety, Tend logs out after a while without activity, and what it showed is no longer on this device. Log in again to go on.';
const ENDED_ES = 'Su sesión terminó. Por su seguridad, Tend cierra la sesión tras un rato sin actividad, y lo que mostraba ya no está en este dispositivo. Vuelva a entrar para seguir.';

/// Waits until this build's service worker controls the page.
async function serviceWorkerInCharge(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/// How many API answers the service worker keeps for offline (0 when its cache is gone).
async function keptForOffline(page) {
  return page.evaluate(async () => ((await caches.has('tend-data')) ? (await (await caches.open('tend-data')).keys()).length : 0));
}

/// Waits for an async condition in the page, polling.
async function until(check, what, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/// Ends the page's session on the server, as idling out or logging out on
/// another device would: the browser keeps its (now dead) cookie.
async function endSessionOnServer(page) {
  const cookie = (await page.context().cookies()).find((c) => c.name === 'tend_session');
  assert.ok(cookie, 'a session cookie');
  const response = await fetch(`${tend.url}/api/session`, { method: 'DELETE', headers: { cookie: `tend_session=${cookie.value}` } });
  assert.equal(response.status, 204);
  assert.ok((await page.context().cookies()).some((c) => c.name === 'tend_session'), 'the browser still has its cookie');
}

/// The outbox as stored in IndexedDB: one JSON string per change.
async function storedOutbox(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('tend');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('outbox').objectStore('outbox').getAll();
          all.onerror = () => reject(all.error);
          all.onsuccess = () => {
            open.result.close();
            resolve(all.result);
          };
        };
      }),
  );
}

/// GET /api/session's status once it is 401, or after five seconds whatever it is.
async function sessionStatusOnceSettled(page) {
  let status;
  for (let i = 0; i < 50; i += 1) {
    status = await page.evaluate(async () => (await fetch('/api/session')).status);
    if (status === 401) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return status;
}

async function loggedOutWithTheReason(page) {
  await page.waitForURL(/\/login$/);
  await page.getByRole('status').filter({ hasText: ENDED }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0, 'the top bar is logged out');
  assert.equal(await page.evaluate(() => localStorage.getItem('tend.session')), null, 'nobody is remembered for offline');
}

describe('the end of a session', () => {
  test("dana's session ended on the server: her next step lands on the login page, which says why, and nothing of the patients stays on the device", async () => {
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'dana');
    await page.waitForURL(/\/panel$/);
    await serviceWorkerInCharge(page);
    await page.locator('li.panel-row').getByRole('link', { name: 'Maria Santos' }).click();
    await page.waitForURL(/\/patients\/\d+\/manage$/);
    await page.getByRole('heading', { name: 'See what they see' }).waitFor();
    await until(async () => (await keptForOffline(page)) > 0, "the worker keeps Maria's plan");

    await endSessionOnServer(page);
    await page.getByRole('link', { name: 'My patients' }).click();
    await loggedOutWithTheReason(page);
    await until(async () => (await keptForOffline(page)) === 0, 'the kept data is deleted');
    assert.equal(await page.getByText('Maria Santos').count(), 0);

    assert.deepEqual(await screenProblems(page), [], 'the login page with the reason, desktop');
    await page.setViewportSize(PHONE);
    assert.deepEqual(await screenProblems(page), [], 'the login page with the reason, phone');
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('status').filter({ hasText: ENDED_ES }).waitFor();
    assert.deepEqual(await screenProblems(page), [], 'the login page with the reason in Spanish, phone');
    await page.getByRole('button', { name: 'English' }).click();

    // Logging in again goes on as usual, without the reason.
    await page.getByLabel('Username').fill('dana');
    await page.getByLabel('Password').fill('tend-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/panel$/);
    assert.equal(await page.getByText(ENDED).count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('offline is not an ended session; a mark made offline waits through an ended session and is sent once Maria is back', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria');
    await page.waitForURL(/\/patients\/\d+\/today$/);
    const maria = Number(page.url().match(/patients\/(\d+)/)[1]);
    const done = page.locator('li.agenda-item:not(#shell *)').getByRole('button', { name: /^Done/ });
    await done.first().waitFor();
    const marked = async () => page.evaluate(async (p) => (await (await fetch(`/api/patients/${p}/agenda`)).json()).items.filter((i) => i.outcome).length, maria);
    const before = await marked();

    await page.context().setOffline(true);
    await page.getByText(/^You are offline\./).waitFor();
    await done.first().click();
    await page.getByText('1 change is waiting to be sent.').waitFor();
    // Requests that fail for want of a network leave her logged in.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
    await page.waitForURL(/\/history$/);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    assert.equal((await storedOutbox(page)).length, 1);

    await endSessionOnServer(page);
    await page.context().setOffline(false);
    await loggedOutWithTheReason(page);
    assert.equal((await storedOutbox(page)).length, 1, 'the mark still waits on the device');

    await page.getByLabel('Username').fill('maria');
    await page.getByLabel('Password').fill('tend-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/today$/);
    await until(async () => (await storedOutbox(page)).length === 0, 'the outbox to be sent');
    assert.equal(await marked(), before + 1, 'the server has the mark, once');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("dana's open panel logs out by itself after 15 minutes without activity, not before; Maria's after 30", async () => {
    const page = await newPage(tend, DESKTOP);
    await page.clock.install();
    await logIn(page, 'dana');
    await page.waitForURL(/\/panel$/);
    await page.locator('li.panel-row').first().waitFor();
    // Ten minutes in she types; ten more are twenty since she logged in, ten idle.
    await page.clock.fastForward('10:00');
    await page.getByLabel('Find by name').fill('santos');
    await page.getByText('Showing 1 of 42 patients.').waitFor();
    await page.clock.fastForward('10:00');
    assert.match(page.url(), /\/panel$/);
    await page.getByText('Showing 1 of 42 patients.').waitFor();
    // Fifteen idle minutes and a second: logged out, on the server too.
    await page.clock.fastForward('05:01');
    await loggedOutWithTheReason(page);
    assert.equal(await page.getByText('Maria Santos').count(), 0);
    // The device forgets at once and tells the server after: its logout may still be on the way.
    assert.equal(await sessionStatusOnceSettled(page), 401);
    assert.deepEqual(await screenProblems(page), [], 'the login page after idling out, desktop');
    assert.deepEqual(page.errors, []);
    await page.context().close();

    const phone = await newPage(tend, PHONE);
    await phone.clock.install();
    await logIn(phone, 'maria');
    await phone.waitForURL(/\/today$/);
    await phone.locator('li.agenda-item:not(#shell *)').first().waitFor();
    await phone.clock.fastForward('15:01');
    assert.match(phone.url(), /\/today$/, 'a patient has 30 minutes');
    await phone.clock.fastForward('15:00');
    await loggedOutWithTheReason(phone);
    assert.deepEqual(await screenProblems(phone), [], 'the login page after idling out, phone');
    assert.deepEqual(phone.errors, []);
    await phone.context().close();
  });
});
