// Contacts: names are text, never markup; consents (152-ФЗ) are added and withdrawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTest, openApp, screenshot } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();
const EVIL = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';

test('a name with <script> in it shows literally and runs nothing', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-contacts').click();
  await byTest(page, 'contacts-table-row').first().waitFor();
  await screenshot(page, '11-contacts');
  await byTest(page, 'contact-new').click();
  await byTest(page, 'contact-last-name').fill(EVIL);
  await byTest(page, 'contact-first-name').fill('Тест');
  await byTest(page, 'contact-phones-0').fill('8 (913) 555-12-34');
  await byTest(page, 'contact-role-village_elder').check();
  await byTest(page, 'contact-save').click();
  await page.waitForURL(/#\/contacts\/[0-9a-f-]{36}/);
  await byTest(page, 'contact-heading').filter({ hasText: 'Тест' }).waitFor();
  assert.equal(await byTest(page, 'contact-heading').innerText(), `${EVIL} Тест`);
  assert.equal(await byTest(page, 'contact-phones-0').inputValue(), '+79135551234', 'the core normalises the phone');

  await byTest(page, 'consent-purpose').fill('участие в ППМИ');
  await byTest(page, 'consent-given-on').fill('01.03.2025');
  await byTest(page, 'consent-add').click();
  await byTest(page, 'consent-row').waitFor();
  await screenshot(page, '12-contact-form');
  await byTest(page, 'consent-withdraw').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="consent-withdraw"]'));
  const d = new Date();
  const today = [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).join('.') + `.${d.getFullYear()}`;
  assert.ok((await byTest(page, 'consent-row').innerText()).includes(today), 'withdrawn today');

  await page.locator('a.back').click();
  await byTest(page, 'contacts-search').fill('Тест');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="contacts-table-row"]').length === 1);
  assert.equal(await byTest(page, 'contact-row-name').innerText(), `${EVIL} Тест`);
  assert.equal(await page.locator('[data-testid="contacts-table"] img, [data-testid="contacts-table"] script').count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'nothing ran');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a phone that is no phone is refused beside its own input', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/contacts/new'));
  await byTest(page, 'contact-last-name').fill('Семёнова');
  await byTest(page, 'contact-phones-add').click();
  await byTest(page, 'contact-phones-0').fill('+7 913 000 00 00');
  await byTest(page, 'contact-phones-1').fill('позвонить в сельсовет');
  await byTest(page, 'contact-save').click();
  await byTest(page, 'err-phones-1').waitFor();
  assert.match(await byTest(page, 'err-phones-1').innerText(), /не похож на российский номер/);
  assert.equal(await byTest(page, 'err-phones-0').count(), 0);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
