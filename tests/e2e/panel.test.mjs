// The care manager: the panel, a patient's flags, and previews of the app as
// the patient and a caregiver see it.
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

/// Maria answers a PHQ-9 with item 9 through the API, as the app would: an urgent flag.
async function mariaRaisesAFlag() {
  const page = await newPage(tend, DESKTOP);
  await logIn(page, 'maria');
  await page.waitForURL(/\/patients\/\d+\/today$/);
  const maria = Number(page.url().match(/patients\/(\d+)/)[1]);
  const status = await page.evaluate(async (p) => {
    const answers = {};
    for (let i = 1; i <= 8; i += 1) answers[`phq9_${i}`] = 1;
    answers.phq9_9 = 1;
    const response = await fetch(`/api/patients/${p}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ questionnaire: 'phq9', answers }),
    });
    return response.status;
  }, maria);
  assert.equal(status, 201);
  // And proposes a goal of her own.
  const proposed = await page.evaluate(async (p) => {
    const response = await fetch(`/api/patients/${p}/goal-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ kind: 'propose', text: 'Swim twice a week at the Y' }),
    });
    return response.status;
  }, maria);
  assert.equal(proposed, 200);
  await page.context().close();
  return maria;
}

/// Outcomes the server holds for Maria's today, read with the care manager's own session.
async function outcomesToday(page, maria) {
  return page.evaluate(async (p) => {
    const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
    return agenda.items.filter((i) => i.outcome).length;
  }, maria);
}

