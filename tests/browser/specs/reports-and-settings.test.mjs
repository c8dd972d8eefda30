// Reports go through the save dialog with progress; settings edit the territory tree, programs and
// the office's profile.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot, shownDuring } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('a report is saved where the dialog says, and its folder can be opened', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-reports').click();
  await byTest(page, 'report-year').selectOption('2024');
  await screenshot(page, '15-reports');
  await shownDuring(page, 'progress', () => byTest(page, 'report-export').click());
  await byTest(page, 'report-done').waitFor();
  const [save] = await calls(page, 'plugin:dialog|save');
  assert.equal(save.options.defaultPath, 'Реестр проектов 2024.xlsx');
  assert.deepEqual(save.options.filters[0].extensions, ['xlsx']);
  const [exported] = await calls(page, 'export_report');
  assert.equal(exported.kind, 'registry');
  assert.equal(exported.request.year, 2024);
  assert.equal(exported.path, join(app.documents, 'Реестр проектов 2024.xlsx'));
  assert.ok(existsSync(exported.path), 'the report is written where the dialog said');
  await byTest(page, 'report-reveal').click();
  await page.waitForFunction(() => window.__mestnoDesktop.calls.some((c) => c.cmd === 'reveal'));
  assert.deepEqual(await calls(page, 'reveal'), [{ path: exported.path }]);
  await screenshot(page, '16-report-done');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a territory is added under another; a program with co-financing rules', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-settings').click();
  await byTest(page, 'territory-item').first().click();
  await byTest(page, 'territory-form').waitFor();
  await byTest(page, 'territory-new').click();
  await byTest(page, 'territory-name').fill('д. Новая');
  await byTest(page, 'population-add').click();
  await byTest(page, 'population-value-0').fill('120');
  await byTest(page, 'territory-oktmo').fill('123');
  await byTest(page, 'territory-save').click();
  await byTest(page, 'err-oktmo').waitFor();
  await byTest(page, 'territory-oktmo').fill('');
  await byTest(page, 'territory-save').click();
  await page.locator('[data-testid="territory-item"]', { hasText: 'д. Новая' }).waitFor();
  await screenshot(page, '17-settings-territories');

  await byTest(page, 'tab-programs').click();
  await byTest(page, 'program-new').click();
  await byTest(page, 'program-code').fill('ГИ-50');
  await byTest(page, 'program-name').fill('«Гражданская инициатива 50/50»');
  await byTest(page, 'program-kind').selectOption('civic_50_50');
  await byTest(page, 'program-min-residents').fill('50');
  await byTest(page, 'program-min-business').fill('60');
  await byTest(page, 'program-save').click();
  await page.locator('.field-error', { hasText: 'превышают 100' }).waitFor();
  await byTest(page, 'program-min-business').fill('12,5');
  await byTest(page, 'program-save').click();
  // The demo office has «ГИ-50/50» already: the new one is the item whose code is «ГИ-50».
  await page.locator('[data-testid="program-item"] strong', { hasText: /^ГИ-50$/ }).waitFor();
  const saved = (await backend(page, 'programs')).find((p) => p.code === 'ГИ-50').rules;
  assert.equal(saved.min_residents_share_bp, 5000);
  assert.equal(saved.min_business_share_bp, 1250);
  await screenshot(page, '18-settings-programs');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test("the office's profile is edited in the settings, and a profile without a name is refused", async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-settings').click();
  await byTest(page, 'tab-office').click();
  await byTest(page, 'office-profile').waitFor();
  await byTest(page, 'profile-name').fill(' ');
  await byTest(page, 'profile-save').click();
  await byTest(page, 'err-name').waitFor();
  await byTest(page, 'profile-name').fill('Администрация Абанского района');
  await byTest(page, 'profile-address').fill('663740, п. Абан, ул. Пионерская, 4');
  await byTest(page, 'profile-responsible-name').fill('Кузнецова Е. А.');
  await byTest(page, 'profile-responsible-position').fill('заместитель главы района');
  await byTest(page, 'profile-staff').fill('Кузнецова Е. А.\n  Сидоров И. П.\n\n');
  await byTest(page, 'profile-save').click();
  await page.locator('[data-testid="office-name"]', { hasText: 'Администрация Абанского района' }).waitFor();
  assert.deepEqual(await backend(page, 'office_profile'), {
    name: 'Администрация Абанского района',
    address: '663740, п. Абан, ул. Пионерская, 4',
    responsible_name: 'Кузнецова Е. А.',
    responsible_position: 'заместитель главы района',
    staff: ['Кузнецова Е. А.', 'Сидоров И. П.'],
  });
  // The person at the computer is chosen from the staff just saved; the history names him.
  await byTest(page, 'working-person-select').selectOption('Сидоров И. П.');
  await page.locator('[data-testid="working-person"] [data-testid="banner"]', { hasText: 'Сидоров И. П.' }).waitFor();
  assert.equal((await backend(page, 'working_person')).name, 'Сидоров И. П.');
  const place = await backend(page, 'save_territory', { input: { kind: 'locality', name: 'с. Апано-Ключи' } });
  assert.equal((await backend(page, 'history', { id: place.id }))[0].actor, 'Сидоров И. П.');
  await screenshot(page, '18b-settings-office');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
