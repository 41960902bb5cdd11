// The real built app against the real server in Chromium, at phone and
// desktop sizes, with axe-core on every page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  DESKTOP,
  PHONE,
  axeViolations,
  horizontalOverflow,
  layoutShifts,
  logIn,
  markThroughApi,
  newPage,
  recordLayoutShifts,
  screenProblems,
  sendNow,
  smallTapTargets,
  startTend,
} from './harness.mjs';

let tend;
before(async () => {
  tend = await startTend();
});
after(async () => {
  await tend?.stop();
});

/// The card of one agenda item, found by its title and time.
function card(page, title, time) {
  return page.locator('li.agenda-item:not(#shell *)').filter({ hasText: title }).filter({ hasText: time });
}

describe('logging in', () => {
  test('a first visit asks the server nothing and shows the login page; a logged-in reload asks once', async () => {
    const page = await newPage(tend, PHONE);
    const asked = [];
    const consoleErrors = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/')) asked.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await page.goto('/');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(asked, [], 'nobody is logged in on this device: nothing to ask');
    // No 401 in the console either (Lighthouse counts it against best practices).
    assert.deepEqual(consoleErrors, []);
    assert.deepEqual(page.errors, []);
    await logIn(page, 'maria', 'tend-demo');
    await page.waitForURL(/\/patients\/\d+\/today$/);
    // Today's own reads after logging in are done before counting the reload's.
    await card(page, 'Metformin 500 mg', '8:00 AM').waitFor();
    await page.waitForLoadState('networkidle');
    asked.length = 0;
    page.on('response', (r) => {
      if (new URL(r.url()).pathname === '/api/session') asked.push('answered session');
    });
    await page.reload();
    await page.getByRole('heading', { level: 1 }).filter({ hasText: 'Today' }).waitFor();
    await card(page, 'Metformin 500 mg', '8:00 AM').waitFor();
    assert.equal(asked.filter((r) => r === 'GET /api/session').length, 1, asked.join(', '));
    // Today's agenda goes out beside the session check, not after its answer, and once.
    const agenda = asked.filter((r) => /^GET \/api\/patients\/\d+\/agenda$/.test(r));
    assert.equal(agenda.length, 1, asked.join(', '));
    assert.ok(asked.indexOf(agenda[0]) < asked.indexOf('answered session'), asked.join(', '));
    await page.context().close();
  });

  for (const [name, viewport, locale, path, texts] of [
    ['phone in English', PHONE, 'en-US', '/login', ['Log in to Tend', 'Username', 'Password', /^Log in$/]],
    ['phone in Spanish', PHONE, 'es-US', '/login', ['Entrar en Tend', 'Usuario', 'Contraseña', /^Entrar$/]],
    ['desktop in Spanish', DESKTOP, 'es-US', '/', ['Entrar en Tend', 'Usuario', 'Contraseña', /^Entrar$/]],
  ]) {
    test(`before the app starts, its login page is painted at ${path} as the app draws it (${name}); what is typed goes on`, async () => {
      const page = await newPage(tend, viewport, locale);
      await recordLayoutShifts(page);
      // The main wasm is held back: what shows is index.html's own.
      let release;
      const held = new Promise((r) => (release = r));
      await page.route(/\/tend-app-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
        await held;
        await route.continue();
      });
      await page.goto(path, { waitUntil: 'domcontentloaded' });
      const [title, user, password, submit] = texts;
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      assert.equal(await page.locator('#shell').count(), 1, 'the app has not started');
      assert.equal(await page.evaluate(() => document.documentElement.lang), locale.slice(0, 2));
      assert.ok(await page.getByRole('button', { name: submit }).isDisabled(), 'it logs in once the app runs');
      assert.deepEqual(await screenProblems(page), []);
      // Where everything is, and what it says: the app must draw the same.
      const drawn = () =>
        page.evaluate(() =>
          ['header', '.brand', 'h1', 'p.lead', 'label[for=username]', '#username', 'label[for=password]', '#password', 'button[type=submit]'].map((s) => {
            const e = document.querySelector(s);
            const r = e.getBoundingClientRect();
            return `${s} "${e.textContent}" ${[r.x, r.y, r.width, r.height].map(Math.round).join(',')}`;
          }),
        );
      const painted = await drawn();
      await page.getByLabel(user).fill('maria');
      await page.getByLabel(password).fill('tend-demo');
      // Enter does nothing yet (no address with the password in it either).
      await page.keyboard.press('Enter');
      assert.equal(new URL(page.url()).search, '');
      release();
      // The app takes over once typing has paused for a second.
      await page.locator('#shell').waitFor({ state: 'detached' });
      assert.match(page.url(), /\/login$/);
      assert.deepEqual(await drawn(), painted);
      assert.equal(await page.getByLabel(user).inputValue(), 'maria');
      assert.equal(await page.getByLabel(password).inputValue(), 'tend-demo');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'password', 'typing goes on where it was');
      assert.ok(await page.getByRole('button', { name: submit }).isEnabled());
      assert.deepEqual(await layoutShifts(page), []);
      // What was typed before the app started is what logs in.
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/patients\/\d+\/today$/);
      // Someone is logged in here now: a visit to / paints "Loading" (or the
      // Today they left, when it had come in before), not the login page.
      await page.addInitScript(() =>
        document.addEventListener('DOMContentLoaded', () => {
          window.__shell = document.getElementById('shell')?.textContent;
        }),
      );
      await page.goto('/');
      await page.waitForURL(/\/patients\/\d+\/today$/);
      assert.match(await page.evaluate(() => window.__shell), /Loading|Cargando|Today|Hoy/);
      assert.doesNotMatch(await page.evaluate(() => window.__shell), new RegExp(title));
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('Today, left and opened again within the idle limit, is painted as it was before the app starts; then the app shows its own', async () => {
    // No service worker: it would answer for the wasm held back below.
    const page = await newPage(tend, PHONE, 'en-US', { serviceWorkers: 'block' });
    await recordLayoutShifts(page);
    await logIn(page, 'maria', 'tend-demo');
    await page.waitForURL(/\/patients\/\d+\/today$/);
    await card(page, 'Metformin 500 mg', '8:00 AM').waitFor();
    const todayPath = new URL(page.url()).pathname;
    // Where the day's headings and items are, and what they say.
    const drawn = (root) =>
      page.evaluate(
        (root) =>
          [...document.querySelectorAll(`${root} :is(h1, .today-date, h2, li.agenda-item h3, li.agenda-item .button)`)].map((e) => {
            const r = e.getBoundingClientRect();
            return `${e.tagName} "${e.textContent.trim()}" ${[r.x, r.y, r.width, r.height].map(Math.round).join(',')}`;
          }),
        root,
      );
    const app = await drawn('body > main');
    assert.ok(app.length > 10, app.join('\n'));
    const cards = await page.locator('body > main li.agenda-item').count();
    // Opened again (a reload: the page was hidden, then came back), with the wasm held back.
    let release;
    const held = new Promise((r) => (release = r));
    await page.route(/\/tend-app-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
      await held;
      await route.continue();
    });
    await page.reload({ waitUntil: 'domcontentloaded' });
    await page.locator('#shell[data-painted=last] h1').filter({ hasText: 'Today' }).waitFor();
    assert.deepEqual(await drawn('#shell'), app, 'painted where and as the app drew it');
    // Inert until the app has it: nothing to tap, nothing a screen reader reads as there.
    assert.deepEqual(
      await page.evaluate(() => {
        const shell = document.getElementById('shell');
        const done = shell.querySelector('li.agenda-item button');
        done.focus();
        return [shell.inert, shell.getAttribute('aria-busy'), document.activeElement === done];
      }),
      [true, 'true', false],
    );
    assert.equal(await page.evaluate(() => document.querySelectorAll('#shell [id], #shell [role=alert]').length), 0);
    // The app builds its cards a few a task behind the kept Today, which
    // gives way only once all are there: counted as it goes, in that task.
    const cardsWhenShown = page.evaluate(
      () =>
        new Promise((resolve) => {
          new MutationObserver((_, observer) => {
            if (document.getElementById('shell')) return;
            observer.disconnect();
            resolve(document.querySelectorAll('body > main li.agenda-item').length);
          }).observe(document.body, { childList: true });
        }),
    );
    release();
    assert.equal(await cardsWhenShown, cards, 'every card of the day is there when the kept Today goes');
    await page.locator('#shell').waitFor({ state: 'detached' });
    await card(page, 'Metformin 500 mg', '8:00 AM').getByRole('button', { name: 'Done' }).waitFor();
    assert.deepEqual(await drawn('body > main'), app, 'the app shows its own where the painted one was');
    assert.deepEqual(await layoutShifts(page), []);
    assert.deepEqual(await screenProblems(page), []);

    // Not painted: past the idle limit, for someone else, in another language,
    // on another day, or at another address; "Loading" instead. (Changed as
    // the next page starts: leaving, the app keeps the screen anew.)
    const kept = await page.evaluate(() => localStorage.getItem('tend.last-screen'));
    for (const why of ['past the idle limit', 'for another account', 'in another language', 'kept on another day', 'kept at another address']) {
      const opened = await page.context().newPage();
      await opened.addInitScript((why) => {
        if (sessionStorage.getItem('changed')) return;
        sessionStorage.setItem('changed', '1');
        const l = JSON.parse(localStorage.getItem('tend.last-screen'));
        if (why === 'past the idle limit') l.until = Date.now() - 1000;
        if (why === 'for another account') l.account += 1;
        if (why === 'in another language') localStorage.setItem('tend.lang', 'es');
        if (why === 'kept on another day') l.day = 'Mon Jan 01 2024';
        if (why === 'kept at another address') Object.assign(l, { path: '/patients/999/today', home: false });
        localStorage.setItem('tend.last-screen', JSON.stringify(l));
      }, why);
      await opened.route(/\/tend-app-[0-9a-f]{16}_bg\.wasm$/, () => {});
      await opened.goto(todayPath, { waitUntil: 'domcontentloaded' });
      assert.equal(await opened.evaluate(() => document.getElementById('shell').dataset.painted), undefined, why);
      assert.match(await opened.locator('#shell').textContent(), /Loading/, why);
      await opened.evaluate((kept) => {
        localStorage.setItem('tend.lang', 'en');
        localStorage.setItem('tend.last-screen', kept);
      }, kept);
      await opened.close();
    }
    // The wasm cannot be had: the kept Today gives way to "Loading", not a frozen page.
    const failed = await page.context().newPage();
    let painted = false;
    await failed.route(/\/tend-app-[0-9a-f]{16}_bg\.wasm$/, async (route) => {
      painted = await failed.evaluate(() => document.getElementById('shell').dataset.painted === 'last');
      await route.abort();
    });
    await failed.goto(todayPath);
    await failed.locator('#shell:not([data-painted]) p.loading').waitFor();
    assert.ok(painted, 'it was painted before the wasm was asked for');
    assert.equal(await failed.evaluate(() => document.getElementById('shell').inert), false);
    await failed.close();
    // At /, where a patient's day opens, it is painted too.
    await page.unroute(/\/tend-app-[0-9a-f]{16}_bg\.wasm$/);
    await page.goto('/');
    await page.waitForURL(/\/patients\/\d+\/today$/);
    await card(page, 'Metformin 500 mg', '8:00 AM').waitFor();
    const fromHome = await page.context().newPage();
    await fromHome.route(/\/tend-app-[0-9a-f]{16}_bg\.wasm$/, () => {});
    await fromHome.goto('/', { waitUntil: 'domcontentloaded' });
    await fromHome.locator('#shell[data-painted=last] h1').filter({ hasText: 'Today' }).waitFor();
    await fromHome.close();
    // Logging out forgets it.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    assert.equal(await page.evaluate(() => localStorage.getItem('tend.last-screen')), null);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a wrong password shows an error and keeps the username', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria', 'not-her-password');
    await assert.doesNotReject(
      page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor(),
    );
    assert.equal(await page.getByLabel('Username').inputValue(), 'maria');
    assert.match(page.url(), /\/login$/);
    await page.context().close();
  });

  test('after five wrong passwords the account waits, and the page says so in Spanish too', async () => {
    const page = await newPage(tend, PHONE, 'es-US');
    await page.goto('/login');
    await page.getByLabel('Usuario').fill('nadie');
    for (let n = 0; n < 5; n += 1) {
      await page.getByLabel('Contraseña').fill(`intento-${n}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/session') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Entrar' }).click();
      assert.equal((await answered).status(), 401, `try ${n}`);
      await page.getByRole('alert').filter({ hasText: /incorrectos/ }).waitFor();
    }
    await page.getByLabel('Contraseña').fill('otro');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('alert').filter({ hasText: 'Demasiados intentos' }).waitFor();
    assert.equal(await page.getByLabel('Usuario').inputValue(), 'nadie');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`the login page passes axe-core on a ${name} in English and Spanish`, async () => {
      const page = await newPage(tend, viewport);
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Log in to Tend' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling');
      assert.deepEqual(await smallTapTargets(page), []);
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Entrar en Tend' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe("Maria's day", () => {
  test('the login page and Today open without moving what is already painted (no layout shift)', async () => {
    const page = await newPage(tend, { width: 412, height: 823 });
    await recordLayoutShifts(page);
    await page.goto('/login');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    assert.deepEqual(await layoutShifts(page), [], 'login');
    await logIn(page, 'maria');
    await page.locator('li.agenda-item:not(#shell *)').first().waitFor();
    // A fresh start of the app on Today: the session, the section links and the agenda arrive.
    await page.reload();
    await page.locator('li.agenda-item:not(#shell *)').first().waitFor();
    await page.locator('.day-progress-label').waitFor();
    assert.deepEqual(await layoutShifts(page), [], 'Today after a reload');
    await page.context().close();
  });

  test('she sees the 08:00 metformin, marks it done, and it is still done after a reload', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    assert.match(page.url(), /\/patients\/\d+\/today$/);
    const metformin = card(page, 'Metformin 500 mg', '8:00 AM');
    await metformin.waitFor();
    assert.match(await metformin.innerText(), /Take 1 tablet with breakfast/);
    await assert.doesNotReject(page.getByRole('heading', { name: 'Morning' }).waitFor());
    await assert.doesNotReject(page.getByRole('heading', { name: 'Evening' }).waitFor());
    const progressBefore = await page.locator('.day-progress-label').innerText();
    const [, doneBefore, total] = progressBefore.match(/(\d+) of (\d+) done/).map(Number);

    await metformin.getByRole('button', { name: /^Done/ }).click();
    await metformin.getByText(/^Done$/).waitFor();
    await page.locator('.day-progress-label', { hasText: `${doneBefore + 1} of ${total} done` }).waitFor();

    await page.reload();
    const reloaded = card(page, 'Metformin 500 mg', '8:00 AM');
    await reloaded.getByRole('button', { name: /^Undo/ }).waitFor();
    assert.match(await reloaded.getAttribute('class'), /is-done/);
    assert.doesNotMatch(await card(page, 'Metformin 500 mg', '8:00 PM').getAttribute('class'), /is-done/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('a mark made as the network drops waits on the device, is sent when asked, then undo works', async () => {
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'maria');
    const furosemide = card(page, 'Furosemide 40 mg', '8:00 AM');
    await furosemide.waitFor();
    // The network drops this one request; the server never sees it.
    await page.route('**/outcomes', (route) => route.abort('internetdisconnected'));
    await furosemide.getByRole('button', { name: /^Done/ }).click();
    // Not rolled back: done, and waiting to be sent.
    await furosemide.getByText('Done · Waiting to be sent').waitFor();
    await page.getByRole('status').filter({ hasText: '1 change is waiting to be sent.' }).waitFor();
    assert.match(await furosemide.getAttribute('class'), /is-done/);

    await page.unroute('**/outcomes');
    await sendNow(page);
    await furosemide.getByText(/^Done$/).waitFor();
    await furosemide.getByRole('button', { name: /^Undo/ }).click();
    await furosemide.getByRole('button', { name: /^Done/ }).waitFor();
    await furosemide.getByRole('button', { name: /^Skip/ }).click();
    await furosemide.getByLabel('Reason (optional)').fill('Dizzy this morning');
    await furosemide.getByRole('button', { name: /^Skip it/ }).click();
    await furosemide.getByText('Skipped: Dizzy this morning').waitFor();
    await page.reload();
    await card(page, 'Furosemide 40 mg', '8:00 AM').getByText('Skipped: Dizzy this morning').waitFor();
    await card(page, 'Furosemide 40 mg', '8:00 AM').getByRole('button', { name: /^Undo/ }).click();
    await card(page, 'Furosemide 40 mg', '8:00 AM').getByRole('button', { name: /^Done/ }).waitFor();
    await page.reload();
    await card(page, 'Furosemide 40 mg', '8:00 AM').getByRole('button', { name: /^Done/ }).waitFor();
    await page.context().close();
  });

  test('a weight is recorded right in the list; impossible values are refused and kept', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria');
    const scale = card(page, 'Weigh yourself', '7:30 AM');
    await scale.waitFor();
    const field = scale.getByLabel('Weight');
    for (const [typed, message] of [
      ['0', 'Enter a weight between 50 and 700 lb.'],
      ['abc', 'Enter a number, like 182.4.'],
    ]) {
      await field.fill(typed);
      await scale.getByRole('button', { name: /^Save/ }).click();
      await scale.getByRole('alert').filter({ hasText: message }).waitFor();
      assert.equal(await field.inputValue(), typed, 'what was typed stays');
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
    }
    assert.deepEqual(await axeViolations(page), [], 'with a refused value showing');

    // Yesterday's weight, recorded through the API, makes today's 182.4 a gain of 4.4 lb.
    const patientId = Number(page.url().match(/patients\/(\d+)/)[1]);
    const { status } = await markThroughApi(page, patientId, {
      title: 'Weigh yourself',
      yesterday: true,
      reading: { metric: 'weight', value: 178.0, unit: 'lb' },
    });
    assert.equal(status, 200);

    await field.fill('182.4');
    await scale.getByRole('button', { name: /^Save/ }).click();
    await scale.getByText('Done: 182.4 lb').waitFor();
    await page.getByRole('alert').filter({ hasText: 'Your weight went up 2 lb or more since yesterday' }).waitFor();
    await page.reload();
    await card(page, 'Weigh yourself', '7:30 AM').getByText('Done: 182.4 lb').waitFor();

    // The weight goal's chart shows it, against the target band.
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Goals' }).click();
    const goal = page.locator('li.goal').filter({ hasText: 'Weight within 2 lb of 176 lb' });
    await goal.getByText('Latest: 182.4 lb · Not yet').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'goals');
    assert.ok((await horizontalOverflow(page)) <= 0);
    assert.deepEqual(await smallTapTargets(page), []);
    await goal.getByRole('link', { name: /^See progress/ }).click();
    await page.getByRole('img', { name: 'Weight within 2 lb of 176 lb' }).waitFor();
    assert.match(await page.locator('tbody tr').first().innerText(), /182\.4 lb/);
    assert.equal(await page.getByRole('button', { name: '2 weeks' }).getAttribute('aria-pressed'), 'true');
    const twoWeeks = await page.locator('tbody tr').count();
    await page.getByRole('button', { name: '3 months' }).click();
    assert.equal(await page.getByRole('button', { name: '3 months' }).getAttribute('aria-pressed'), 'true');
    assert.ok((await page.locator('tbody tr').count()) > twoWeeks, 'three months hold more readings');
    assert.deepEqual(await axeViolations(page), [], 'goal detail');
    assert.ok((await horizontalOverflow(page)) <= 0);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('button', { name: '3 meses' }).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'goal detail in Spanish');
    const dana = await newPage(tend, DESKTOP);
    await logIn(dana, 'dana');
    await dana.waitForURL(/\/panel$/);
    const flags = await dana.evaluate(async (p) => (await fetch(`/api/patients/${p}/flags`)).json(), patientId);
    assert.equal(flags[0].rule, 'weight_gain_day');
    assert.match(flags[0].detail, /^182\.4 lb/);
    await dana.context().close();
    await page.context().close();
  });

  test('Spanish switches every text and stays after a reload', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
    await card(page, 'Metformina 500 mg', '8:00').waitFor();
    await page.getByRole('heading', { name: 'Mañana' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.match(await page.locator('.today-date').innerText(), /de [a-z]+/, 'the date is written in Spanish');
    await page.reload();
    await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`Today passes axe-core on a ${name} in English and Spanish, with 44 px tap targets`, async () => {
      const page = await newPage(tend, viewport);
      await logIn(page, 'maria');
      await card(page, 'Metformin 500 mg', '8:00 PM').waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scrolling');
      assert.deepEqual(await smallTapTargets(page), []);
      await card(page, 'Metformin 500 mg', '8:00 PM').getByRole('button', { name: /^Skip/ }).click();
      assert.deepEqual(await axeViolations(page), [], 'with the skip form open');
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('logging out ends the session on the server', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'maria');
    await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Tend' }).waitFor();
    const status = await page.evaluate(async () => (await fetch('/api/session')).status);
    assert.equal(status, 401);
    await page.goto('/');
    await page.getByRole('heading', { name: 'Log in to Tend' }).waitFor();
    await page.context().close();
  });
});

describe('the plan and the care team', () => {
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`My plan and Care team read in plain words and pass axe-core on a ${name}, in English and Spanish`, async () => {
      const page = await newPage(tend, viewport);
      await logIn(page, 'maria');
      await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      const sections = page.getByRole('navigation', { name: 'Sections' });
      await sections.getByRole('link', { name: 'My plan' }).click();
      await page.getByRole('heading', { name: 'My care plan', level: 1 }).waitFor();
      const metformin = page.locator('li.plan-activity').filter({ hasText: 'Metformin 500 mg' });
      await metformin.getByText('Every day at 8:00 AM and 8:00 PM').waitFor();
      await metformin.getByText('For the goal: A1c below 7.5 %').waitFor();
      await page.getByRole('heading', { name: 'Mood and habits' }).waitFor();
      await page.locator('li.goal').filter({ hasText: "Dance at my granddaughter's quinceañera in June" }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0);
      assert.deepEqual(await smallTapTargets(page), []);

      await sections.getByRole('link', { name: 'Care team' }).click();
      await page.getByRole('heading', { name: 'Care team', level: 1 }).waitFor();
      const call = page.getByRole('link', { name: 'Call Dana Whitfield RN: +1-312-555-0140' });
      assert.equal(await call.getAttribute('href'), 'tel:+1-312-555-0140');
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0);
      assert.deepEqual(await smallTapTargets(page), []);

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Equipo de cuidado', level: 1 }).waitFor();
      await page.getByText('Llamar para: Preguntas sobre su plan, medicinas o cómo se siente').waitFor();
      assert.deepEqual(await axeViolations(page), []);
      await page.getByRole('navigation', { name: 'Secciones' }).getByRole('link', { name: 'Mi plan' }).click();
      await page.getByText('Todos los días a las 8:00 y 20:00').first().waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0);
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('other people', () => {
  test('Ana sees the people who share with her; Luis, whose grant was revoked, sees nobody', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'ana');
    await page.getByRole('heading', { name: 'People I care for' }).waitFor();
    await page.getByRole('link', { name: "Open Maria Santos's record" }).click();
    await card(page, 'Metformin 500 mg', '8:00 AM').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();

    const luis = await newPage(tend, PHONE);
    await logIn(luis, 'luis');
    await luis.getByText('No one is sharing their care plan with you right now.').waitFor();
    assert.equal(await luis.getByRole('link', { name: /Maria/ }).count(), 0);
    assert.deepEqual(await axeViolations(luis), []);
    await luis.context().close();
  });

  test('unknown pages say so and API paths are not the app', async () => {
    const page = await newPage(tend, DESKTOP);
    await page.goto('/no/such/page');
    await page.getByRole('heading', { name: 'This page does not exist.' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    const api = await page.request.get('/api/nope');
    assert.equal(api.status(), 404);
    assert.equal(api.headers()['content-type'], 'application/problem+json');
    await page.context().close();
  });
});

describe('changing the password', () => {
  test('a wrong current password and a mistyped repeat say which and keep the fields; then the new one works', async () => {
    const page = await newPage(tend, PHONE);
    await logIn(page, 'james');
    await page.waitForURL(/\/today$/);
    await page.goto('/settings');
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    const current = page.getByLabel('Current password');
    const fresh = page.getByLabel('New password', { exact: true });
    const repeat = page.getByLabel('New password again');
    await current.fill('not-it-at-all');
    await fresh.fill('breathe easy every day');
    await repeat.fill('breathe easy every day');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'Your current password is not right.' }).waitFor();
    assert.equal(await current.getAttribute('aria-invalid'), 'true');
    assert.equal(await fresh.inputValue(), 'breathe easy every day');
    await current.fill('tend-demo');
    await repeat.fill('breathe easy every dya');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('alert').filter({ hasText: 'The two new passwords are not the same.' }).waitFor();
    assert.deepEqual(await screenProblems(page), [], 'with an error showing');
    await repeat.fill('breathe easy every day');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your password is changed. Other devices were logged out.').waitFor();
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Cambiar su contraseña' }).waitFor();
    assert.deepEqual(await screenProblems(page), [], 'in Spanish');
    // The new password opens a fresh session; the old one does not.
    const other = await newPage(tend, DESKTOP);
    await logIn(other, 'james', 'tend-demo');
    await other.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await logIn(other, 'james', 'breathe easy every day');
    await other.waitForURL(/\/today$/);
    assert.deepEqual(page.errors, []);
    await other.context().close();
    await page.context().close();
  });
});
