// The pages of a patient's plan beyond Today: history, appointments and
// referrals, lessons, taking part in goals, the first 30 days at home.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, logIn, markThroughApi, newPage, screenProblems, seesWeightsNotAnswers, startTend } from './harness.mjs';

let tend;
before(async () => {
  tend = await startTend();
});
after(async () => {
  await tend?.stop();
});

const VIEWPORTS = [
  ['phone', PHONE],
  ['desktop', DESKTOP],
];

/// Logs in and returns the patient id from Today's address.
async function openToday(page, username) {
  await logIn(page, username);
  await page.waitForURL(/\/patients\/\d+\/today$/);
  return Number(page.url().match(/patients\/(\d+)/)[1]);
}

/// The server's own counts for a week, from the agenda the page also reads.
async function serverWeek(page, patient, from, to) {
  return page.evaluate(
    async ([patient, from, to]) => {
      const agenda = await (await fetch(`/api/patients/${patient}/agenda?from=${from}&to=${to}`)).json();
      const count = { done: 0, skipped: 0, missed: 0 };
      for (const item of agenda.items) {
        if (item.outcome) count[item.outcome.status] += 1;
        else if (item.local.slice(0, 10) < agenda.today) count.missed += 1;
      }
      return count;
    },
    [patient, from, to],
  );
}