describe('the care manager', () => {
  test('dana sees a flag raised by a check-in first, acknowledges it, and previews as Ana and as Maria without changing anything', async () => {
    const maria = await mariaRaisesAFlag();
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'dana');
    await page.waitForURL(/\/panel$/);
    await page.getByText('Showing 42 of 42 patients.').waitFor();
    const first = page.locator('li.panel-row').first();
    await first.getByRole('link', { name: 'Maria Santos' }).waitFor();
    await first.getByText('Urgent').waitFor();
    await first.getByText(/Last check-in: PHQ-9, 9 of 27/).waitFor();

    // Filters and sorting happen on the page.
    await page.getByLabel('Only patients with open flags').check();
    await page.getByText('Showing 1 of 42 patients.').waitFor();
    await page.getByLabel('Only patients with open flags').uncheck();
    await page.getByLabel('Find by name').fill('okafor');
    await page.getByText('Showing 1 of 42 patients.').waitFor();
    await page.locator('li.panel-row').getByRole('link', { name: 'James Okafor' }).waitFor();
    await page.getByLabel('Find by name').fill('');
    await page.getByLabel('Sort by').selectOption({ label: 'Name' });
    assert.equal(await page.locator('li.panel-row h2').first().textContent(), 'Alma Alvarez');

    // The patient's page: acknowledging needs a note, and the note is kept on a refusal.
    await page.getByLabel('Sort by').selectOption({ label: 'Most urgent first' });
    await page.locator('li.panel-row').first().getByRole('link', { name: 'Maria Santos' }).click();
    await page.waitForURL(`**/patients/${maria}/manage`);
    const flag = page.locator('li.flag').first();
    await flag.getByRole('button', { name: 'Acknowledge' }).click();
    await flag.getByRole('alert').filter({ hasText: 'Write what was done about the flag.' }).waitFor();
    await flag.getByRole('textbox').fill('Called Maria; safety plan reviewed with her daughter.');
    await flag.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('heading', { name: 'Acknowledged flags' }).waitFor();
    await page.getByText(/Acknowledged by Dana Whitfield RN/).waitFor();
    await page.getByText('Called Maria; safety plan reviewed with her daughter.').waitFor();
    assert.deepEqual(await screenProblems(page), [], 'the patient page');

    // Her proposal: a decline needs a reason, which she will see.
    const proposal = page.locator('li.card').filter({ hasText: 'Swim twice a week at the Y' });
    await proposal.getByRole('button', { name: 'Decline' }).click();
    await proposal.getByRole('alert').filter({ hasText: 'Write why, so the patient knows and can appeal.' }).waitFor();
    await proposal.getByLabel('Why it is declined (the patient sees this)').fill('The pool is closed until March; let us walk instead.');
    await proposal.getByRole('button', { name: 'Decline' }).click();
    await proposal.waitFor({ state: 'detached' });
    const decided = await page.evaluate(async (p) => (await (await fetch(`/api/patients/${p}/goal-requests`)).json()), maria);
    const swim = decided.find((r) => r.text === 'Swim twice a week at the Y');
    assert.equal(swim.status, 'declined');
    assert.equal(swim.reason, 'The pool is closed until March; let us walk instead.');

    // A referral moves one step on, with a note.
    const referral = page.locator('li.card').filter({ hasText: /^Diabetes education/ }).first();
    const now = await referral.getByRole('heading').textContent();
    await referral.getByLabel('Note for the next step (optional)').fill('Booked for Tuesday');
    await referral.getByRole('button', { name: /^Move to: / }).click();
    await page.waitForFunction(
      (before) => ![...document.querySelectorAll('li.card h3')].some((h) => h.textContent === before),
      now,
    );

    // The plan changes from a day on; a time that is not one is refused and kept.
    const metformin = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Metformin 500 mg' }) });
    await metformin.getByRole('button', { name: 'Change Metformin 500 mg' }).click();
    const times = metformin.getByLabel('Times, on a 24-hour clock (for example 8:00, 20:00)');
    assert.equal(await times.inputValue(), '08:00, 20:00');
    await times.fill('9am, 21:00');
    await metformin.getByRole('button', { name: 'Save the change' }).click();
    await metformin.getByRole('alert').filter({ hasText: 'Write the times like 8:00 or 20:30' }).waitFor();
    assert.equal(await times.inputValue(), '9am, 21:00');
    await times.fill('9:00, 21:00');
    const tomorrow = await page.evaluate(async (p) => {
      const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
      const day = new Date(`${agenda.today}T12:00:00Z`);
      day.setUTCDate(day.getUTCDate() + 1);
      return day.toISOString().slice(0, 10);
    }, maria);
    await metformin.getByLabel('From').fill(tomorrow);
    await metformin.getByRole('button', { name: 'Save the change' }).click();
    await metformin.getByRole('status').filter({ hasText: /^Saved as version 2, from / }).waitFor();
    const moved = await page.evaluate(async ([p, day]) => {
      const agenda = await (await fetch(`/api/patients/${p}/agenda?from=${day}`)).json();
      return agenda.items.filter((i) => i.title.en === 'Metformin 500 mg').map((i) => i.local.slice(11, 16));
    }, [maria, tomorrow]);
    assert.deepEqual(moved, ['09:00', '21:00']);
    assert.deepEqual(await screenProblems(page), [], 'the patient page with a change open');

    // A goal's numbers change; a band wider than its target is refused, and kept.
    const weightGoal = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Weight within 2 lb of 176 lb' }) });
    await weightGoal.getByRole('button', { name: 'Change the goal: Weight within 2 lb of 176 lb' }).click();
    await weightGoal.getByLabel('Give or take (lb)').fill('200');
    await weightGoal.getByRole('button', { name: 'Save the change' }).click();
    await weightGoal.getByRole('alert').filter({ hasText: 'a give-or-take smaller than the target' }).waitFor();
    assert.equal(await weightGoal.getByLabel('Give or take (lb)').inputValue(), '200');
    await weightGoal.getByLabel('Give or take (lb)').fill('3');
    await weightGoal.getByLabel('Target (lb)').fill('174');
    await weightGoal.getByLabel('Title in English').fill('Weight within 3 lb of 174 lb');
    await weightGoal.getByRole('button', { name: 'Save the change' }).click();
    await weightGoal.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const weightNow = await page.evaluate(async (p) => {
      const goals = await (await fetch(`/api/patients/${p}/goals`)).json();
      return goals.find((g) => g.title.en === 'Weight within 3 lb of 174 lb')?.target;
    }, maria);
    assert.deepEqual(weightNow, { direction: 'within', value: 174, band: 3 });

    // As Ana: her view, under a banner, with what Ana may see only.
    const before = await outcomesToday(page, maria);
    await page.getByRole('button', { name: 'View as Ana' }).click();
    await page.waitForURL(`**/patients/${maria}/today`);
    const banner = page.getByRole('region', { name: 'See what they see' });
    await banner.getByText('Preview: this is Tend as Ana sees it. Nothing can be changed.').waitFor();
    await page.locator('li.agenda-item:not(#shell *)').first().waitFor();
    const sections = page.getByRole('navigation', { name: 'Sections' });
    assert.equal(await sections.getByRole('link', { name: 'Check-ins' }).count(), 0, 'Ana does not see check-ins');
    assert.equal(await page.getByRole('link', { name: 'My patients' }).count(), 0);
    assert.deepEqual(await screenProblems(page), [], 'preview as Ana');
    // The banner on a phone: a care manager may check on one what a patient sees.
    await page.setViewportSize(PHONE);
    await banner.getByRole('button', { name: 'End preview' }).waitFor();
    assert.deepEqual(await screenProblems(page), [], 'preview as Ana at 320 px');
    await page.setViewportSize(DESKTOP);
    // A tap on Done is refused by the server, said so, and nothing is stored.
    await page.locator('li.agenda-item:not(#shell *)').getByRole('button', { name: /^Done/ }).first().click();
    await page.getByText('This is a preview: nothing can be changed in it.').first().waitFor();
    const refused = await page.evaluate(async ([p, ana]) => {
      const r = await fetch(`/api/patients/${p}/outcomes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), 'tend-preview-as': String(ana) },
        body: '{}',
      });
      return r.status;
    }, [maria, await page.evaluate(() => Number(sessionStorage.getItem('tend.preview')))]);
    assert.equal(refused, 403);
    // The check-ins Ana may not see are refused by the server too, not just hidden.
    await page.goto(`/patients/${maria}/check-ins`);
    await page.getByText('This part of the record is not shared with you.').waitFor();
    const answers = await page.evaluate(async ([p, ana]) => {
      const r = await fetch(`/api/patients/${p}/responses`, { headers: { 'tend-preview-as': String(ana) } });
      return r.status;
    }, [maria, await page.evaluate(() => Number(sessionStorage.getItem('tend.preview')))]);
    assert.equal(answers, 403, 'the server refuses them in the preview as it would to Ana');

    // Back to the panel; then as Maria, whose check-ins are hers to see.
    await banner.getByRole('button', { name: 'End preview' }).click();
    await page.waitForURL(/\/panel$/);
    await banner.waitFor({ state: 'detached' });
    assert.equal(await outcomesToday(page, maria), before, 'nothing was recorded in the preview');
    await page.locator('li.panel-row').getByRole('link', { name: 'Maria Santos' }).click();
    await page.getByRole('button', { name: 'View as Maria' }).click();
    await page.waitForURL(`**/patients/${maria}/today`);
    await banner.getByText('Preview: this is Tend as Maria sees it. Nothing can be changed.').waitFor();
    await sections.getByRole('link', { name: 'Check-ins' }).waitFor();
    await page.setViewportSize(PHONE);
    assert.deepEqual(await screenProblems(page), [], 'preview as Maria at 320 px');
    await page.setViewportSize(DESKTOP);
    await banner.getByRole('button', { name: 'End preview' }).click();
    await page.waitForURL(/\/panel$/);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('dana adds chair stretches on two weekdays for Maria, who sees it on her plan and today; then dana ends it', async () => {
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'dana');
    await page.waitForURL(/\/panel$/);
    await page.locator('li.panel-row').getByRole('link', { name: 'Maria Santos' }).click();
    await page.waitForURL(/\/patients\/\d+\/manage$/);
    const maria = Number(page.url().match(/patients\/(\d+)/)[1]);
    // Maria's today and its weekday, and the weekday three days on.
    const [today, days] = await page.evaluate(async (p) => {
      const agenda = await (await fetch(`/api/patients/${p}/agenda`)).json();
      const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
      const day = new Date(`${agenda.today}T12:00:00Z`);
      const first = names[day.getUTCDay()];
      day.setUTCDate(day.getUTCDate() + 3);
      return [agenda.today, [first, names[day.getUTCDay()]]];
    }, maria);

    await page.getByRole('button', { name: 'Add an activity' }).click();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Add to the plan' }) });
    await form.getByLabel('Kind').selectOption({ label: 'Activity' });
    await form.getByLabel('Title in English').fill('Chair stretches');
    await form.getByLabel('Title in Spanish').fill('Estiramientos en la silla');
    await form.getByLabel('Repeats').selectOption({ label: 'On some days of the week' });
    await form.getByLabel(/^Times/).fill('10:00');
    // No day chosen: refused before anything is sent, and what was typed stays.
    await form.getByRole('button', { name: 'Add to the plan' }).click();
    await form.getByRole('alert').filter({ hasText: 'Choose at least one day of the week.' }).waitFor();
    assert.equal(await form.getByLabel('Title in English').inputValue(), 'Chair stretches');
    for (const day of days) await form.getByRole('group', { name: 'Days of the week' }).getByLabel(day).check();
    // A measurement must say what it measures.
    await form.getByLabel('Kind').selectOption({ label: 'Measurement' });
    await form.getByRole('button', { name: 'Add to the plan' }).click();
    await form.getByRole('alert').filter({ hasText: 'Choose what the measurement measures.' }).waitFor();
    await form.getByLabel('Kind').selectOption({ label: 'Activity' });
    await form.getByLabel('The goal it helps with').selectOption({ label: 'Walk 150 minutes a week' });
    // Maria's today, which at night here may not be this browser's.
    await form.getByLabel('First day').fill(today);
    await form.getByRole('button', { name: 'Add to the plan' }).click();
    await form.getByRole('status').filter({ hasText: /^Added\. It is on the plan from / }).waitFor();
    const walk = page.locator('li.card').filter({ has: page.getByRole('heading', { name: 'Chair stretches' }) });
    await walk.getByText(/at 10:00 AM$/).waitFor();
    assert.deepEqual(await screenProblems(page), [], 'the patient page after adding');

    // Maria, on a phone: on her plan with its days, and on today's list.
    const phone = await newPage(tend, PHONE);
    await logIn(phone, 'maria');
    await phone.waitForURL(/\/today$/);
    await phone.locator('li.agenda-item:not(#shell *)').filter({ hasText: 'Chair stretches' }).waitFor();
    await phone.goto(`/patients/${maria}/plan`);
    const short = days.map((d) => d.slice(0, 3));
    const sorted = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].filter((d) => short.includes(d));
    await phone.getByText(`${sorted.join(', ')} at 10:00 AM`).first().waitFor();
    await phone.getByRole('button', { name: 'Español' }).click();
    await phone.getByText('Estiramientos en la silla').first().waitFor();
    assert.deepEqual(await screenProblems(phone), [], "Maria's plan in Spanish with the stretches");
    await phone.getByRole('button', { name: 'English' }).click();

    // Dana ends it: from tomorrow, with tomorrow as its last day. A last day
    // before the first is refused and kept.
    const tomorrow = await page.evaluate((day) => {
      const d = new Date(`${day}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      return d.toISOString().slice(0, 10);
    }, today);
    await walk.getByRole('button', { name: 'Change Chair stretches' }).click();
    await walk.getByLabel('From').fill(tomorrow);
    await walk.getByLabel('Last day (leave empty to keep it going)').fill(today);
    await walk.getByRole('button', { name: 'Save the change' }).click();
    await walk.getByRole('alert').filter({ hasText: 'The last day is a date on or after the first day.' }).waitFor();
    assert.equal(await walk.getByLabel('Last day (leave empty to keep it going)').inputValue(), today);
    await walk.getByLabel('Last day (leave empty to keep it going)').fill(tomorrow);
    await walk.getByRole('button', { name: 'Save the change' }).click();
    await walk.getByRole('status').filter({ hasText: /^Saved as version 2, from / }).waitFor();
    const coming = await page.evaluate(async ([p, from]) => {
      const d = new Date(`${from}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 13);
      const to = d.toISOString().slice(0, 10);
      const agenda = await (await fetch(`/api/patients/${p}/agenda?from=${from}&to=${to}`)).json();
      return agenda.items.filter((i) => i.title.en === 'Chair stretches').map((i) => i.local.slice(0, 10));
    }, [maria, today]);
    assert.deepEqual(coming, [today], 'only today\'s stretches are left');
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(page.errors, []);
    await phone.context().close();
    await page.context().close();
  });

  test('dana sets a new goal for Maria; numbers that do not fit are refused and kept; Maria sees it with her goals', async () => {
    const page = await newPage(tend, DESKTOP);
    await logIn(page, 'dana');
    await page.waitForURL(/\/panel$/);
    await page.locator('li.panel-row').getByRole('link', { name: 'Maria Santos' }).click();
    await page.waitForURL(/\/patients\/\d+\/manage$/);
    const maria = Number(page.url().match(/patients\/(\d+)/)[1]);
    await page.getByRole('button', { name: 'Set a new goal' }).click();
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Set the goal' }) });
    await form.getByLabel('Title in English').fill('Fasting sugar below 130');
    await form.getByLabel('Title in Spanish').fill('Azúcar en ayunas por debajo de 130');
    // Minutes are counted a week: the kinds of target follow what is measured.
    await form.getByLabel('What it measures').selectOption({ label: 'Minutes of activity a week' });
    assert.deepEqual(await form.getByLabel('Kind of target').locator('option').allInnerTexts(), ['At least this much a week']);
    await form.getByLabel('What it measures').selectOption({ label: 'Blood sugar (mg/dL)' });
    assert.equal(await form.getByLabel('Kind of target').inputValue(), 'below');
    await form.getByLabel('Target (mg/dL)').fill('-130');
    await form.getByRole('button', { name: 'Set the goal' }).click();
    await form.getByRole('alert').filter({ hasText: 'Use positive numbers' }).waitFor();
    assert.equal(await form.getByLabel('Target (mg/dL)').inputValue(), '-130');
    assert.equal(await form.getByLabel('Title in English').inputValue(), 'Fasting sugar below 130');
    await form.getByLabel('Target (mg/dL)').fill('130');
    await form.getByRole('button', { name: 'Set the goal' }).click();
    await form.getByRole('status').filter({ hasText: 'Set. The patient sees it with their goals.' }).waitFor();
    await page.getByRole('button', { name: 'Change the goal: Fasting sugar below 130' }).waitFor();
    assert.deepEqual(await screenProblems(page), [], 'the patient page with a new goal set');
    const stored = await page.evaluate(async (p) => {
      const goals = await (await fetch(`/api/patients/${p}/goals`)).json();
      return goals.filter((g) => g.title.en === 'Fasting sugar below 130').map((g) => [g.metric, g.unit, g.target, g.status]);
    }, maria);
    assert.deepEqual(stored, [['glucose', 'mg/dL', { direction: 'below', value: 130 }, 'active']]);

    const phone = await newPage(tend, PHONE);
    await logIn(phone, 'maria');
    await phone.waitForURL(/\/today$/);
    await phone.goto(`/patients/${maria}/goals`);
    await phone.getByText('Fasting sugar below 130').first().waitFor();
    assert.deepEqual(await screenProblems(phone), [], "Maria's goals with the new one");
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(page.errors, []);
    await phone.context().close();
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`the panel and a patient's page pass axe-core on a ${name} in English and Spanish`, async () => {
      const page = await newPage(tend, viewport);
      await logIn(page, 'dana');
      await page.waitForURL(/\/panel$/);
      await page.locator('li.panel-row').first().waitFor();
      assert.deepEqual(await screenProblems(page), [], 'panel, English');
      await page.getByRole('button', { name: 'Español' }).click();
      await page.getByRole('heading', { name: 'Mis pacientes', level: 1 }).waitFor();
      await page.getByText('Se muestran 42 de 42 pacientes.').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'panel, Spanish');
      await page.locator('li.panel-row').getByRole('link', { name: 'James Okafor' }).click();
      await page.getByRole('heading', { name: 'Ver lo que ven' }).waitFor();
      await page.getByRole('button', { name: 'Ver como James' }).waitFor();
      assert.deepEqual(await screenProblems(page), [], 'patient page, Spanish');
      // The new-activity form, with the days of the week showing.
      await page.getByRole('button', { name: 'Agregar una actividad' }).click();
      await page.getByLabel('Se repite').first().selectOption({ label: 'Algunos días de la semana' });
      await page.getByRole('group', { name: 'Días de la semana' }).first().getByLabel('miércoles').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'a new activity, Spanish');
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'See what they see' }).waitFor();
      await page.getByRole('group', { name: 'Days of the week' }).first().getByLabel('Wednesday').waitFor();
      assert.deepEqual(await screenProblems(page), [], 'patient page with a new activity, English');
      await page.context().close();
    });
  }
});
