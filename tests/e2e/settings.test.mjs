// Settings: Maria's calendar link (made, fetched as a calendar app would,
// read back by Python's icalendar, rotated, revoked) and reminders on her
// device while the app is open, with quiet hours. axe-core on the page at
// phone and desktop sizes in English and Spanish.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP,
  PHONE,
  axeViolations,
  horizontalOverflow,
  logIn,
  newPage,
  smallTapTargets,
  startTend,
} from './harness.mjs';

const PYTHON = new URL('../../tools/.venv/bin/python', import.meta.url).pathname;
const CHECK_ICS = new URL('../../tools/check_ics.py', import.meta.url).pathname;

let tend;
before(async () => {
  tend = await startTend();
});
after(async () => {
  await tend?.stop();
});

async function openSettings(page) {
  await page.getByRole('link', { name: /^(Settings|Ajustes)$/ }).click();
  await page.getByRole('heading', { name: /^(Settings|Ajustes)$/, level: 1 }).waitFor();
}

/// Maria's agenda for some local dates, as the app's API gives it.
async function agenda(page, from, to) {
  const patient = page.url().match(/\/patients\/(\d+)\//)?.[1];
  assert.ok(patient, `on a patient's page: ${page.url()}`);
  const query = from ? `?from=${from}&to=${to}` : '';
  return page.evaluate(async (path) => (await fetch(path)).json(), `/api/patients/${patient}/agenda${query}`);
}

function uid(item) {
  const [date, time] = item.scheduled.split('T');
  return `${item.activity_id}-${date.replaceAll('-', '')}T${time.slice(0, 5).replace(':', '')}@tend`;
}

function plusDays(date, days) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/// Python's icalendar, with zoneinfo, agrees that each event starts at the
/// local time the agenda shows.
function pythonAgrees(ics, zone, expected) {
  const dir = mkdtempSync(join(tmpdir(), 'tend-ics-'));
  try {
    writeFileSync(join(dir, 'feed.ics'), ics);
    writeFileSync(join(dir, 'expected.json'), JSON.stringify(expected));
    const run = spawnSync(PYTHON, [CHECK_ICS, 'agree', join(dir, 'feed.ics'), zone, join(dir, 'expected.json')], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('settings: the calendar link', () => {
  test('Maria makes a link, a calendar app reads her reminders, a new link ends the old one, and she turns it off', async () => {
    const page = await newPage(tend, PHONE);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: tend.url });
    await logIn(page, 'maria');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const today = (await agenda(page)).today;
    const coming = await agenda(page, plusDays(today, 1), plusDays(today, 3));
    await openSettings(page);

    await page.getByRole('button', { name: 'Make a calendar link' }).click();
    const field = page.getByLabel('Your calendar link');
    await field.waitFor();
    const link = await field.inputValue();
    assert.match(link, new RegExp(`^${tend.url}/api/calendar/[0-9a-f]{64}\\.ics$`));
    const token = link.split('/').pop().replace('.ics', '');
    assert.equal(
      await page.getByRole('link', { name: "Add to this phone's calendar" }).getAttribute('href'),
      link.replace(/^http:/, 'webcal:'),
    );
    await page.getByText('Tap “Add to this phone', { exact: false }).waitFor();
    await page.getByText('From URL', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByRole('status').filter({ hasText: 'Link copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // A calendar app has no session: the link alone opens the feed.
    const feed = await fetch(link);
    assert.equal(feed.status, 200);
    assert.equal(feed.headers.get('content-type'), 'text/calendar; charset=utf-8');
    const ics = await feed.text();
    assert.ok((ics.match(/BEGIN:VEVENT/g) ?? []).length > 300);
    assert.match(ics, /\r\nSUMMARY:Metformina 500 mg\r\n/, 'in Maria\'s language');
    assert.match(ics, /\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n/);
    const expected = Object.fromEntries(
      coming.items.filter((item) => item.outcome == null).map((item) => [uid(item), item.local]),
    );
    pythonAgrees(ics, coming.zone, expected);

    // The link is shown once: after a reload only its date is.
    await page.reload();
    await page.getByText(/Your calendar link works since/).waitFor();
    assert.equal(await page.getByLabel('Your calendar link').count(), 0);

    await page.getByRole('button', { name: 'Make a new link' }).click();
    await page.waitForFunction((old) => {
      const value = document.querySelector('#calendar-link')?.value;
      return value && value !== old;
    }, link);
    const rotated = await page.getByLabel('Your calendar link').inputValue();
    assert.equal((await fetch(link)).status, 404, 'the old link stops working');
    assert.equal((await fetch(rotated)).status, 200);

    await page.getByRole('button', { name: 'Turn off the calendar link' }).click();
    const question = page.getByRole('alertdialog');
    await question.getByText('Calendars that use this link will stop getting your reminders').waitFor();
    await question.getByRole('button', { name: 'Cancel' }).click();
    await question.waitFor({ state: 'detached' });
    assert.equal((await fetch(rotated)).status, 200, 'cancelling keeps the link');
    await page.getByRole('button', { name: 'Turn off the calendar link' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Turn it off' }).click();
    await page.getByRole('button', { name: 'Make a calendar link' }).waitFor();
    assert.equal((await fetch(rotated)).status, 404);

    assert.ok(!tend.serverLog().includes(token), 'the token stays out of the log');
    assert.ok(!tend.serverLog().includes(rotated.split('/').pop()), 'the token stays out of the log');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a caregiver has no calendar link or device reminders of the patient to manage', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'ana');
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await openSettings(page);
    await page.getByText('set up by the patient, in their own account').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Make a calendar link' }).count(), 0);
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`the settings page passes axe-core on a ${name} in English and Spanish`, async () => {
      const page = await newPage(tend, viewport);
      await logIn(page, 'maria');
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      await openSettings(page);
      // As it first shows (no link yet, or one made by an earlier test), then
      // with everything showing: a fresh link with its hints and the question.
      await page.getByRole('button', { name: /Make a (calendar|new) link/ }).first().waitFor();
      assert.deepEqual(await axeViolations(page), []);
      await page.getByRole('button', { name: /Make a (calendar|new) link/ }).first().click();
      await page.getByLabel('Your calendar link').waitFor();
      await page.getByRole('button', { name: 'Turn off the calendar link' }).click();
      await page.getByRole('alertdialog').waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling');
      assert.deepEqual(await smallTapTargets(page), []);
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Ajustes', level: 1 }).waitFor();
      await page.getByLabel('Su enlace de calendario').waitFor();
      await page.getByRole('button', { name: 'Activar recordatorios en este dispositivo' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling in Spanish');
      assert.deepEqual(await smallTapTargets(page), []);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('settings: reminders on this device', () => {
  test('permission is asked only after the tap; an item coming due shows once, not again after a reload, and never in quiet hours', async () => {
    const context = await tend.browser.newContext({
      viewport: DESKTOP,
      locale: 'en-US',
      timezoneId: 'America/Chicago',
      baseURL: tend.url,
    });
    await context.grantPermissions(['notifications'], { origin: tend.url });
    // Records what the app asks of the browser's Notification API; shown
    // notifications are kept in localStorage to count them across reloads.
    await context.addInitScript(() => {
      window.__asked = 0;
      const Real = window.Notification;
      window.Notification = new Proxy(Real, {
        construct(target, args) {
          const shown = JSON.parse(localStorage.getItem('test.shown') ?? '[]');
          shown.push({ title: args[0], body: args[1]?.body, tag: args[1]?.tag });
          localStorage.setItem('test.shown', JSON.stringify(shown));
          return Reflect.construct(target, args);
        },
        get(target, property) {
          if (property === 'requestPermission') {
            return (...args) => {
              window.__asked += 1;
              return target.requestPermission(...args);
            };
          }
          return Reflect.get(target, property, target);
        },
      });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const shown = () => page.evaluate(() => JSON.parse(localStorage.getItem('test.shown') ?? '[]'));
    const watcherLooked = () =>
      page.waitForResponse((r) => /\/api\/patients\/\d+\/agenda$/.test(new URL(r.url()).pathname) && r.ok());

    await logIn(page, 'maria');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    const day = await agenda(page);
    const evening = day.items.find((i) => i.title.en === 'Metformin 500 mg' && i.local.endsWith('T20:00:00'));
    assert.ok(evening && evening.outcome == null, 'the evening metformin is still open');
    // This device's clock says 8:01 PM in Chicago, a minute after it came due.
    await page.clock.setFixedTime(new Date(Date.parse(evening.at) + 60_000));
    await openSettings(page);
    assert.equal(await page.evaluate(() => window.__asked), 0, 'nothing asked before the tap');

    // Quiet from 7:00 PM to 9:00 PM: enabling reminders shows nothing now.
    await page.getByLabel('From').fill('19:00');
    await page.getByLabel('To').fill('21:00');
    await page.getByRole('status').filter({ hasText: 'No reminders from 7:00 PM to 9:00 PM.' }).waitFor();
    const looked = watcherLooked();
    await page.getByRole('button', { name: 'Enable reminders on this device' }).click();
    await page.getByRole('status').filter({ hasText: 'Reminders are on for this device.' }).waitFor();
    assert.equal(await page.evaluate(() => window.__asked), 1, 'asked once, after the tap');
    assert.deepEqual(await axeViolations(page), []);
    // An absence is checked once the watcher has had the day's list and a moment to act on it.
    await looked;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    assert.deepEqual(await shown(), [], 'nothing in quiet hours');

    // Quiet hours moved past it: the metformin comes now.
    await page.getByLabel('To').fill('22:00');
    await page.getByLabel('From').fill('21:00');
    await page.getByRole('status').filter({ hasText: 'No reminders from 9:00 PM to 10:00 PM.' }).waitFor();
    await page.waitForFunction(() =>
      JSON.parse(localStorage.getItem('test.shown') ?? '[]').some((n) => n.title === 'Metformin 500 mg'),
    );
    const first = await shown();
    const metformin = first.filter((n) => n.title === 'Metformin 500 mg');
    assert.equal(metformin.length, 1);
    assert.equal(metformin[0].body, 'Due at 8:00 PM. Take 1 tablet with breakfast and 1 with dinner.');
    assert.equal(metformin[0].tag, `${evening.activity_id}-${evening.scheduled.slice(0, 16).replace(/[-:]/g, '')}`);
    assert.equal(new Set(first.map((n) => n.tag)).size, first.length, 'each occurrence once');

    // After a reload the watcher looks again and remembers what it showed.
    const again = watcherLooked();
    await page.reload();
    await page.getByRole('status').filter({ hasText: 'Reminders are on for this device.' }).waitFor();
    await again;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    assert.deepEqual(await shown(), first, 'not shown again after a reload');

    await page.getByRole('button', { name: 'Turn off reminders on this device' }).click();
    await page.getByRole('button', { name: 'Enable reminders on this device' }).waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  });
});