describe('History', () => {
  for (const [name, viewport] of VIEWPORTS) {
    test(`last week's adherence tells done, skipped and missed apart, as the server has them, on a ${name}`, async () => {
      const page = await newPage(tend, viewport);
      const maria = await openToday(page, 'maria');
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'History' }).click();
      await page.getByRole('heading', { name: 'History', level: 1 }).waitFor();
      // This week: today is among the days and still has things to do.
      await page.locator('li.day.is-today').getByText(/still to do today/).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'this week');

      await page.getByRole('link', { name: '← Previous week' }).click();
      await page.waitForURL(/history\?week=\d{4}-\d{2}-\d{2}$/);
      // The past week is shown once today is no longer among its days.
      await page.locator('li.day.is-today').waitFor({ state: 'detached' });
      const monday = new URL(page.url()).searchParams.get('week');
      const sunday = new Date(Date.parse(`${monday}T12:00:00Z`) + 6 * 86400000).toISOString().slice(0, 10);
      const want = await serverWeek(page, maria, monday, sunday);
      assert.ok(want.done > 0 && want.skipped + want.missed > 0, JSON.stringify(want));
      const summary = await page.locator('.week-summary').textContent();
      assert.match(summary, new RegExp(`^${want.done} done`));
      for (const [count, word] of [
        [want.skipped, 'skipped'],
        [want.missed, 'missed'],
      ]) {
        if (count > 0) assert.match(summary, new RegExp(`${count} ${word}`));
      }
      const settled = want.done + want.skipped + want.missed;
      assert.match(summary, new RegExp(`${Math.floor((want.done * 100) / settled)}% of what came due was done`));
      // A past week has nothing open or to come.
      assert.doesNotMatch(summary, /still to do|coming up/);
      assert.equal(await page.locator('li.day').count(), 7);
      // The table by activity adds up to the week.
      const rows = await page
        .getByRole('table', { name: 'By activity' })
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
      const sums = rows.reduce((s, [d, k, m]) => [s[0] + d, s[1] + k, s[2] + m], [0, 0, 0]);
      assert.deepEqual(sums, [want.done, want.skipped, want.missed]);
      // Last week's weights are listed with who entered them.
      const readings = page.getByRole('table', { name: 'Readings this week' });
      await readings.getByRole('rowheader', { name: 'Weigh yourself' }).first().waitFor();
      assert.match(await readings.textContent(), /\d+(\.\d)? lb/);
      assert.deepEqual(await screenProblems(page), [], 'last week');
      // The newest week has no "next week".
      await page.getByRole('link', { name: 'Next week →' }).click();
      await page.locator('li.day.is-today').waitFor();
      assert.equal(await page.getByRole('link', { name: 'Next week →' }).count(), 0);

      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Historial', level: 1 }).waitFor();
      await page.locator('li.day.is-today').getByText(/pendientes? hoy/).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'in Spanish');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('appointments, referrals and lessons', () => {
  for (const [name, viewport] of VIEWPORTS) {
    test(`Today shows where a visit is and what to bring, and a lesson opens to read, on a ${name}`, async () => {
      const page = await newPage(tend, viewport);
      await openToday(page, 'james');
      const review = page.locator('li.agenda-item:not(#shell *)').filter({ hasText: 'Medicine review with the pharmacist' });
      await review.getByText('Where: By phone: the pharmacist calls you').waitFor();
      await review.getByText('Bring: All your medicine bottles, next to the phone').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'Today with a visit and a lesson');
      const lesson = page.locator('li.agenda-item:not(#shell *)').filter({ hasText: 'Lesson: using your inhaler' });
      await lesson.getByRole('link', { name: /Read the lesson/ }).click();
      await page.getByRole('heading', { name: 'Using your inhaler', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'With a spacer (recommended)', level: 2 }).waitFor();
      await page.getByText('Shake the inhaler for 5 seconds', { exact: false }).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'lesson');
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Cómo usar su inhalador', level: 1 }).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'lesson in Spanish');
      await page.getByRole('button', { name: '← Volver' }).click();
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await page.getByText('Dónde: Por teléfono: el farmacéutico le llama').waitFor();
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });

    test(`appointments and referrals are followed from ordered to closed, on a ${name}`, async () => {
      const page = await newPage(tend, viewport);
      await openToday(page, 'maria');
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Visits' }).click();
      await page.getByRole('heading', { name: 'Appointments and referrals', level: 1 }).waitFor();
      const cardiology = page.locator('li.care-event').filter({ hasText: 'Cardiology visit with Dr. Patel' });
      await cardiology.getByText('Where: Heart Center, 2nd floor, 1200 W. Harrison St.').waitFor();
      await cardiology.getByText('Bring: Your weight log and all your medicine bottles').waitFor();
      const steps = cardiology.getByRole('list', { name: 'Progress of Cardiology visit with Dr. Patel' });
      assert.deepEqual(
        await steps.locator('li').evaluateAll((lis) =>
          lis.map((li) => [li.querySelector('.step-name').textContent, li.classList.contains('is-reached'), li.getAttribute('aria-current')]),
        ),
        [
          ['Ordered', true, null],
          ['Scheduled', true, 'step'],
          ['Attended', false, null],
          ['Closed', false, null],
        ],
      );
      await steps.locator('li').nth(2).getByText('Not yet').waitFor();
      // The ride program's loop is closed, with the note of how it ended.
      const ride = page.locator('li.care-event.is-closed').filter({ hasText: 'Ride program for appointments' });
      await ride.getByText('Enrolled: call 2 days before a visit to book a ride.').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'appointments');
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Citas y referidos', level: 1 }).waitFor();
      await page.getByRole('list', { name: 'Avance de Cita de cardiología con el Dr. Patel' }).getByText('Programado').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'appointments in Spanish');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test("Today left for Visits while Today's requests are on their way leaves nothing broken", async () => {
    // Today's day and first-weeks banner are held until Visits shows: Today,
    // left, aborts them, and their ends reach it as it goes. Before the
    // router built each page anew, Visits came a task after Today was left,
    // and the banner read its disposed resource then: two traps.
    const page = await newPage(tend, PHONE);
    const held = new Set();
    let leaving = false;
    let release;
    const released = new Promise((resolve) => (release = resolve));
    await page.route(/\/api\/patients\/\d+\/(agenda|transition)$/, async (route) => {
      if (leaving) return route.continue();
      held.add(new URL(route.request().url()).pathname.split('/').pop());
      await released;
      await route.continue().catch(() => {
        // Aborted by the page as it left Today.
      });
    });
    await openToday(page, 'maria');
    await page.waitForFunction(() => document.querySelector('.today:not(#shell *)') !== null);
    for (let i = 0; i < 100 && held.size < 2; i += 1) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual([...held].sort(), ['agenda', 'transition']);
    leaving = true;
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Visits' }).click();
    await page.getByRole('heading', { name: 'Appointments and referrals', level: 1 }).waitFor();
    release();
    // Still working: the page follows a change of language.
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Citas y referidos', level: 1 }).waitFor();
    await page.locator('li.care-event').filter({ hasText: 'Cita de cardiología con el Dr. Patel' }).waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

describe('taking part in the plan', () => {
  for (const [name, viewport] of VIEWPORTS) {
    test(`Maria proposes a goal and comments on one; a declined request says why and how to appeal, on a ${name}`, async () => {
      const page = await newPage(tend, viewport);
      const maria = await openToday(page, 'maria');
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Goals' }).click();
      await page.getByRole('heading', { name: 'Your ideas and questions', level: 2 }).waitFor();
      const declined = page.locator('li.request.is-declined').filter({ hasText: 'Could the walk be 100 minutes a week' });
      await declined.getByText(/^Declined by Dana Whitfield RN/).waitFor();
      await declined.getByText(/^Why: Dr. Ruiz would like to keep 150 minutes/).waitFor();
      await declined.getByText(/If you disagree, you can appeal/).waitFor();
      assert.equal(await declined.getByRole('link', { name: 'Who to call' }).getAttribute('href'), `/patients/${maria}/care-team`);
      assert.deepEqual(await screenProblems(page), [], 'goals with requests');

      // Nothing typed: a specific message, nothing sent.
      const proposal = page.getByLabel('A goal that matters to you, in your own words');
      await page.getByRole('button', { name: 'Send to my care team' }).last().click();
      await page.getByText('Write a few words first.').waitFor();
      assert.equal(await proposal.getAttribute('aria-invalid'), 'true');

      // Offline: the text stays; back online the same request goes once.
      const goal = `Walk to church on Sundays (${name})`;
      await proposal.fill(goal);
      await page.context().setOffline(true);
      await page.getByRole('button', { name: 'Send to my care team' }).last().click();
      await page.getByText(/seem to be offline|no connection|reach Tend/i).first().waitFor();
      assert.equal(await proposal.inputValue(), goal);
      await page.context().setOffline(false);
      await page.getByRole('button', { name: 'Send to my care team' }).last().click();
      await page.getByText('Sent. Your care team will answer here.').waitFor();
      assert.equal(await proposal.inputValue(), '');
      const card = page.locator('li.goal').filter({ hasText: goal });
      await card.getByText('Proposed: waiting for your care team').waitFor();
      const sent = page.locator('li.request').filter({ hasText: `New goal: ${goal}` });
      await sent.getByText('Waiting for your care team').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'after proposing');

      // A comment on the weight goal.
      const weight = page.locator('li.goal').filter({ hasText: 'Weight within 2 lb of 176 lb' });
      await weight.getByText('Comment or ask for a change').click();
      await weight.getByLabel('Ask for a change').check();
      await weight.getByLabel('Your message').fill(`Can we talk about the target? (${name})`);
      await weight.getByRole('button', { name: 'Send to my care team' }).click();
      await page.locator('li.request').filter({ hasText: 'Change asked for: Weight within 2 lb of 176 lb' }).filter({ hasText: name }).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'with a goal form open');

      // The server has each once; My plan shows them; so does Spanish.
      const goals = await page.evaluate(async (p) => (await fetch(`/api/patients/${p}/goals`)).json(), maria);
      assert.equal(goals.filter((g) => g.title.en === goal && g.status === 'proposed').length, 1);
      await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'My plan' }).click();
      await page.locator('li.request').filter({ hasText: `New goal: ${goal}` }).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'My plan with requests');
      await page.getByRole('button', { name: 'Español' }).click();
      await page.locator('li.request').filter({ hasText: `Meta nueva: ${goal}` }).getByText('Esperando a su equipo de cuidado').waitFor();
      await page.getByText(/^No aceptado por Dana Whitfield RN/).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'My plan in Spanish');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }

  test('Dana, the care manager, reads the requests but is not offered the forms', async () => {
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'dana');
    await page.waitForURL(/\/panel$/);
    const maria = await page.evaluate(async () => (await (await fetch('/api/session')).json()).patients.find((p) => p.name === 'Maria Santos').id);
    await page.goto(`/patients/${maria}/goals`);
    await page.getByText('Could the walk be 100 minutes a week', { exact: false }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send to my care team' }).count(), 0);
    assert.equal(await page.getByText('Comment or ask for a change').count(), 0);
    await page.context().close();
  });
});

