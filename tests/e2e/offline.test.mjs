// Installable and offline: the manifest and icons, the service worker's shell
// and last-known data, and the outbox that keeps marks and check-ins made
// offline until the server has each of them, once.
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

function card(page, title, time) {
  return page.locator('li.agenda-item:not(#shell *)').filter({ hasText: title }).filter({ hasText: time });
}

const patientOf = (page) => Number(page.url().match(/patients\/(\d+)/)[1]);

/// Waits until this build's service worker controls the page.
async function serviceWorkerInCharge(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/// What the server holds: today's marked items, and the PHQ-9 responses.
async function recordsOnServer(page, patientId) {
  return page.evaluate(async (p) => {
    const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
    const phq9 = await (await fetch(`/api/patients/${p}/responses?questionnaire=phq9`)).json();
    return { marked: agenda.items.filter((i) => i.outcome).length, phq9: phq9.length };
  }, patientId);
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

async function restoreOutbox(page, entries) {
  await page.evaluate(
    (entries) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('tend');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const transaction = open.result.transaction('outbox', 'readwrite');
          for (const json of entries) transaction.objectStore('outbox').put(json, JSON.parse(json).key);
          transaction.oncomplete = () => {
            open.result.close();
            resolve();
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    entries,
  );
}

/// Waits for a condition in the test itself (the answers' headers arrive on their own time).
async function until(condition, timeout = 10_000) {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${condition}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function answer(page, label) {
  await page.getByRole('group').getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: /^(Next|Send my answers)$/ }).click();
}

describe('installable', () => {
  test('the manifest, its icons and the service worker are served', async () => {
    const page = await newPage(tend, PHONE);
    await page.goto('/login');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (href) => {
      const response = await fetch(href);
      return { type: response.headers.get('content-type'), body: await response.json() };
    }, href);
    assert.equal(manifest.type, 'application/manifest+json');
    assert.equal(manifest.body.display, 'standalone');
    assert.equal(manifest.body.start_url, '/');
    assert.equal(manifest.body.theme_color, await page.locator('meta[name="theme-color"]').getAttribute('content'));
    const sizes = manifest.body.icons.map((i) => `${i.sizes} ${i.purpose}`);
    for (const size of ['192x192 any', '512x512 any', '512x512 maskable']) assert.ok(sizes.includes(size), size);
    const apple = await page.locator('link[rel="apple-touch-icon"]').getAttribute('href');
    for (const src of [...manifest.body.icons.map((i) => i.src), apple]) {
      const icon = await page.evaluate(async (src) => {
        const response = await fetch(src);
        const blob = await response.blob();
        if (blob.type === 'image/svg+xml') return { ok: response.ok, width: 0, height: 0, type: blob.type };
        const bitmap = await createImageBitmap(blob);
        return { ok: response.ok, width: bitmap.width, height: bitmap.height, type: blob.type };
      }, src);
      assert.ok(icon.ok, src);
      const declared = manifest.body.icons.find((i) => i.src === src)?.sizes ?? '180x180';
      if (declared !== 'any') assert.equal(`${icon.width}x${icon.height}`, declared, src);
    }
    assert.equal(await page.locator('meta[name="apple-mobile-web-app-capable"]').getAttribute('content'), 'yes');
    await serviceWorkerInCharge(page);
    await page.context().close();
  });
});

describe('offline', () => {
  test('five marks and a PHQ-9 made offline survive a reload and reach the server once each', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const patientId = patientOf(page);
    await serviceWorkerInCharge(page);
    // Online once more with the worker in charge: the plan and today are kept for offline.
    await page.goto(`/patients/${patientId}/plan`);
    await page.getByRole('heading', { name: 'My care plan', level: 1 }).waitFor();
    await page.goto(`/patients/${patientId}/today`);
    const items = [
      ['Fasting blood sugar', '7:00 AM', '112'],
      ['Weigh yourself', '7:30 AM', '176.4'],
      ['Metformin 500 mg', '8:00 AM'],
      ['Furosemide 40 mg', '8:00 AM'],
      ['Metformin 500 mg', '8:00 PM'],
    ];
    await card(page, 'Metformin 500 mg', '8:00 PM').getByRole('button', { name: /^Done/ }).waitFor();
    const before = await recordsOnServer(page, patientId);

    await page.context().setOffline(true);
    await page.getByRole('status').filter({ hasText: 'You are offline.' }).waitFor();
    for (const [title, time, value] of items) {
      const item = card(page, title, time);
      if (value) {
        await item.getByRole('textbox').first().fill(value);
        await item.getByRole('button', { name: /^Save/ }).click();
      } else {
        await item.getByRole('button', { name: /^Done/ }).click();
      }
      await item.getByText(/^Done.* · Waiting to be sent$/).waitFor();
    }
    await page.getByRole('status').filter({ hasText: '5 changes are waiting to be sent.' }).waitFor();

    // The check-in opens offline from the worker's shell, and its answers join the outbox.
    await page.goto(`/patients/${patientId}/check-ins/phq9`);
    await page.getByText('Question 1 of 10').waitFor();
    for (let i = 0; i < 9; i += 1) await answer(page, 'Not at all');
    await page.getByText('Question 10 of 10').waitFor();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    await page.getByText('Score: 0 of 27').waitFor();
    await page.getByText('Your answers are kept on this device and will be sent when you are back online.').waitFor();
    await page.getByRole('status').filter({ hasText: '6 changes are waiting to be sent.' }).waitFor();

    // Reloaded offline: the app opens, with everything still waiting.
    await page.goto(`/patients/${patientId}/today`);
    await page.reload();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: '6 changes are waiting to be sent.' }).waitFor();
    for (const [title, time] of items) {
      await card(page, title, time).getByText(/ · Waiting to be sent$/).waitFor();
    }
    assert.deepEqual(await screenProblems(page), [], 'offline, with changes waiting');
    const waiting = await storedOutbox(page);
    assert.equal(waiting.length, 6);
    // The plan reads offline from the last copy.
    await page.goto(`/patients/${patientId}/plan`);
    await page.getByRole('heading', { name: 'My care plan', level: 1 }).waitFor();
    await page.getByText('Metformin 500 mg').first().waitFor();
    await page.goto(`/patients/${patientId}/today`);
    await page.getByRole('status').filter({ hasText: '6 changes are waiting to be sent.' }).waitFor();

    const replayed = [];
    page.on('response', async (r) => {
      if (r.request().method() !== 'POST') return;
      if ((await r.allHeaders())['idempotent-replayed'] === 'true') replayed.push(r.url());
    });
    await page.context().setOffline(false);
    await page.waitForFunction(() => !document.querySelector('.outbox-status')?.textContent.includes('waiting'));
    for (const [title, time] of items) {
      const item = card(page, title, time);
      await item.getByRole('button', { name: /^Undo/ }).waitFor();
      assert.doesNotMatch(await item.innerText(), /Waiting to be sent/);
    }
    assert.deepEqual(await storedOutbox(page), []);
    const after = await recordsOnServer(page, patientId);
    assert.deepEqual(after, { marked: before.marked + 5, phq9: before.phq9 + 1 }, 'exactly 6 new records');
    assert.deepEqual(replayed, []);

    // The same six sent again (as from a tab that missed the answers): stored once, answered as replays.
    await restoreOutbox(page, waiting);
    await page.reload();
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.waitForFunction(async () => {
      const open = await new Promise((resolve) => {
        const request = indexedDB.open('tend');
        request.onsuccess = () => resolve(request.result);
      });
      const count = await new Promise((resolve) => {
        const request = open.transaction('outbox').objectStore('outbox').count();
        request.onsuccess = () => resolve(request.result);
      });
      open.close();
      return count === 0;
    });
    await page.waitForFunction(() => !document.querySelector('.outbox-status')?.textContent.includes('waiting'));
    await until(() => replayed.length >= 6);
    assert.equal(replayed.length, 6, 'each answered from its Idempotency-Key');
    assert.deepEqual(await recordsOnServer(page, patientId), after, 'a second replay adds nothing');

    // Only plan, agenda and care team are kept, and one shell: this build's.
    const cached = await page.evaluate(async () => ({
      names: await caches.keys(),
      data: (await (await caches.open('tend-data')).keys()).map((r) => new URL(r.url).pathname),
    }));
    assert.equal(cached.names.filter((n) => n.startsWith('tend-shell-')).length, 1);
    assert.ok(cached.data.length > 0);
    for (const path of cached.data) assert.match(path, /^\/api\/patients\/\d+\/(agenda|plan|care-team)$/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the connection back while a try is failing: what waits is sent then, not at the next half-minute try', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'james');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const patientId = patientOf(page);
    const prednisone = page.locator('li.agenda-item:not(#shell *)').filter({ hasText: 'Prednisone 40 mg' });
    await prednisone.getByRole('button', { name: /^Done/ }).waitFor();
    // The mark's first try hangs, as on a signal that is going; the
    // connection comes back meanwhile; then that first try fails.
    let release;
    const held = new Promise((resolve) => (release = resolve));
    let tries = 0;
    await page.route(`**/api/patients/${patientId}/outcomes`, async (route) => {
      tries += 1;
      if (tries > 1) return route.continue();
      await held;
      return route.abort('internetdisconnected');
    });
    // The first answer is the second try's (the first one gets none). It
    // comes as soon as that first try ends: the outbox's own timer would
    // come 30 s later, past this wait.
    const answered = page.waitForResponse((r) => r.url().endsWith(`/api/patients/${patientId}/outcomes`), { timeout: 10_000 });
    await prednisone.getByRole('button', { name: /^Done/ }).click();
    await until(() => tries === 1);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    release();
    assert.equal((await answered).status(), 200);
    assert.equal(tries, 2);
    await prednisone.getByRole('button', { name: /^Undo/ }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.outbox-status')?.textContent.includes('waiting'));
    assert.doesNotMatch(await prednisone.innerText(), /Waiting to be sent|Sending/);
    const marked = await page.evaluate(async (p) => {
      const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
      return agenda.items.filter((i) => i.title.en === 'Prednisone 40 mg' && i.outcome).length;
    }, patientId);
    assert.equal(marked, 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a change the server refuses on replay is shown with its reason and what was entered', async () => {
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'james');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const patientId = patientOf(page);
    const inhaler = card(page, 'Tiotropium inhaler', '9:00 AM');
    await inhaler.getByRole('button', { name: /^Done/ }).waitFor();
    const activity = await page.evaluate(async (p) => {
      const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
      return { id: agenda.items.find((i) => i.title.en === 'Tiotropium inhaler').activity_id, today: agenda.today };
    }, patientId);

    await page.context().setOffline(true);
    await inhaler.getByRole('button', { name: /^Done/ }).click();
    await inhaler.getByText('Done · Waiting to be sent').waitFor();
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      assert.deepEqual(await screenProblems(page), [], `offline at ${viewport.width} px`);
    }

    // Meanwhile the care manager moves the inhaler to 10:00 from today.
    const dana = await newPage(tend, DESKTOP);
    await logIn(dana, 'dana');
    await dana.waitForURL(/\/panel$/);
    const edited = await dana.evaluate(
      async ({ p, activity }) => {
        const response = await fetch(`/api/patients/${p}/activities/${activity.id}/versions`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `move-inhaler-${p}` },
          body: JSON.stringify({
            effective_from: activity.today,
            title: { en: 'Tiotropium inhaler', es: 'Inhalador de tiotropio' },
            instructions: { en: '2 puffs once a day.', es: '2 inhalaciones una vez al día.' },
            schedule: { recurrence: { kind: 'daily', times: ['10:00:00'] }, start: activity.today },
          }),
        });
        return response.status;
      },
      { p: patientId, activity },
    );
    assert.equal(edited, 200);
    await dana.context().close();

    await page.context().setOffline(false);
    const refusal = page.locator('.outbox-refused li');
    await refusal.getByText('Not saved: Tiotropium inhaler at 9:00 AM, Done').waitFor();
    await refusal.getByText('This item is no longer in your plan at that time.').waitFor();
    // Not silently dropped, not shown as done: kept on the device until dismissed.
    await inhaler.getByRole('button', { name: /^Done/ }).waitFor();
    assert.equal((await storedOutbox(page)).length, 1);
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      assert.deepEqual(await screenProblems(page), [], `a refusal at ${viewport.width} px`);
    }
    await page.getByRole('button', { name: 'Español' }).click();
    await refusal.getByText('No se guardó: Inhalador de tiotropio a las').waitFor();
    await refusal.getByText('Esta tarea ya no está en su plan a esa hora.').waitFor();
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      assert.deepEqual(await screenProblems(page), [], `in Spanish at ${viewport.width} px`);
    }
    await page.context().setOffline(true);
    await page.getByRole('status').filter({ hasText: 'No hay conexión.' }).waitFor();
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      assert.deepEqual(await screenProblems(page), [], `offline in Spanish at ${viewport.width} px`);
    }
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'English' }).click();

    // Tried again it is refused again, still shown; dismissed, it is gone for good.
    await refusal.getByRole('button', { name: /^Try again/ }).click();
    await refusal.getByText('This item is no longer in your plan at that time.').waitFor();
    await page.reload();
    await refusal.getByText('Not saved: Tiotropium inhaler at 9:00 AM, Done').waitFor();
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
    await refusal.waitFor({ state: 'detached' });
    assert.deepEqual(await storedOutbox(page), []);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
