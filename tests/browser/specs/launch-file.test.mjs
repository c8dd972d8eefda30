// A spreadsheet the app was started with («Открыть в Mestno» in a file manager): once the office is
// open, the import wizard opens it at once as a registry of initiatives; after «Отмена» it can be
// opened again as another kind of records, and it is never opened a second time by itself.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTest, calls, openApp, screenshot } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

/** The app on an office of `office`, started as `mestno-app Старосты.xlsx` (a real file). */
async function startedWith(office) {
  const app = await openApp(env.browser, env.bridge, { office });
  const file = app.file('Старосты.xlsx');
  await app.page.goto(`${app.url()}&open=${encodeURIComponent(file)}`);
  return { app, file };
}

test('an office started with a file opens it in the import wizard as initiatives', async () => {
  const { app, file: FILE } = await startedWith('small');
  const { page } = app;
  await page.waitForURL(/#\/import$/);
  await byTest(page, 'import-columns').waitFor();
  assert.deepEqual(await calls(page, 'import_open'), [{ path: FILE, kind: 'initiatives' }], 'opened as if chosen in the dialog');
  assert.deepEqual(await calls(page, 'plugin:dialog|open'), [], 'no dialog is asked');
  assert.match(await byTest(page, 'import-file').innerText(), /Старосты\.xlsx · Excel \(\.xlsx\) · Проекты/);
  await screenshot(page, '23-import-launched');

  // Not initiatives after all: cancelled, the same file opens again as contacts, no dialog.
  await byTest(page, 'import-cancel').click();
  await byTest(page, 'import-kind-contacts').check();
  assert.equal(await byTest(page, 'import-open-launched').innerText(), 'Открыть «Старосты.xlsx»');
  await screenshot(page, '23b-import-open-launched');
  await byTest(page, 'import-open-launched').click();
  await byTest(page, 'import-columns').waitFor();
  assert.deepEqual((await calls(page, 'import_open')).at(-1), { path: FILE, kind: 'contacts' });
  assert.match(await byTest(page, 'import-file').innerText(), /· Контакты$/);

  // Leaving the wizard and coming back starts from the first step: the file is handed over once.
  await byTest(page, 'nav-dashboard').click();
  await byTest(page, 'dashboard').waitFor();
  await byTest(page, 'nav-import').click();
  await byTest(page, 'import-choose').waitFor();
  assert.equal(await byTest(page, 'import-columns').count(), 0);
  assert.equal((await calls(page, 'take_open_file')).length, 1, 'the shell is asked once');
  assert.equal((await calls(page, 'import_open')).length, 2);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('on a first start the file waits until the office is set up', async () => {
  const { app, file: FILE } = await startedWith('empty');
  const { page } = app;
  await byTest(page, 'first-start').waitFor();
  assert.equal((await calls(page, 'take_open_file')).length, 0, 'nothing is opened before there is an office');
  await byTest(page, 'setup-office-name').fill('Проектный офис Абанского района');
  await byTest(page, 'setup-territory-name').fill('Абанский район');
  await byTest(page, 'setup-submit').click();
  await page.waitForURL(/#\/import$/);
  await byTest(page, 'import-columns').waitFor();
  assert.deepEqual(await calls(page, 'import_open'), [{ path: FILE, kind: 'initiatives' }]);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
