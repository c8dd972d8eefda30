// A resident's requests under 152-ФЗ from the contact's page: everything held about them saved
// where the dialog says; erasure on request refused without the request's number, then done with
// the act of destruction, the person gone from the contacts, and the act in the erasure log.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { byTest, calls, openApp, screenshot } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('a person is exported, then erased on request with the act, and the log lists the act', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/contacts/new'));
  await byTest(page, 'contact-last-name').fill('Евлампиева');
  await byTest(page, 'contact-first-name').fill('Агния');
  await byTest(page, 'contact-phones-0').fill('8 913 555-12-34');
  await byTest(page, 'contact-save').click();
  await page.waitForURL(/#\/contacts\/[0-9a-f-]{36}/);
  const id = decodeURIComponent(new URL(page.url()).hash.split('/')[2]);

  await byTest(page, 'person-export').click();
  await byTest(page, 'person-export-reveal').waitFor();
  const [exported] = await calls(page, 'export_person');
  assert.deepEqual(exported, { id, path: join(app.documents, 'Сведения о субъекте ПД Евлампиева Агния.xlsx') });
  assert.ok(existsSync(exported.path), 'written where the dialog said');

  await byTest(page, 'person-erase').click();
  await byTest(page, 'erase-dialog').waitFor();
  assert.match(await byTest(page, 'erase-warning').innerText(), /«Евлампиева Агния» будут уничтожены безвозвратно/);
  await byTest(page, 'erase-confirm').click();
  await byTest(page, 'err-request_number').waitFor();
  assert.match(await byTest(page, 'err-request_number').innerText(), /укажите регистрационный номер запроса/);
  assert.deepEqual(await calls(page, 'erase_person'), [], 'nothing is asked of the backend without the number');

  await byTest(page, 'erase-request').fill('ПД-7/2025');
  await byTest(page, 'erase-requested-on').fill('10.05.2025');
  await byTest(page, 'erase-basis').selectOption('consent_withdrawn');
  await screenshot(page, '30-erase-request');
  await byTest(page, 'erase-confirm').click();
  await byTest(page, 'erase-done').waitFor();
  // Acts are numbered within the year they are made in: the first of this year.
  const year = new Date().getFullYear();
  assert.match(await byTest(page, 'erase-done').innerText(), new RegExp(`Персональные данные уничтожены\\. Акт № 1/${year}`));
  const [erased] = await calls(page, 'erase_person');
  assert.equal(erased.id, id);
  assert.equal(erased.act, join(app.documents, 'Акт об уничтожении ПД ПД-7 2025.xlsx'), 'the act is named by the request, not the person');
  assert.ok(existsSync(erased.act), 'the act is written');
  assert.deepEqual(erased.request, {
    request_number: 'ПД-7/2025',
    requested_on: '2025-05-10',
    reason: 'заявление субъекта персональных данных об уничтожении его персональных данных',
    basis: 'consent_withdrawn',
  });
  await screenshot(page, '31-erased');
  await byTest(page, 'erase-close').click();
  await page.waitForURL(/#\/contacts$/);
  await byTest(page, 'contacts-search').fill('Евлампиева');
  await page.locator('[data-testid="contacts"] .empty').waitFor();

  await byTest(page, 'nav-settings').click();
  await byTest(page, 'tab-erasures').click();
  await byTest(page, 'erasure-entry').waitFor();
  const row = await byTest(page, 'erasure-entry').innerText();
  assert.match(row, new RegExp(`№ 1/${year}`));
  assert.match(row, /№ ПД-7\/2025/);
  assert.match(row, /отзыв согласия/);
  assert.doesNotMatch(row, /Евлампиева/, 'the log names no one');
  await screenshot(page, '32-erasure-log');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
