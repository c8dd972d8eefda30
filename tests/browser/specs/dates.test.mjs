// Dates and times as Russian offices write them (05.10.2025, 18:30) on a computer set to American
// English (the harness's LOCALE), year first in English; a date the calendar lacks is an error
// beside its field and nothing is saved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTest, calls, LOCALE, openApp, screenshot, selectByText } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

const value = (page, id) => byTest(page, id).inputValue();

test('date fields read dd.mm.yyyy in Russian and yyyy-mm-dd in English, whatever the locale', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  assert.equal(await page.evaluate(() => navigator.language), LOCALE, 'the computer is not Russian');
  await page.goto(app.url('#/initiatives/new'));
  await byTest(page, 'initiative-title').fill('Ремонт клуба');
  await selectByText(byTest(page, 'initiative-territory'), 'с. Соловьёвка');
  await byTest(page, 'initiative-initiator-name').fill('Староста');
  await byTest(page, 'initiative-total-cost').fill('100 000');
  await byTest(page, 'budget-regional-planned').fill('100 000');
  // Typed the short way, shown the full way once the person moves on.
  await byTest(page, 'start-stage-on').fill('1.10.25');
  await byTest(page, 'start-stage-on').press('Tab');
  assert.equal(await value(page, 'start-stage-on'), '01.10.2025', 'the stage date is tidied to dd.mm.yyyy');
  await byTest(page, 'implementation-contract-date').fill('05.10.2025');
  await screenshot(page, '20-dates-ru');
  await byTest(page, 'initiative-save').click();
  await byTest(page, 'stage-panel').waitFor();

  const [saved] = await calls(page, 'save_initiative');
  assert.equal(saved.on, '2025-10-01', 'the core gets the ISO date it stores');
  assert.equal(saved.input.implementation.contract_date, '2025-10-05', '05.10.2025 is 5 October, not 10 May');
  assert.equal(await value(page, 'implementation-contract-date'), '05.10.2025', 'the saved date comes back as typed');
  assert.match(await byTest(page, 'stage-history').innerText(), /01\.10\.2025/);

  await byTest(page, 'lang-en').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="implementation-contract-date"]')?.value === '2025-10-05');
  assert.equal(await byTest(page, 'implementation-contract-date').getAttribute('placeholder'), 'yyyy-mm-dd');
  assert.match(await byTest(page, 'stage-history').innerText(), /2025-10-01/, 'the history in English too');
  await screenshot(page, '21-dates-en');
  await byTest(page, 'lang-ru').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="implementation-contract-date"]')?.value === '05.10.2025');
  assert.equal(await byTest(page, 'initiative-save').isVisible(), true);
  assert.equal(await byTest(page, 'dirty-badge').count(), 0, 'switching the language changes no date');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('31.02.2025 is an error beside its field and stops the save; a date and a time save as typed', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/events/new'));
  await byTest(page, 'event-title').fill('Сход жителей');
  await selectByText(byTest(page, 'event-territory'), 'с. Соловьёвка');
  const starts = byTest(page, 'event-starts-at');
  assert.match(await starts.inputValue(), /^\d{2}\.\d{2}\.\d{4} 18:00$/, 'the default start reads dd.mm.yyyy HH:MM');

  await starts.fill('31.02.2025 18:30');
  assert.equal(await byTest(page, 'event-starts-at-problem').count(), 0, 'no error while the person is still typing');
  await starts.press('Tab');
  assert.equal(await byTest(page, 'event-starts-at-problem').innerText(), 'такой даты нет в календаре');
  assert.equal(await starts.getAttribute('aria-invalid'), 'true');
  assert.ok((await starts.getAttribute('aria-describedby')).length > 0, 'the error is tied to the field for screen readers');
  await screenshot(page, '22-date-error');
  await byTest(page, 'event-save').click();
  assert.deepEqual(await calls(page, 'save_event'), [], 'a date that does not exist is never saved');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'event-starts-at', 'the field takes the focus');

  await starts.fill('05.10.2025');
  await starts.press('Enter');
  assert.match(await byTest(page, 'event-starts-at-problem').innerText(), /укажите и время/);
  assert.deepEqual(await calls(page, 'save_event'), [], 'nor one without its time');

  await starts.fill('05.10.2025 18:30');
  assert.equal(await byTest(page, 'event-starts-at-problem').count(), 0, 'the error goes once the date is right');
  await byTest(page, 'event-save').click();
  await page.waitForURL(/#\/events\/(?!new)/);
  await byTest(page, 'event-delete').waitFor(); // the saved event, loaded again
  const [saved] = await calls(page, 'save_event');
  assert.equal(saved.input.starts_at, '2025-10-05T18:30:00');
  assert.equal(await byTest(page, 'event-starts-at').inputValue(), '05.10.2025 18:30');

  // The list's date filter reads the same way and keys work: ↑ is the next day.
  await byTest(page, 'nav-events').click();
  await byTest(page, 'filter-from').fill('04.10.2025');
  await byTest(page, 'filter-from').press('ArrowUp');
  assert.equal(await value(page, 'filter-from'), '05.10.2025');
  await byTest(page, 'filter-until').fill('2025-10-05');
  await page.waitForFunction(() =>
    window.__mestnoDesktop.calls.some((c) => c.cmd === 'list_events' && c.args.query.from === '2025-10-05T00:00:00'),
  );
  await page.waitForFunction(() =>
    window.__mestnoDesktop.calls.some((c) => c.cmd === 'list_events' && c.args.query.until === '2025-10-05T23:59:59'),
  );
  await page.waitForFunction(() => document.querySelector('[data-testid="events-table-row"]')?.textContent?.includes('Сход жителей'));
  assert.match(await byTest(page, 'events-table-row').first().innerText(), /05\.10\.2025 18:30/, 'the list shows the day first too');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
