// Initiatives: creating one, the core's field errors beside their inputs, live shares, the guard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTest, figure, openApp, screenshot, selectByText } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

/** Fills the fields a new initiative needs, in a territory picked by its visible name. */
async function fillNew(page, title) {
  await byTest(page, 'initiative-title').fill(title);
  await selectByText(byTest(page, 'initiative-territory'), 'с. Соловьёвка');
  await byTest(page, 'initiative-initiator-name').fill('Староста с. Соловьёвка');
  await byTest(page, 'initiative-total-cost').fill('1 000 000');
  await byTest(page, 'budget-regional-planned').fill('950 000');
  await byTest(page, 'budget-residents-planned').fill('50 000,00');
}

test('a new initiative shows in the list and changes the dashboard totals', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  const before = Number((await figure(page, 'initiatives')).replace(/ /g, ''));
  const fundsBefore = await figure(page, 'funds-total');

  await byTest(page, 'nav-initiatives').click();
  await byTest(page, 'initiatives-table-row').first().waitFor();
  await screenshot(page, '04-initiatives');
  await byTest(page, 'initiative-new').click();
  await fillNew(page, 'Ремонт колодца на ул. Лесной');
  // The core's live check: shares per source, exactly 100 % together.
  await page.waitForFunction(() => document.querySelector('[data-testid="share-residents"]')?.textContent?.includes('5,00'));
  assert.equal((await byTest(page, 'share-regional').innerText()).replace(/\u00a0/g, ' '), '95,00 %');
  await screenshot(page, '05-initiative-form');
  await byTest(page, 'initiative-save').click();
  await page.waitForURL(/#\/initiatives\/[0-9a-f-]{36}/);
  await byTest(page, 'stage-panel').waitFor();
  assert.equal(await byTest(page, 'current-stage').innerText(), 'идея');

  await byTest(page, 'back-to-list').click();
  await byTest(page, 'initiatives-search').fill('колодца Лесной');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid="initiatives-table-row"]').length === 1,
  );
  assert.equal(await byTest(page, 'initiative-row-title').innerText(), 'Ремонт колодца на ул. Лесной');

  await byTest(page, 'nav-dashboard').click();
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="stat-initiatives"]')?.textContent?.replace(/\s/g, '') === String(n),
    before + 1,
  );
  const toKopecks = (s) => Number(s.replace(/[^\d]/g, ''));
  assert.equal(toKopecks(await figure(page, 'funds-total')) - toKopecks(fundsBefore), 100_000_000, 'one million roubles more');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a saved initiative, opened again, shows its co-financing shares with its fields', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  const title = 'Ремонт колодца на ул. Полевой';
  await page.goto(app.url('#/initiatives/new'));
  await fillNew(page, title);
  await byTest(page, 'initiative-save').click();
  await page.waitForURL(/#\/initiatives\/[0-9a-f-]{36}/);
  await byTest(page, 'back-to-list').click();
  await byTest(page, 'initiatives-search').fill('колодца Полевой');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="initiatives-table-row"]').length === 1);
  await byTest(page, 'initiatives-table-row').first().click();
  // Read at the moment the saved fields appear: the shares are there too, not «—» until the
  // live check's pause for typing has passed or a sum is edited.
  const shown = await page.waitForFunction(
    (t) =>
      document.querySelector('[data-testid="initiative-title"]')?.value === t && {
        regional: document.querySelector('[data-testid="share-regional"]').textContent.replace(/\u00a0/g, ' '),
        residents: document.querySelector('[data-testid="share-residents"]').textContent.replace(/\u00a0/g, ' '),
      },
    title,
  );
  assert.deepEqual(await shown.jsonValue(), { regional: '95,00 %', residents: '5,00 %' });
  assert.equal(await byTest(page, 'dirty-badge').count(), 0, 'opening changes nothing');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test("the core's field error shows next to its input, and money that is not money is caught", async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/initiatives/new'));
  await byTest(page, 'initiative-form').waitFor();
  await fillNew(page, '');
  await byTest(page, 'budget-business-planned').fill('12,345');
  await byTest(page, 'initiative-save').click();
  // The UI's own check: three digits after the comma cannot be kopecks.
  await byTest(page, 'err-budget-business').waitFor();
  assert.match(await byTest(page, 'err-budget-business').innerText(), /двух знаков/);
  await byTest(page, 'budget-business-planned').fill('');

  await byTest(page, 'initiative-save').click();
  const error = byTest(page, 'err-title');
  await error.waitFor();
  assert.match(await error.innerText(), /укажите название проекта/);
  const field = page.locator('.field', { has: byTest(page, 'initiative-title') });
  assert.equal(await field.locator('[data-testid="err-title"]').count(), 1, 'the error sits in the title field');
  assert.equal(await byTest(page, 'initiative-title').getAttribute('aria-describedby'), 'err-title');
  await screenshot(page, '06-initiative-field-error');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('leaving a form with unsaved changes asks first', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-initiatives').click();
  await byTest(page, 'initiatives-table-row').first().click();
  await byTest(page, 'stage-panel').waitFor();
  const title = byTest(page, 'initiative-title');
  await title.fill('Изменённое название');
  await byTest(page, 'dirty-badge').waitFor();

  await byTest(page, 'nav-dashboard').click();
  await byTest(page, 'confirm-leave').waitFor();
  await screenshot(page, '07-unsaved-guard');
  await byTest(page, 'leave-stay').click();
  assert.equal(await title.inputValue(), 'Изменённое название', 'staying keeps the edit');
  assert.match(page.url(), /#\/initiatives\/[0-9a-f-]{36}/);

  await title.press('Escape');
  await byTest(page, 'confirm-leave').waitFor();
  await byTest(page, 'leave-go').click();
  await byTest(page, 'initiatives').waitFor();
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a stage change is dated and kept in the stage history', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/initiatives/new'));
  await fillNew(page, 'Освещение ул. Садовой');
  await byTest(page, 'start-stage-on').fill('01.05.2025');
  await byTest(page, 'initiative-save').click();
  await byTest(page, 'stage-form').waitFor();
  await byTest(page, 'stage-to').selectOption('discussion');
  await byTest(page, 'stage-on').fill('20.05.2025');
  await byTest(page, 'stage-note').fill('протокол № 3');
  await byTest(page, 'stage-submit').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="current-stage"]')?.textContent === 'обсуждение');
  const history = await byTest(page, 'stage-history').innerText();
  assert.match(history, /01\.05\.2025\s+идея\s+20\.05\.2025\s+идея → обсуждение\s+протокол № 3/);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('the list and the form work from the keyboard', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-initiatives').click();
  const rows = byTest(page, 'initiatives-table-row');
  await rows.first().waitFor();
  const second = await rows.nth(1).locator('[data-testid="initiative-row-title"]').innerText();
  assert.equal(await page.locator('[data-testid="initiatives-table-row"][tabindex="0"]').count(), 1, 'one Tab stop for the table');
  await rows.first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await byTest(page, 'initiative-form').waitFor();
  await page.waitForFunction((t) => document.querySelector('[data-testid="initiative-title"]')?.value === t, second);
  // Esc on a clean form goes straight back to the list.
  await byTest(page, 'initiative-title').press('Escape');
  await byTest(page, 'initiatives').waitFor();
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test("the program's co-financing rules warn while typing and bind an application", async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/initiatives/new'));
  await fillNew(page, 'Детская площадка в с. Соловьёвка');
  await selectByText(byTest(page, 'initiative-program'), 'ППМИ');
  // ППМИ asks for at least 5 % of municipal money; there is none.
  await byTest(page, 'warning-municipal').waitFor();
  assert.match(await byTest(page, 'warning-municipal').innerText(), /местного бюджета 0,00\s%.*5,00\s%/);
  // The sources must add up to the total cost: said while typing.
  await byTest(page, 'budget-business-planned').fill('1');
  await byTest(page, 'live-budget-error').waitFor();
  await byTest(page, 'budget-business-planned').fill('');

  await byTest(page, 'start-stage-select').selectOption('application');
  await byTest(page, 'initiative-save').click();
  await byTest(page, 'err-budget-municipal').waitFor();
  assert.match(page.url(), /#\/initiatives\/new$/, 'an application that breaks the rules is not saved');

  await byTest(page, 'budget-regional-planned').fill('900 000');
  await byTest(page, 'budget-municipal-planned').fill('50 000');
  await page.waitForFunction(() => !document.querySelector('[data-testid="warning-municipal"]'));
  await byTest(page, 'initiative-save').click();
  await page.waitForURL(/#\/initiatives\/[0-9a-f-]{36}/);
  await byTest(page, 'current-stage').waitFor();
  assert.equal(await byTest(page, 'current-stage').innerText(), 'заявка');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('sums typed in Russian keep their value when the window switches to English', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-initiatives').click();
  await byTest(page, 'initiative-new').click();
  await fillNew(page, 'Ремонт моста через ручей');
  await page.waitForFunction(() => document.querySelector('[data-testid="share-residents"]')?.textContent?.includes('5,00'));
  await byTest(page, 'lang-en').click();
  // Read in English, «50 000,00» would be five million roubles: the field is written anew.
  await page.waitForFunction(() => document.querySelector('[data-testid="budget-residents-planned"]')?.value === '50,000.00');
  assert.equal(await byTest(page, 'initiative-total-cost').inputValue(), '1,000,000.00');
  await page.waitForFunction(() => document.querySelector('[data-testid="share-residents"]')?.textContent?.includes('5.00'));
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
