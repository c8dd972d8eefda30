// «Обмен данными»: the office saves its card where the save dialog says and shows the card's code
// to read over the phone; a file that is no exchange package is refused, and nothing changes.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot, setOpenPath } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('the office card is saved and its code shown; a file that is no package is refused', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-sync').click();
  await byTest(page, 'sync-no-card').waitFor();
  await byTest(page, 'sync-no-partners').waitFor();
  await byTest(page, 'sync-no-conflicts').waitFor();

  const choose = byTest(page, 'sync-card-territory');
  if (await choose.count()) {
    // Several top territories: the card waits for the one the office answers for.
    assert.equal(await byTest(page, 'sync-card-save').isDisabled(), true);
    await choose.selectOption({ index: 1 });
  }
  await byTest(page, 'sync-card-save').click();
  const code = await byTest(page, 'sync-code').innerText();
  assert.match(code, /^\d{4}-\d{4}-\d{4}-\d{4}$/, 'a code to read over the phone');
  const [save] = await calls(page, 'plugin:dialog|save');
  const office = (await backend(page, 'app_info')).office_name;
  // An office without a name is told that partners will list it so, and where to name it.
  assert.equal(await byTest(page, 'sync-card-unnamed').count(), office ? 0 : 1, `office name: ${office}`);
  assert.equal(save.options.defaultPath, `Mestno-${office}.mestno-pair`);
  assert.deepEqual(save.options.filters[0].extensions, ['mestno-pair']);
  const [written] = await calls(page, 'sync_write_card');
  assert.equal(written.path, join(app.documents, `Mestno-${office}.mestno-pair`));
  assert.ok(existsSync(written.path), 'the card is written where the dialog said');
  assert.match(await byTest(page, 'sync-card').innerText(), new RegExp(`Код карточки: ${code}`));
  assert.equal((await backend(page, 'sync_status')).code, code, 'the code shown is the office’s');
  await screenshot(page, '26-exchange-card');

  // A file named as a package that is none: refused with the core's message, nothing loaded.
  const junk = join(app.documents, 'пакет.mestno-sync');
  writeFileSync(junk, 'это не пакет обмена');
  await setOpenPath(page, junk);
  await byTest(page, 'sync-load-choose').click();
  const refusal = page.locator('[data-testid="sync-load"] [data-testid="banner"]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /не пакет обмена Mestno/);
  assert.deepEqual(await calls(page, 'sync_load'), [{ path: junk, dryRun: true }], 'only a preview was asked');
  assert.equal(await byTest(page, 'sync-preview').count(), 0);
  assert.equal(await byTest(page, 'nav-sync-conflicts').count(), 0, 'no open conflicts, no count');
  await screenshot(page, '27-exchange-refused');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
