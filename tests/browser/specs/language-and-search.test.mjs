// English on request, and Ctrl+K over everything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('switching to English changes the labels, and back', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  assert.equal(await byTest(page, 'nav-initiatives').innerText(), 'Проекты');
  await byTest(page, 'lang-en').click();
  assert.equal(await byTest(page, 'nav-initiatives').innerText(), 'Initiatives');
  assert.equal(await page.locator('h1').innerText(), 'Dashboard');
  assert.match(await page.locator('.figure dt').first().innerText(), /Initiatives/);
  // Money in English notation.
  assert.match((await byTest(page, 'stat-funds-total').innerText()).replace(/\u00a0/g, ' '), /^\d{1,3}(,\d{3})*\.\d{2} ₽$/);
  // The code lists (stages) follow too.
  assert.match(await byTest(page, 'chart-stages').innerText(), /selected/);
  await screenshot(page, '09-dashboard-en');
  const langCalls = (await calls(page, 'set_lang')).map((args) => args.lang);
  assert.deepEqual(langCalls, ['en'], 'the core is told, so its messages follow');
  await byTest(page, 'lang-ru').click();
  assert.equal(await byTest(page, 'nav-initiatives').innerText(), 'Проекты');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('Ctrl+K finds a record and Enter opens it', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  const title = (await backend(page, 'list_initiatives', { query: { limit: 8 } })).items[7].title;
  await page.keyboard.press('Control+k');
  await byTest(page, 'search-palette').waitFor();
  await byTest(page, 'search-input').fill(title);
  await byTest(page, 'search-hit').first().waitFor();
  await screenshot(page, '10-search');
  const first = await byTest(page, 'search-hit').first().innerText();
  assert.ok(first.includes(title), `the first hit is «${title}»`);
  await page.keyboard.press('Enter');
  await byTest(page, 'initiative-form').waitFor();
  await page.waitForFunction((t) => document.querySelector('[data-testid="initiative-title"]')?.value === t, title);
  assert.equal(await byTest(page, 'search-palette').isVisible(), false);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
