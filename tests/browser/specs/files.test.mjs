// Files on a record and between offices: a file attached to a project is listed on its card
// with its size; «Обмен данными» shows it waiting for the partner whose territory the project
// lies in, and a package made with files carries it — the partner's card shows it received.
import assert from 'node:assert/strict';
import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot, setOpenPath } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('a file attached to a project reaches the partner office in a package made with files', async () => {
  const district = await openApp(env.browser, env.bridge, { office: 'small' });
  const village = await openApp(env.browser, env.bridge, { office: 'empty' });
  const { page } = district;

  await byTest(page, 'nav-initiatives').click();
  await byTest(page, 'initiatives-table-row').first().click();
  await page.waitForURL(/#\/initiatives\/[0-9a-f-]{36}/);
  const id = page.url().match(/#\/initiatives\/([0-9a-f-]{36})/)[1];
  await byTest(page, 'record-files-empty').waitFor();
  const scan = district.file('Договор.pdf');
  await setOpenPath(page, scan);
  await byTest(page, 'record-files-attach').click();
  await byTest(page, 'record-file').waitFor();
  assert.equal(await byTest(page, 'record-file-name').innerText(), 'Договор.pdf');
  const size = statSync(scan).size;
  const shown = (await byTest(page, 'record-file-size').innerText()).replace(/\u00a0/g, ' ');
  assert.equal(shown, `${size} Б`, 'a small file, its size in bytes');
  assert.equal(await byTest(page, 'record-files-empty').count(), 0);
  await screenshot(page, '40-record-files');

  // The offices pair: the village's office answers for the project's settlement.
  const project = await backend(page, 'initiative', { id });
  const villageCard = join(village.documents, 'село.mestno-pair');
  const districtCard = join(district.documents, 'район.mestno-pair');
  await backend(village.page, 'sync_write_card', { territory: null, path: villageCard });
  await backend(page, 'sync_write_card', { territory: null, path: districtCard });
  await backend(page, 'sync_pair', { path: villageCard, territory: project.territory_id });
  await backend(village.page, 'sync_pair', { path: districtCard, territory: null });

  // The partner's row says a file waits, and its size; a package made with it carries it.
  await byTest(page, 'nav-sync').click();
  const files = byTest(page, 'sync-partner-files');
  await files.waitFor();
  assert.equal((await files.innerText()).replace(/\u00a0/g, ' ').trim(), `и файлы: 1 (${size} Б)`);
  await byTest(page, 'sync-with-files').check();
  await byTest(page, 'sync-export').click();
  const banner = page.locator('[data-testid="sync-partners"] [data-testid="banner"]');
  await banner.waitFor();
  assert.match(await banner.innerText(), /Файлов в пакете: 1/);
  const [asked] = await calls(page, 'sync_export');
  assert.equal(asked.files, true);
  await screenshot(page, '41-exchange-with-files');

  const [written] = await calls(page, 'plugin:dialog|save');
  const packagePath = join(district.documents, written.options.defaultPath);
  const loaded = await backend(village.page, 'sync_load', { path: packagePath, dryRun: false });
  assert.equal(loaded.files, 1, JSON.stringify(loaded));
  const [there] = await backend(village.page, 'attachments', { id });
  assert.equal(there.file_name, 'Договор.pdf');
  assert.equal(there.size_bytes, size);
  assert.equal(there.held, true, 'its content came with it');

  // A file too large for any package (its content grown on disk past the limit, sparse): the
  // partner's row names it apart, with the limit, and a package made with files says it did
  // not go — it is not left behind silently.
  await setOpenPath(page, district.file('Письмо.docx'));
  await byTest(page, 'nav-initiatives').click();
  await byTest(page, 'initiatives-table-row').first().click();
  await byTest(page, 'record-files-attach').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="record-file"]').length === 2);
  const estimate = (await backend(page, 'attachments', { id })).find((a) => a.file_name === 'Письмо.docx');
  const { db_path: office } = await backend(page, 'app_info');
  const content = join(`${office}.files`, estimate.sha256.slice(0, 2), estimate.sha256);
  truncateSync(content, 600 * 1024 * 1024);
  await byTest(page, 'nav-sync').click();
  const tooLarge = byTest(page, 'sync-partner-too-large');
  await tooLarge.waitFor();
  assert.match(
    (await tooLarge.innerText()).replace(/\u00a0/g, ' '),
    /^Файлы больше 512,0 МБ пакетом обмена не отправляются: 1 \(600,0 МБ\)/,
  );
  await byTest(page, 'sync-with-files').check();
  await byTest(page, 'sync-export').click();
  await page.waitForFunction(() => /пакетом обмена не отправляются/.test(document.querySelector('[data-testid="sync-partners"] [data-testid="banner"]')?.textContent ?? ''));
  await screenshot(page, '42-exchange-file-too-large');

  assert.deepEqual(await district.problems(), []);
  assert.deepEqual(await village.problems(), []);
  await district.close();
  await village.close();
});
