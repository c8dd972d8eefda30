// First start: an empty office, set up by hand or filled with demo data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, byTest, figure, openApp, screenshot } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('an empty office is set up by hand; the core refuses a blank name beside its input', async () => {
  const app = await openApp(env.browser, env.bridge);
  const { page } = app;
  await byTest(page, 'first-start').waitFor();
  await screenshot(page, '01-first-start');

  await byTest(page, 'setup-territory-name').fill('Абанский район');
  await byTest(page, 'setup-submit').click();
  const error = byTest(page, 'err-office_name');
  await error.waitFor();
  assert.match(await error.innerText(), /укажите название офиса/);
  // The message sits in the same field as the input it is about.
  const field = page.locator('.field', { has: byTest(page, 'setup-office-name') });
  assert.equal(await field.locator('[data-testid="err-office_name"]').count(), 1);
  assert.equal(await byTest(page, 'setup-office-name').getAttribute('aria-invalid'), 'true');

  await byTest(page, 'setup-office-name').fill('Проектный офис Абанского района');
  await byTest(page, 'setup-population').fill('20500');
  await byTest(page, 'setup-submit').press('Enter');
  await byTest(page, 'dashboard').waitFor();
  assert.equal(await byTest(page, 'office-name').innerText(), 'Проектный офис Абанского района');
  assert.equal(await figure(page, 'population'), '20 500');
  assert.equal(await figure(page, 'initiatives'), '0');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a settlement office joining its district starts without territories, on «Обмен данными»', async () => {
  const app = await openApp(env.browser, env.bridge);
  const { page } = app;
  await byTest(page, 'setup-office-name').fill('Администрация с. Берёзовка');
  await byTest(page, 'setup-joining').check();
  await byTest(page, 'setup-joining-lead').waitFor();
  assert.equal(await byTest(page, 'setup-territory-name').count(), 0, 'no territory is asked for');
  await byTest(page, 'setup-submit').click();
  await byTest(page, 'sync-card').waitFor();
  assert.equal(new URL(page.url()).hash, '#/sync');
  assert.equal(await byTest(page, 'office-name').innerText(), 'Администрация с. Берёзовка');
  assert.deepEqual(await backend(page, 'territories', {}), [], "the district's first package brings them");
  // Reopened, the office is not offered the first start again.
  await page.reload();
  await byTest(page, 'sync-card').waitFor();
  assert.equal(await byTest(page, 'first-start').count(), 0);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('demo data loads with a progress bar and fills the dashboard', async () => {
  const app = await openApp(env.browser, env.bridge);
  const { page } = app;
  await byTest(page, 'demo-scale-small').check();
  await byTest(page, 'demo-load').click();
  await byTest(page, 'progress').waitFor();
  await screenshot(page, '02-demo-progress');
  await byTest(page, 'dashboard').waitFor();
  const { total } = await backend(page, 'list_initiatives', { query: { limit: 1 } });
  assert.ok(total > 0, 'the demo has initiatives');
  assert.equal(Number((await figure(page, 'initiatives')).replace(/\s/g, '')), total, 'every initiative of the demo is counted');
  assert.match(await figure(page, 'funds-total'), /^\d{1,3}( \d{3})*,\d{2} ₽$/);
  assert.notEqual(await figure(page, 'participants'), '0');
  await byTest(page, 'chart-stages').waitFor();
  await screenshot(page, '03-dashboard');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
