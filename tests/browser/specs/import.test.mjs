// The import wizard: a list of village elders from Excel, one column left out, the bad row shown
// with its row, column and reason, the import refused until bad rows are skipped, then the new
// people in the contacts list; the mapping is remembered; files that are no tables are refused;
// a village the office lacks is listed and, when the person asks, created with the import.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot, setOpenPath, shownDuring } from '../lib/harness.mjs';
import { all, territoryNamed } from '../lib/office.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** How many contacts the office holds. */
const contactCount = async (page) => (await backend(page, 'list_contacts', { query: { limit: 1 } })).total;

test('a list of elders is mapped, checked, refused while a row is bad, then imported skipping it', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  const SAMPLE = app.file('Старосты.xlsx');
  await setOpenPath(page, SAMPLE);
  const before = new Set((await all(page, 'list_contacts')).map((c) => c.id));
  assert.equal(await byTest(page, 'nav-import').innerText(), 'Загрузка из Excel');
  await byTest(page, 'nav-import').click();
  await page.waitForURL(/#\/import$/);
  assert.ok(await byTest(page, 'import-kind-contacts').isChecked(), 'contacts are offered first');

  // (a) the file, through the open dialog
  await byTest(page, 'import-choose').click();
  await byTest(page, 'import-columns').waitFor();
  const [dialog] = await calls(page, 'plugin:dialog|open');
  assert.deepEqual(dialog.options.filters[0].extensions, ['xlsx', 'xls', 'ods', 'csv']);
  assert.deepEqual(await calls(page, 'import_open'), [{ path: SAMPLE, kind: 'contacts' }]);
  assert.match(await byTest(page, 'import-file').innerText(), /Старосты\.xlsx · Excel \(\.xlsx\)/);

  // (b) the sheet: the suggested one chosen, the hidden one marked, the header under the title
  const sheet = byTest(page, 'import-sheet');
  assert.equal(await sheet.inputValue(), 'Старосты');
  const options = await sheet.locator('option').allInnerTexts();
  assert.ok(options.some((o) => o.startsWith('Архив 2023 (скрытый)')), options.join(' | '));
  assert.match(await byTest(page, 'import-header').innerText(), /Заголовки — в строке 3, данные — со строки 4; строк с данными: 3/);

  // (c) the columns: guesses shown with first values; «Примечание» left out
  assert.match(await byTest(page, 'import-column-B').innerText(), /Телефон.*8 \(913\) 555-01-01/s);
  assert.equal(await byTest(page, 'import-field-C').inputValue(), 'territory');
  await byTest(page, 'import-field-D').selectOption({ label: 'не загружать' });
  assert.equal(await byTest(page, 'import-preview-field-D').innerText(), 'не загружать');
  assert.equal(await byTest(page, 'import-preview-field-A').innerText(), 'ФИО');
  // One name column only: a second is warned of before the backend refuses it.
  await byTest(page, 'import-field-C').selectOption('full_name');
  await byTest(page, 'import-repeated').waitFor();
  assert.match(await byTest(page, 'import-repeated').innerText(), /«ФИО» выбрано для нескольких столбцов/);
  assert.ok(await byTest(page, 'import-check').isDisabled());
  await byTest(page, 'import-field-C').selectOption('territory');
  assert.equal(await byTest(page, 'import-repeated').count(), 0);
  await byTest(page, 'import-default-role').selectOption('village_elder');
  await screenshot(page, '19-import-columns');

  // (d) the check: the bad row with its row, column and reason in Russian
  await byTest(page, 'import-check').click();
  await byTest(page, 'import-problems').waitFor();
  const [checked] = await calls(page, 'import_check');
  assert.deepEqual(
    checked.mapping.columns.map((c) => [c.column, c.field]),
    [['A', 'full_name'], ['B', 'phone'], ['C', 'territory'], ['D', null]],
  );
  assert.equal(checked.mapping.defaults.role, 'village_elder');
  assert.equal(await byTest(page, 'import-count-rows-read').innerText(), '3');
  assert.equal(await byTest(page, 'import-count-ready').innerText(), '2');
  assert.equal(await byTest(page, 'import-count-bad-rows').innerText(), '1');
  assert.equal(await byTest(page, 'import-count-skipped').innerText(), '1');
  assert.equal(await byTest(page, 'import-problem').count(), 1);
  assert.equal(await byTest(page, 'import-problem-row').innerText(), '5');
  assert.equal(await byTest(page, 'import-problem-column').innerText(), 'B «Телефон»');
  assert.equal(await byTest(page, 'import-problem-reason').innerText(), '«позвонить в сельсовет» не похоже на российский номер телефона');

  // The problems go to an .xlsx where the save dialog says.
  await byTest(page, 'import-save-problems').click();
  await byTest(page, 'import-problems-saved').waitFor();
  const [save] = await calls(page, 'plugin:dialog|save');
  assert.equal(save.options.defaultPath, 'Ошибки загрузки — Старосты.xlsx');
  assert.deepEqual(await calls(page, 'import_problems'), [{ path: join(app.documents, 'Ошибки загрузки — Старосты.xlsx') }]);
  assert.ok(existsSync(join(app.documents, 'Ошибки загрузки — Старосты.xlsx')), 'the problems are written where the dialog said');

  // (e) all or nothing: refused while a row is bad, unless it is skipped
  assert.ok(await byTest(page, 'import-commit').isDisabled());
  assert.match(await byTest(page, 'import-all-or-nothing').innerText(), /всё или ничего/);
  const refusal = await backend(page, 'import_commit', { skipBad: false }).then(
    () => null,
    (e) => e.message,
  );
  assert.match(refusal, /ничего не загружено/);
  assert.equal(await contactCount(page), before.size, 'nothing was written');
  assert.match(await page.locator('label', { has: byTest(page, 'import-skip-bad') }).innerText(), /Пропустить строки с ошибками \(1\)/);
  await byTest(page, 'import-skip-bad').check();
  await screenshot(page, '20-import-check');
  await shownDuring(page, 'progress', () => byTest(page, 'import-commit').click());
  await byTest(page, 'import-done').waitFor();
  assert.deepEqual((await calls(page, 'import_commit')).at(-1), { skipBad: true });
  assert.equal(await byTest(page, 'import-created').innerText(), '2');
  assert.equal(await byTest(page, 'import-done-bad').innerText(), '1');
  await screenshot(page, '21-import-done');

  // The new people are in the contacts list, as elders, without the column left out.
  await byTest(page, 'import-open-list').click();
  await page.waitForURL(/#\/contacts$/);
  for (const name of ['Григорьева Нина Павловна', 'Фомина Светлана Игоревна']) {
    await byTest(page, 'contacts-search').fill(name.split(' ')[0]);
    await page.locator('[data-testid="contact-row-name"]', { hasText: name }).waitFor();
  }
  const added = (await all(page, 'list_contacts')).filter((c) => !before.has(c.id));
  const records = await Promise.all(added.map((c) => backend(page, 'contact', { id: c.id })));
  assert.deepEqual(
    records.map((c) => [c.display_name, c.roles, c.notes]).sort(),
    [
      ['Григорьева Нина Павловна', ['village_elder'], ''],
      ['Фомина Светлана Игоревна', ['village_elder'], ''],
    ],
  );

  // Next time the mapping is the last one, and the same people are matched, not added again.
  await byTest(page, 'nav-import').click();
  await byTest(page, 'import-choose').click();
  await byTest(page, 'import-saved').waitFor();
  assert.equal(await byTest(page, 'import-field-D').inputValue(), '', '«Примечание» stays left out');
  await byTest(page, 'import-check').click();
  await byTest(page, 'import-matched').waitFor();
  assert.equal(await byTest(page, 'import-matched').innerText().then((s) => /\(2\)/.test(s)), true);
  assert.equal(await byTest(page, 'import-count-ready').innerText(), '0');
  await byTest(page, 'import-skip-bad').check();
  assert.ok(await byTest(page, 'import-commit').isDisabled(), 'nothing new to import');
  await byTest(page, 'import-nothing-ready').waitFor();
  await byTest(page, 'import-cancel').click();
  await byTest(page, 'import-choose').waitFor();
  assert.equal((await calls(page, 'import_close')).length, 1);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('files that are no tables are refused inline, in the language of the UI', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await page.goto(app.url('#/import'));
  await byTest(page, 'import-choose').waitFor();
  const contract = app.file('Договор.pdf');
  await setOpenPath(page, contract);
  await byTest(page, 'import-choose').click();
  await byTest(page, 'banner').waitFor();
  assert.match(await byTest(page, 'banner').innerText(), new RegExp(`«${escape(contract)}» не похож на таблицу`));
  assert.equal(await byTest(page, 'import-columns').count(), 0, 'the wizard stays on the first step');

  await byTest(page, 'lang-en').click();
  await byTest(page, 'import-kind-events').check();
  const empty = app.file('Пустой.csv');
  await setOpenPath(page, empty);
  await byTest(page, 'import-choose').click();
  await page.locator('[data-testid="banner"]', { hasText: 'is empty' }).waitFor();
  assert.deepEqual((await calls(page, 'import_open')).at(-1), { path: empty, kind: 'events' });

  // A cancelled dialog does nothing.
  await setOpenPath(page, null);
  const opened = (await calls(page, 'import_open')).length;
  await byTest(page, 'import-choose').click();
  await page.waitForFunction(() => window.__mestnoDesktop.calls.filter((c) => c.cmd === 'plugin:dialog|open').length === 3);
  assert.equal((await calls(page, 'import_open')).length, opened);

  // A Word document is a zip as an .xlsx is, with no workbook in it: no table either, not a
  // damaged file.
  const letter = app.file('Письмо.docx');
  await setOpenPath(page, letter);
  await byTest(page, 'import-choose').click();
  await page.locator('[data-testid="banner"]', { hasText: `«${letter}» does not look like a table` }).waitFor();
  assert.equal(await byTest(page, 'import-columns').count(), 0, 'the wizard stays on the first step');

  // A list of elders read as events lacks their dates: the check says so beside its button.
  await setOpenPath(page, app.file('Старосты.xlsx'));
  await byTest(page, 'import-choose').click();
  await byTest(page, 'import-default-event-kind').waitFor();
  assert.equal(await byTest(page, 'import-default-role').count(), 0, 'events take no role');
  await byTest(page, 'import-check').click();
  await page.locator('.import-foot [data-testid="banner"]', { hasText: 'no column for «date»' }).waitFor();
  assert.equal(await byTest(page, 'import-problems').count(), 0);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a namesake in another settlement is shown as a likely duplicate, and merged after the import', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  // Someone of the same name is already stored, in another village and with another phone.
  const first = (await backend(page, 'list_contacts', { query: { limit: 1 } })).items[0];
  const { id, stamp, display_name: _name, consents: _consents, ...input } = await backend(page, 'contact', { id: first.id });
  const elsewhere = (await territoryNamed(page, 'с. Урожайное')).id;
  const renamed = {
    ...input,
    last_name: 'Фомина',
    first_name: 'Светлана',
    middle_name: 'Игоревна',
    territory_id: elsewhere,
    phones: input.phones.length ? input.phones : ['+7 913 555 04 04'],
  };
  const stored = (await backend(page, 'save_contact', { id, rev: stamp.rev, input: renamed })).id;
  await setOpenPath(page, app.file('Старосты.xlsx'));
  await page.goto(app.url('#/import'));
  await byTest(page, 'import-choose').click();
  await byTest(page, 'import-check').click();
  await byTest(page, 'import-likely').waitFor();
  const [row] = await byTest(page, 'import-likely-table-row').allInnerTexts();
  assert.match(row, /^6\tФомина Светлана Игоревна\tФомина Светлана Игоревна\tто же имя, другой или неизвестный населённый пункт$/);
  await screenshot(page, '22-import-likely');
  await byTest(page, 'import-skip-bad').check();
  await byTest(page, 'import-commit').click();
  await byTest(page, 'import-to-merge').waitFor();
  const links = await byTest(page, 'import-to-merge').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const namesakes = (await all(page, 'list_contacts', { text: 'Фомина Светлана Игоревна' })).filter(
    (c) => c.display_name === 'Фомина Светлана Игоревна' && c.id !== stored,
  );
  assert.equal(namesakes.length, 1, 'the import added her once');
  const added = namesakes[0].id;
  assert.deepEqual(links, [`#/contacts/${added}`, `#/contacts/${stored}`]);
  // The same woman: the new record goes into the stored one, with its phone.
  const before = await contactCount(page);
  await byTest(page, 'import-merge').click();
  await byTest(page, 'import-merged').waitFor();
  const after = {
    n: await contactCount(page),
    gone: await backend(page, 'contact', { id: added }).then(() => false, (e) => e.code === 'not_found'),
    phones: (await backend(page, 'contact', { id: stored })).phones,
  };
  assert.equal(after.n, before - 1, 'one person, one record');
  assert.ok(after.gone);
  assert.ok(after.phones.length >= 2, `the imported phone joins the stored ones: ${after.phones}`);
  const merged = await byTest(page, 'import-to-merge').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(merged, [`#/contacts/${stored}`], 'no link to the merged-away record');
  await byTest(page, 'import-to-merge').locator('a').first().click();
  await page.waitForURL(new RegExp(`#/contacts/${stored}$`));
  await byTest(page, 'contact-heading').filter({ hasText: 'Фомина' }).waitFor();
  assert.equal(await byTest(page, 'contact-heading').innerText(), 'Фомина Светлана Игоревна');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('a list naming a village the office lacks shows it, creates it when asked, and imports', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  const territories = await backend(page, 'territories');
  const before = { t: territories.length };
  // Without a district column, a new village goes under the office's own region.
  const region = territories.find((t) => t.parent_id === null).name;
  await page.goto(app.url('#/import'));
  await byTest(page, 'import-choose').waitFor();
  await setOpenPath(page, app.file('Реестр старост.xlsx'));
  await byTest(page, 'import-choose').click();
  await byTest(page, 'import-check').click();

  // The check lists the village once, though the file writes it two ways, with where it would go.
  await byTest(page, 'import-new-territories').waitFor();
  assert.match(await byTest(page, 'import-new-territories').locator('h2').innerText(), /^Территорий нет в справочнике офиса \(1\)$/);
  assert.deepEqual(await byTest(page, 'import-new-territory').allInnerTexts(), [
    `д. Степановка\tнаселённый пункт\tвходит в ${region}\t2, начиная со строки 3`,
  ]);
  // Until the person says otherwise, its people are kept with the village in their address.
  assert.equal(await byTest(page, 'import-count-ready').innerText(), '3');
  assert.equal(await byTest(page, 'import-warning').count(), 2);
  assert.match(await byTest(page, 'import-warning-reason').first().innerText(), /«д\. Степановка» записан в адрес/);
  assert.equal(await byTest(page, 'import-will-create').count(), 0);
  assert.equal(await byTest(page, 'import-create-territories').isChecked(), false);

  // «Create them with the import»: the file is checked again with that choice.
  await byTest(page, 'import-create-territories').check();
  await byTest(page, 'import-will-create').waitFor();
  const checks = await calls(page, 'import_check');
  assert.deepEqual(
    checks.map((c) => c.mapping.create_territories),
    [false, true],
    'the second check is made to create the village',
  );
  assert.equal(await byTest(page, 'import-warnings').count(), 0, 'nobody is left without a settlement now');
  assert.ok(await byTest(page, 'import-create-territories').isChecked());
  assert.equal((await backend(page, 'territories')).length, before.t, 'a check writes nothing');
  await screenshot(page, '22b-import-new-territories');

  await byTest(page, 'import-commit').click();
  await byTest(page, 'import-done').waitFor();
  assert.equal(await byTest(page, 'import-done-territories').innerText(), '1', 'the done step says one territory was created');
  assert.equal(await byTest(page, 'import-created').innerText(), '3');
  const now = await backend(page, 'territories');
  const village = now.find((t) => t.name === 'д. Степановка');
  const stored = {
    territories: now.length,
    parent: now.find((t) => t.id === village?.parent_id)?.name,
    people: village ? (await all(page, 'list_contacts', { territory_id: village.id })).map((c) => c.display_name) : [],
  };
  assert.deepEqual(stored, {
    territories: before.t + 1,
    parent: region,
    people: ['Власова Мария Ивановна', 'Орлов Илья Сергеевич'],
  });
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