describe("James's first 30 days at home", () => {
  test('a peak flow is a number in L/min: out of range is refused with its range and kept, then saved', async () => {
    const page = await newPage(tend, PHONE);
    await openToday(page, 'james');
    const card = page.locator('li.agenda-item:not(#shell *)').filter({ hasText: 'Standing, 3 blows into the meter' });
    const field = card.getByLabel('Peak flow');
    await field.fill('20');
    await card.getByRole('button', { name: /^Save/ }).click();
    await card.getByText('Enter a number between 50 and 900 L/min.').waitFor();
    assert.equal(await field.inputValue(), '20');
    assert.deepEqual(await screenProblems(page), [], 'with the refused value');
    await field.fill('320');
    await card.getByRole('button', { name: /^Save/ }).click();
    await card.getByText('Done: 320 L/min').waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  for (const [name, viewport] of VIEWPORTS) {
    test(`a checklist that ticks itself when the medicine review is marked done, on a ${name}`, async () => {
      const page = await newPage(tend, viewport);
      const james = await openToday(page, 'james');
      const banner = page.locator('aside.transition-banner');
      await banner.getByText(/^Day 4 of 30 · \d of 3 done on your checklist$/).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'Today with the banner');
      await banner.getByRole('link', { name: 'Open your checklist' }).click();
      await page.getByRole('heading', { name: 'Your first 30 days at home', level: 1 }).waitFor();
      await page.getByText(/^Day 4 of 30: home since/).waitFor();
      const review = page.locator('li.check-item').filter({ hasText: 'Medicine review with the pharmacist' });
      await review.getByText(/^To do by /).waitFor();
      const visit = page.locator('li.check-item').filter({ hasText: 'Follow-up visit with Dr. Chen' });
      await visit.getByText(/^To do by /).waitFor();
      await page.getByRole('heading', { name: 'Warning signs: call right away' }).waitFor();
      await page.getByText('Lips or fingertips turning blue or gray: call 911').waitFor();
      const call = page.getByRole('link', { name: 'Call Dr. Michael Chen: +1-212-555-0123' });
      assert.equal(await call.getAttribute('href'), 'tel:+1-212-555-0123');
      assert.deepEqual(await screenProblems(page), [], 'checklist');

      // Done on Today ticks it here.
      await page.goto(`/patients/${james}/today`);
      const card = page.locator('li.agenda-item:not(#shell *)').filter({ hasText: 'Medicine review with the pharmacist' });
      await card.getByRole('button', { name: /^Done/ }).click();
      // On the server (not "Done · Waiting to be sent"), before the page is opened anew.
      await card.locator('.agenda-item-status', { hasText: /^Done/, hasNotText: 'Waiting to be sent' }).waitFor();
      await page.locator('li.agenda-item.is-done:not(#shell *)').filter({ hasText: 'Medicine review with the pharmacist' }).waitFor();
      await page.goto(`/patients/${james}/first-30-days`);
      await page.locator('li.check-item.is-done').filter({ hasText: 'Medicine review with the pharmacist' }).getByText(/^Done on /).waitFor();
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Sus primeros 30 días en casa', level: 1 }).waitFor();
      await page.getByText(/^Hecho el /).first().waitFor();
      assert.deepEqual(await screenProblems(page), [], 'checklist in Spanish');
      // Undo, so the other viewport's run starts from the same place.
      await page.goto(`/patients/${james}/today`);
      const again = page.locator('li.agenda-item:not(#shell *)').filter({ hasText: /Revisión de medicinas con el farmacéutico/ });
      await again.getByRole('button', { name: /^Deshacer/ }).click();
      await again.getByRole('button', { name: /^Hecho/ }).waitFor();
      // The button turns back at once; the server may still be storing the undo.
      await page.waitForFunction(async (p) => {
        const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
        return !agenda.items.some((i) => i.title.en === 'Medicine review with the pharmacist' && i.outcome);
      }, james, { polling: 100 });
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('who looked at my record', () => {
  for (const [name, viewport] of VIEWPORTS) {
    test(`Maria sees that Ana looked at her reminders, and that her own visits leave no trace, on a ${name}`, async () => {
      const ana = await newPage(tend, viewport);
      await logIn(ana, 'ana');
      await ana.waitForURL(/\/people$/);
      await ana.getByRole('link', { name: /Maria Santos/ }).click();
      await ana.waitForURL(/\/today$/);
      await ana.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
      await ana.locator('li.agenda-item:not(#shell *)').first().waitFor();
      // Ana tries to record a weight no scale shows: refused, and nothing changed.
      const refused = await markThroughApi(ana, Number(ana.url().match(/patients\/(\d+)/)[1]), {
        title: 'Weigh yourself',
        reading: { metric: 'weight', value: 5000, unit: 'lb' },
      });
      assert.equal(refused.status, 422);
      await ana.context().close();

      const page = await newPage(tend, viewport);
      await openToday(page, 'maria');
      await page.goto('/settings');
      await page.getByRole('link', { name: 'Who looked at my record' }).click();
      await page.getByRole('heading', { name: 'Who looked at my record', level: 1 }).waitFor();
      const entry = page.locator('li.audit-entry').filter({ hasText: 'Ana (family caregiver) looked at your reminders and what you marked' });
      await entry.first().waitFor();
      await page
        .locator('li.audit-entry')
        .filter({ hasText: 'Ana (family caregiver) tried to change your reminders and what you marked; it was refused, so nothing changed' })
        .first()
        .waitFor();
      assert.equal(await page.locator('li.audit-entry').filter({ hasText: 'Maria (' }).count(), 0);
      assert.deepEqual(await screenProblems(page), [], 'who looked');
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Quién vio mi expediente', level: 1 }).waitFor();
      await page.locator('li.audit-entry').filter({ hasText: 'Ana (familiar que cuida) vio sus recordatorios' }).first().waitFor();
      await page.locator('li.audit-entry').filter({ hasText: 'Ana (familiar que cuida) intentó cambiar sus recordatorios y lo que marcó; no se aceptó' }).first().waitFor();
      assert.deepEqual(await screenProblems(page), [], 'who looked, in Spanish');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('sharing', () => {
  test('Maria narrows what Ana sees, then stops sharing; Ana finds out on her next step', async () => {
    const ana = await newPage(tend, PHONE);
    await logIn(ana, 'ana');
    await ana.waitForURL(/\/people$/);
    await ana.getByRole('link', { name: /Maria Santos/ }).click();
    await ana.locator('li.agenda-item:not(#shell *)').first().waitFor();
    const maria = await ana.evaluate(async () => (await (await fetch('/api/session')).json()).patients[0].id);

    for (const [name, viewport] of VIEWPORTS) {
      const look = await newPage(tend, viewport);
      await openToday(look, 'maria');
      await look.goto(`/patients/${maria}/sharing`);
      await look.locator('li.grant').filter({ hasText: 'Ana' }).getByText(/^Sees what you chose until /).waitFor();
      await look.locator('li.grant.is-ended').filter({ hasText: 'Luis' }).getByText(/^You stopped sharing on /).waitFor();
      assert.deepEqual(await screenProblems(look), [], `sharing on a ${name}`);
      await look.getByRole('button', { name: 'Español' }).click();
      await look.getByRole('heading', { name: 'Quién ve mi expediente', level: 1 }).waitFor();
      assert.deepEqual(await screenProblems(look), [], `sharing in Spanish on a ${name}`);
      await look.getByRole('button', { name: 'English' }).click();
      await look.context().close();
    }

    const page = await newPage(tend, DESKTOP);
    await openToday(page, 'maria');
    await page.goto(`/patients/${maria}/sharing`);
    const card = page.locator('li.grant').filter({ hasText: 'Ana' });
    for (const label of ['Plan and goals', 'Reminders and what you marked', 'Mark things done for you']) {
      await card.getByLabel(label).uncheck();
    }
    assert.equal(await card.getByLabel('Check-in answers (mood, worry)').isChecked(), false);
    await card.getByRole('button', { name: 'Save changes' }).click();
    await card.getByText('Saved. It counts from now.').waitFor();
    await card.getByLabel('Measurements (weight, blood pressure, sugar)').waitFor();
    const shared = await page.evaluate(async (p) => (await (await fetch(`/api/patients/${p}/grants`)).json()).find((g) => g.caregiver === 'Ana').scopes, maria);
    assert.deepEqual(shared, ['measurements']);

    // Maria gives Ana 200 days more: the card says the day she chose, the
    // server ends access at the end of that day where she lives, and a reload
    // shows the same day again.
    const grantOfAna = async () => page.evaluate(async (p) => (await (await fetch(`/api/patients/${p}/grants`)).json()).find((g) => g.caregiver === 'Ana'), maria);
    const before = await grantOfAna();
    const later = await page.evaluate((day) => {
      const d = new Date(`${day}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 200);
      return d.toISOString().slice(0, 10);
    }, before.until);
    const shown = new Date(`${later}T12:00:00Z`).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    await card.getByLabel('Until (the last day)').fill(later);
    await card.getByRole('button', { name: 'Save changes' }).click();
    await card.getByText(`Sees what you chose until ${shown}`).waitFor();
    const extended = await grantOfAna();
    assert.equal(extended.until, later);
    assert.ok(new Date(extended.expires_at) - new Date(before.expires_at) >= 199 * 86400e3, `${before.expires_at} -> ${extended.expires_at}`);
    await page.reload();
    await card.getByText(`Sees what you chose until ${shown}`).waitFor();
    assert.equal(await card.getByLabel('Until (the last day)').inputValue(), later);
    await ana.goto('/people');
    await ana.getByText(`Shared with you until ${shown}`).waitFor();

    // Ana's same session: her next step is refused, and said so; she sees
    // Maria's weights and, as before, none of her check-in answers.
    await ana.goto(`/patients/${maria}/plan`);
    await ana.getByText('This part of the record is not shared with you.').first().waitFor();
    await seesWeightsNotAnswers(ana, maria);

    await card.getByRole('button', { name: 'Stop sharing with Ana' }).click();
    await card.getByRole('button', { name: 'Yes, stop sharing' }).click();
    await page.locator('li.grant.is-ended').filter({ hasText: 'Ana' }).getByText(/^You stopped sharing on /).waitFor();
    await ana.goto(`/patients/${maria}/today`);
    // A new load of the app knows her no more: not shared, and nothing about whose.
    await ana.getByText("This person's record is not shared with you.").first().waitFor();
    await ana.goto('/people');
    await ana.getByText('No one is sharing their care plan with you right now.').waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
    await ana.context().close();
  });
});
