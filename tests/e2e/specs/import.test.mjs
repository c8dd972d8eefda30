// The real app started with a registry on its command line (`mestno-app реестр.csv`, what
// «Открыть в Mestno» in a file manager runs), on a computer with no office yet: once the office
// is set up, the import wizard opens the file by itself; the check lists the village the office
// lacks, creates it when asked, and the project shows in the initiatives list. The open dialog,
// which WebKitWebDriver cannot answer, is never needed. Screenshots: screenshots/import-NN-*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { openApp } from '../lib/app.mjs';
import { steps } from '../lib/steps.mjs';

const OFFICE = 'Манский проектный офис';
const DISTRICT = 'Манский район';
const VILLAGE = 'с. Новосёлово';
const PROJECT = 'Ремонт водопровода на ул. Центральной';
const FILE = 'Реестр ППМИ 2025.csv';
/** The registry as the office keeps it: UTF-8, «;» between columns, money with spaces. */
const REGISTRY = [
  'Наименование проекта;Населённый пункт;Год;Общая стоимость проекта, руб.;Число присутствовавших на собрании',
  `${PROJECT};${VILLAGE};2025;1 250 000,00;64`,
].join('\n');

describe('a registry given on the command line opens in the import wizard (the real app)', () => {
  let app;
  let dir;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mestno-e2e-import-'));
    const registry = join(dir, FILE);
    writeFileSync(registry, `${REGISTRY}\n`);
    app = await openApp(join(dir, 'office.sqlite'), {}, [registry]);
  });

  after(async () => {
    const errors = app ? await app.pageErrors().catch(() => []) : [];
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'the page reported no errors');
  });

  const step = steps(() => app, 'import-');

  step('on a first start the file waits until the office is set up', async ({ app, shot }) => {
    await app.el('first-start');
    assert.equal(await app.visible('import'), false, 'no wizard before there is an office');
    await app.fill('setup-office-name', OFFICE);
    await app.fill('setup-territory-name', DISTRICT);
    await app.choose('setup-territory-kind', 'муниципальный район');
    await app.fill('setup-population', '30000');
    await shot('first-start');
    await app.click('setup-submit');
  });

  step('the wizard opens the file as a registry of projects', async ({ app, shot }) => {
    await app.waitHash(/^#\/import$/, 'the import wizard');
    await app.el('import-columns', 'the columns of the file');
    const file = await app.text('import-file');
    for (const part of [FILE, 'CSV', 'Проекты']) assert.ok(file.includes(part), `the wizard names «${part}»: ${file}`);
    const [village] = await app.contents('import-column-B');
    assert.ok(village.includes('Населённый пункт') && village.includes(VILLAGE), `the column of settlements with its first value: ${village}`);
    assert.equal(await app.visible('import-choose'), false, 'no open dialog was needed');
    await shot('columns');
  });

  step('the check lists the village the office lacks', async ({ app, shot }) => {
    await app.click('import-check');
    await app.el('import-new-territories', 'the territories the office lacks');
    assert.deepEqual(await app.contents('import-new-territory-name'), [VILLAGE]);
    assert.deepEqual(await app.contents('import-new-territory-parent'), [`входит в ${DISTRICT}`], 'it would go into the office’s district');
    assert.equal(await app.text('import-count-ready'), '0', 'its row waits for the territory');
    assert.equal(await app.text('import-count-bad-rows'), '1');
    assert.equal(await app.visible('import-will-create'), false, 'nothing is created unless asked');
    await shot('check-new-territory');
  });

  step('asked to, the import will create it', async ({ app, shot }) => {
    await app.click('import-create-territories');
    await app.el('import-will-create', 'the note that the territory will be created');
    await app.waitFor(async () => (await app.text('import-count-ready')) === '1', 'the row to be ready');
    assert.equal(await app.text('import-count-bad-rows'), '0');
    assert.deepEqual(await app.contents('import-new-territory-name'), [VILLAGE], 'still listed, now to be created');
    await shot('check-create');
  });

  step('the import says what it made', async ({ app, shot }) => {
    await app.click('import-commit');
    await app.el('import-done', 'the import’s summary');
    assert.equal(await app.text('import-created'), '1', 'one project');
    assert.equal(await app.text('import-done-territories'), '1', 'one territory created');
    assert.equal(await app.text('import-done-meetings'), '1', 'the residents’ meeting that chose it');
    await shot('done');
  });

  step('the initiatives list shows the project in the new village', async ({ app, shot }) => {
    await app.click('import-open-list');
    await app.el('initiatives-table-row');
    assert.deepEqual(await app.contents('initiative-row-title'), [PROJECT]);
    const [row] = await app.contents('initiatives-table-row');
    for (const part of [VILLAGE, '1 250 000,00 ₽']) assert.ok(row.includes(part), `the row shows «${part}»: ${row}`);
    await shot('initiatives-list');
  });
});
