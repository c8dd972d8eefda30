// First start: an empty office, set up by hand or filled with demo data.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { byTest, figure, launch, openApp, screenshot, startServer } from '../lib/harness.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test('an empty office is set up by hand; the core refuses a blank name beside its input', async () => {
  const app = await openApp(browser, server.url);
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

test('demo data loads with a progress bar and fills the dashboard', async () => {
  const app = await openApp(browser, server.url);
  const { page } = app;
  await byTest(page, 'demo-scale-small').check();
  await byTest(page, 'demo-load').click();
  await byTest(page, 'progress').waitFor();
  await screenshot(page, '02-demo-progress');
  await byTest(page, 'dashboard').waitFor();
  assert.equal(await figure(page, 'initiatives'), '300');
  assert.match(await figure(page, 'funds-total'), /^\d{1,3}( \d{3})*,\d{2} ₽$/);
  assert.notEqual(await figure(page, 'participants'), '0');
  await byTest(page, 'chart-stages').waitFor();
  await screenshot(page, '03-dashboard');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
