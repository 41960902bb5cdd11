// Self-assessments in the real app: one question at a time, crisis resources
// first when item 9 is answered, history, and flags for the care manager.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, axeViolations, horizontalOverflow, logIn, newPage, screenProblems, sendNow, smallTapTargets, startTend } from './harness.mjs';

let tend;
before(async () => {
  tend = await startTend();
});
after(async () => {
  await tend?.stop();
});

async function openCheckIns(page) {
  await logIn(page, 'maria');
  await page.getByRole('heading', { name: 'Today', level: 1 }).waitFor();
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Check-ins' }).click();
  await page.getByRole('heading', { name: 'Check-ins', level: 1 }).waitFor();
}

/// Answers the current question by its answer's label and goes on.
async function answer(page, label) {
  await page.getByRole('group').getByLabel(label, { exact: true }).check();
  await page.getByRole('button', { name: /^(Next|Send my answers)$/ }).click();
}

async function flagsAs(username, patientId) {
  const page = await newPage(tend, DESKTOP);
  await logIn(page, username);
  await page.waitForURL(/\/(panel|people|patients)/);
  const flags = await page.evaluate(async (p) => (await fetch(`/api/patients/${p}/flags`)).json(), patientId);
  await page.context().close();
  return flags;
}

describe('check-ins', () => {
  test('a PHQ-9 with item 9 "several days" shows crisis resources before anything else', async () => {
    const page = await newPage(tend, PHONE);
    await openCheckIns(page);
    const phq = page.locator('li.check-in').filter({ hasText: 'Mood check-in (PHQ-9)' });
    await phq.getByText('Due now').waitFor();
    await phq.getByRole('link', { name: /^Start/ }).click();
    await page.getByText('Question 1 of 10').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(await smallTapTargets(page), []);
    assert.ok((await horizontalOverflow(page)) <= 0);

    // Going on without an answer is refused with a message; nothing is lost.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('alert').filter({ hasText: 'Please choose an answer to go on.' }).waitFor();
    for (let i = 0; i < 8; i += 1) await answer(page, 'Not at all');
    await page.getByText('Question 9 of 10').waitFor();
    await answer(page, 'Several days');
    await page.getByText('Question 10 of 10').waitFor();
    await page.getByText('This question is optional.').waitFor();
    await page.getByRole('button', { name: 'Send my answers' }).click();

    const crisis = page.locator('section.crisis');
    await crisis.waitFor();
    assert.equal(await crisis.getByRole('link', { name: /Call 988/ }).getAttribute('href'), 'tel:988');
    assert.equal(await crisis.getByRole('link', { name: 'Text 988' }).getAttribute('href'), 'sms:988');
    assert.equal(await crisis.getByRole('link', { name: /Call 911/ }).getAttribute('href'), 'tel:911');
    // Before anything else on the result screen: the first thing in the page after the section links.
    const firstHeading = await page.locator('main h1, main h2').first().innerText();
    assert.match(firstHeading, /help is here now/);
    await page.getByText('Score: 1 of 27').waitFor();
    await page.getByText(/^Saved /).waitFor();
    assert.deepEqual(await axeViolations(page), [], 'the result screen');

    const patientId = Number(page.url().match(/patients\/(\d+)/)[1]);
    const flags = await flagsAs('dana', patientId);
    assert.equal(flags[0].rule, 'phq9_item9');
    assert.equal(flags[0].urgency, 'urgent');

    await page.goto(`/patients/${patientId}/check-ins/phq9/history`);
    await page.getByRole('img', { name: /History: Mood check-in/ }).waitFor();
    const lastRow = page.locator('tbody tr').first();
    assert.match(await lastRow.innerText(), /1 \/ 27/);
    assert.deepEqual(await axeViolations(page), []);
    await page.reload();
    assert.match(await page.locator('tbody tr').first().innerText(), /1 \/ 27/);
    await page.context().close();
  });

  test('going back keeps answers, and a reload keeps the check-in where it was', async () => {
    const page = await newPage(tend, DESKTOP);
    await openCheckIns(page);
    await page.locator('li.check-in').filter({ hasText: 'GAD-7' }).getByRole('link', { name: /^Start/ }).click();
    await answer(page, 'More than half the days');
    await answer(page, 'Several days');
    await page.getByText('Question 3 of 7').waitFor();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByText('Question 2 of 7').waitFor();
    assert.equal(await page.getByLabel('Several days', { exact: true }).isChecked(), true);
    await page.reload();
    await page.getByText('Question 2 of 7').waitFor();
    assert.equal(await page.getByLabel('Several days', { exact: true }).isChecked(), true);
    await page.getByRole('button', { name: 'Back' }).click();
    assert.equal(await page.getByLabel('More than half the days', { exact: true }).isChecked(), true);
    await page.context().close();
  });

  test('a GAD-7 of 16 says the care team will reach out and raises a flag', async () => {
    const page = await newPage(tend, PHONE);
    await openCheckIns(page);
    await page.locator('li.check-in').filter({ hasText: 'GAD-7' }).getByRole('link', { name: /^Start/ }).click();
    // The draft from the test before is kept; start from the first question.
    while (await page.getByRole('button', { name: 'Back' }).isEnabled()) {
      await page.getByRole('button', { name: 'Back' }).click();
    }
    for (const label of ['Nearly every day', 'Nearly every day', 'Nearly every day', 'Nearly every day', 'Nearly every day', 'Several days']) {
      await answer(page, label);
    }
    await answer(page, 'Not at all');
    await page.getByText('Score: 16 of 21').waitFor();
    await page.getByText('severe', { exact: true }).waitFor();
    await page.getByText(/will reach out to you within one business day/).waitFor();
    assert.equal(await page.locator('section.crisis').count(), 0, 'no crisis resources without item 9');
    const patientId = Number(page.url().match(/patients\/(\d+)/)[1]);
    const flags = await flagsAs('dana', patientId);
    assert.ok(flags.some((f) => f.rule === 'severe_score' && /GAD-7 total 16/.test(f.detail)), JSON.stringify(flags));
    await page.context().close();
  });

  for (const [name, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ]) {
    test(`check-in pages pass axe-core on a ${name} in Spanish`, async () => {
      const page = await newPage(tend, viewport, 'es-US');
      await logIn(page, 'maria');
      await page.getByRole('heading', { name: 'Hoy', level: 1 }).waitFor();
      await page.getByRole('link', { name: 'Controles' }).click();
      await page.getByRole('heading', { name: 'Controles', level: 1 }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0);
      await page.locator('li.check-in').filter({ hasText: 'PHQ-9' }).getByRole('link', { name: /^Historial/ }).click();
      await page.getByRole('img', { name: /Historial/ }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.ok((await horizontalOverflow(page)) <= 0);
      await page.getByRole('link', { name: 'Volver a los controles' }).click();
      await page.locator('li.check-in').filter({ hasText: 'PHQ-9' }).getByRole('link', { name: /^Empezar/ }).click();
      await page.getByText('Pregunta 1 de 10').waitFor();
      await page.getByLabel('Ningún día', { exact: true }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(await smallTapTargets(page), []);
      // The result screen, with the network down: the rule runs on the phone, so
      // crisis resources come first, in Spanish, even though nothing was sent.
      await page.route('**/responses', (route) => route.abort('internetdisconnected'));
      for (let i = 0; i < 8; i += 1) {
        await page.getByRole('group').getByLabel('Ningún día', { exact: true }).check();
        await page.getByRole('button', { name: 'Siguiente' }).click();
      }
      await page.getByRole('group').getByLabel('Varios días', { exact: true }).check();
      await page.getByRole('button', { name: 'Siguiente' }).click();
      await page.getByRole('button', { name: 'Enviar mis respuestas' }).click();
      const crisis = page.locator('section.crisis');
      await crisis.getByRole('heading', { name: /hay ayuda ahora mismo/ }).waitFor();
      assert.equal(await crisis.getByRole('link', { name: /Llame al 988/ }).getAttribute('href'), 'tel:988');
      await page.getByText('Sus respuestas se guardan en este aparato y se enviarán cuando vuelva la conexión.').waitFor();
      assert.equal(await crisis.getByText('Su equipo de cuidado ya fue avisado').count(), 0, 'not told while unsent');
      assert.deepEqual(await axeViolations(page), [], 'the result screen');
      assert.ok((await horizontalOverflow(page)) <= 0);
      await page.unroute('**/responses');
      await page.getByRole('button', { name: 'Enviar ahora' }).click();
      await crisis.getByText('Su equipo de cuidado ya fue avisado').waitFor();
      assert.deepEqual(page.errors, []);
      await page.context().close();
    });
  }
});

describe('check-in pages in English on a desktop', () => {
  test('list, question, result and history pass axe-core at 1280 px', async () => {
    const page = await newPage(tend, DESKTOP);
    await openCheckIns(page);
    assert.deepEqual(await axeViolations(page), []);
    await page.locator('li.check-in').filter({ hasText: 'Heart symptom check' }).getByRole('link', { name: /^Start/ }).click();
    await page.getByText('Question 1 of 5').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    for (const label of ['As usual', 'No new swelling', 'As usual', 'No', 'About the same']) await answer(page, label);
    await page.getByText('green zone: as usual').waitFor();
    await page.getByText(/^Saved /).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('link', { name: 'Back to check-ins' }).click();
    await page.locator('li.check-in').filter({ hasText: 'GAD-7' }).getByRole('link', { name: /^History/ }).click();
    await page.getByRole('img', { name: /History: Worry check-in/ }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });
});

describe('check-ins when things go wrong, and the other screens', () => {
  test('answers survive a dropped network and are stored once when sent again', async () => {
    const page = await newPage(tend, PHONE);
    await openCheckIns(page);
    const patientId = Number(page.url().match(/patients\/(\d+)/)[1]);
    const count = async () =>
      page.evaluate(async (p) => (await (await fetch(`/api/patients/${p}/responses?questionnaire=hf_symptoms`)).json()).length, patientId);
    const before = await count();
    await page.locator('li.check-in').filter({ hasText: 'Heart symptom check' }).getByRole('link', { name: /^Start/ }).click();
    await page.route('**/responses', (route) => route.abort('internetdisconnected'));
    for (const label of ['As usual', 'More swelling than usual', 'As usual', 'No', 'About the same']) await answer(page, label);
    await page.getByText('Your answers are kept on this device and will be sent when you are back online.').waitFor();
    // The result, worked out on the phone, is there already; the care team is not said to be told.
    await page.getByText('yellow zone: call your care team today').waitFor();
    await page.unroute('**/responses');
    await sendNow(page);
    await page.getByText(/^Saved /).waitFor();
    assert.equal(await count(), before + 1);
    await page.getByRole('link', { name: /Call Dana Whitfield RN/ }).waitFor();
    assert.equal(await page.getByRole('link', { name: /Call Dana Whitfield RN/ }).getAttribute('href'), 'tel:+1-312-555-0140');
    await page.context().close();
  });

  test('a transport need on the everyday needs screen points to the ride program', async () => {
    const page = await newPage(tend, DESKTOP);
    await openCheckIns(page);
    await page.locator('li.check-in').filter({ hasText: 'Everyday needs screen' }).getByRole('link', { name: /^Start/ }).click();
    await answer(page, 'I have a steady place to live');
    await answer(page, 'Never');
    await answer(page, 'Yes');
    await answer(page, 'No');
    await answer(page, 'Yes');
    await page.getByText(/the ride program takes you to appointments for free/).waitFor();
    await page.getByText(/^Saved /).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.context().close();
  });

  test('Ana, allowed to record and to see the answers, fills Maria\'s GAD-7: the result says she entered it, and so does Maria\'s history', async () => {
    const maria = await newPage(tend, DESKTOP);
    await openCheckIns(maria);
    const patientId = Number(maria.url().match(/patients\/(\d+)/)[1]);
    // Maria shares her check-in answers with Ana, who may already record for her.
    const shared = await maria.evaluate(async (p) => {
      const grant = (await (await fetch(`/api/patients/${p}/grants`)).json()).find((g) => g.caregiver === 'Ana' && !g.revoked_at);
      const response = await fetch(`/api/patients/${p}/grants/${grant.id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scopes: [...grant.scopes, 'assessments'], until: grant.until }),
      });
      return response.status;
    }, patientId);
    assert.equal(shared, 200);

    const ana = await newPage(tend, PHONE);
    await logIn(ana, 'ana');
    await ana.waitForURL(/\/people$/);
    await ana.goto(`/patients/${patientId}/check-ins/gad7`);
    await ana.getByText('Question 1 of 7').waitFor();
    for (let i = 0; i < 7; i += 1) await answer(ana, 'Several days');
    await ana.getByRole('heading', { name: 'Your result', level: 1 }).waitFor();
    await ana.getByText('Entered by Ana, for Maria Santos.').waitFor();
    await ana.getByText(/^Saved /).waitFor();
    assert.deepEqual(await screenProblems(ana), [], 'the result Ana entered, on a phone');
    await ana.getByRole('button', { name: 'Español' }).click();
    await ana.getByText('Registrado por Ana, en nombre de Maria Santos.').waitFor();
    await ana.getByRole('button', { name: 'English' }).click();

    // Maria's own results say nothing of the kind; her history names Ana for this one.
    await maria.goto(`/patients/${patientId}/check-ins/gad7/history`);
    const newest = maria.getByRole('region', { name: /results/i }).locator('tbody tr').first();
    await newest.waitFor();
    assert.match(await newest.innerText(), /Ana/);
    assert.deepEqual(ana.errors, []);
    assert.deepEqual(maria.errors, []);
    await ana.context().close();
    await maria.context().close();
  });
});
