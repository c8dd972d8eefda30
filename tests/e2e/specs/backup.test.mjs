// Backups in the real app: a new office warns that it has none; automatic copies go into a folder
// (as a USB stick's would be) at the next start; a copy with a password is saved where the save
// dialog says; the office changes (a settlement added, the office renamed); a file in the folder
// named as a copy but no backup is refused, the office as it was; the copy is restored from the
// file the open dialog picks (its password asked for, a wrong one refused), and the change is gone.
//
// The save and open dialogs are answered through lib/dialogs.mjs (a stand-in of the desktop's
// file chooser portal; the app runs with GTK_USE_PORTAL=1). The backup folder is typed into its
// field, as a stick's path can be.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { openApp } from '../lib/app.mjs';
import { DIALOGS_ENV, startDialogs } from '../lib/dialogs.mjs';
import { steps } from '../lib/steps.mjs';

const OFFICE = 'Проектный офис Резервного района';
const RENAMED = 'Переименованный офис';
const DISTRICT = 'Резервный район';
const SETTLEMENT = 'Потерянный сельсовет';
const PASSWORD = 'пароль копии для другого компьютера';

describe('backups from the window: made at start into a folder, then restored (the real app)', () => {
  const office = { app: null, dir: null, db: null, folder: null, saved: null };
  const step = steps(() => office.app, 'backup-');
  let dialogs = null;

  before(async () => {
    office.dir = mkdtempSync(join(tmpdir(), 'mestno-e2e-backup-'));
    office.db = join(office.dir, 'office.sqlite');
    office.folder = join(office.dir, 'флешка');
    mkdirSync(office.folder);
    mkdirSync(join(office.dir, 'Документы'));
    dialogs = await startDialogs();
    office.app = await openApp(office.db, DIALOGS_ENV);
  });
  after(async () => {
    const errors = office.app ? await office.app.pageErrors().catch(() => []) : [];
    await office.app?.close();
    await dialogs?.close();
    if (office.dir) rmSync(office.dir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'the page reported no errors');
  });

  /** Clicks `button` with the next dialog answered by `path`; the dialog, once asked. */
  async function withDialog(app, button, path) {
    const asked = dialogs.requests.length;
    await dialogs.answer(path);
    await app.click(button);
    await app.waitFor(() => dialogs.requests.length > asked, `the dialog of ${button}`);
    return dialogs.requests.at(-1);
  }

  const treeHas = (app, name) =>
    app.js((n) => [...document.querySelectorAll('[data-testid="territory-item"]')].some((i) => i.textContent.trim() === n), name);
  const copies = () => readdirSync(office.folder).filter((f) => /^mestno-backup-.*\.sqlite$/.test(f));

  step('a new office with records and no backup: the window warns', async ({ app, shot }) => {
    await app.el('setup-form');
    await app.fill('setup-office-name', OFFICE);
    await app.fill('setup-territory-name', DISTRICT);
    await app.click('setup-submit');
    await app.el('dashboard');
    await app.waitFor(async () => (await app.text('backup-notice')).includes('ещё нет резервной копии'), 'the warning of no backup');
    await shot('no-backup-warning');
  });

  step('the backups tab: automatic copies into a folder, three kept', async ({ app, shot }) => {
    await app.click('backup-notice-open');
    await app.el('backups');
    assert.match(await app.text('backup-last'), /Резервная копия ещё не делалась/);
    await app.fill('backup-folder', office.folder);
    await app.click('backup-auto-on');
    await app.fill('backup-keep', '3');
    await app.click('backup-settings-save');
    await app.waitFor(async () => (await app.text('backup-auto')).includes('В папке пока нет копий'), 'the settings saved, the folder empty');
    assert.deepEqual(copies(), [], 'saving the settings makes no copy: the next start does');
    await shot('settings');
  });

  step('the app is closed and started again', async ({ app }) => {
    await app.close();
    office.app = await openApp(office.db, DIALOGS_ENV);
  });

  step('the first start of the day made a copy in the background', async ({ app, shot }) => {
    await app.el('dashboard');
    await app.js(() => (location.hash = '#/settings/backups'));
    await app.waitFor(async () => (await app.all('backup-copy')).length === 1, 'the automatic copy in the folder’s list');
    assert.equal(copies().length, 1, 'one copy on the «stick»');
    assert.equal(readdirSync(office.folder).filter((f) => f.endsWith('.sqlite.key.json')).length, 1, 'with its key file');
    assert.match(await app.text('backup-last'), /Последняя копия/);
    assert.equal(await app.visible('backup-overdue'), false, 'no warning once a copy is made');
    await shot('copy-made-at-start');
  });

  step('a copy with a password, saved where the save dialog says', async ({ app, shot }) => {
    await app.fill('backup-passphrase', PASSWORD);
    const dialog = await withDialog(app, 'backup-save', join(office.dir, 'Документы'));
    assert.equal(dialog.method, 'SaveFile');
    assert.match(dialog.current_name, /^Местно резервная копия \d{4}-\d{2}-\d{2}\.sqlite$/, 'the name proposed');
    office.saved = join(office.dir, 'Документы', dialog.current_name);
    await app.waitFor(async () => (await app.text('backup-now')).includes('Копия сохранена'), 'the copy saved');
    assert.match(await app.text('backup-last'), /Документы/, 'the last copy is this one');
    const keyFile = JSON.parse(readFileSync(`${office.saved}.key.json`, 'utf8'));
    assert.equal(keyFile.source, 'passphrase', 'its key comes from the password, for another computer');
    assert.equal(await app.js(() => document.querySelector('[data-testid="backup-passphrase"]').value), '', 'the password is not kept in the form');
    await shot('saved-with-password');
  });

  step('the office changes: a settlement added and the office renamed', async ({ app, shot }) => {
    await app.click('tab-territories');
    await app.el('territory-tree');
    const district = await app.waitFor(async () => {
      for (const i of await app.all('territory-item')) if ((await i.getText()).trim() === DISTRICT) return i;
      return null;
    }, `the tree to show «${DISTRICT}»`);
    // Selected first, so the new territory goes under it.
    await app.click(district);
    await app.el('territory-form');
    await app.click('territory-new');
    await app.waitFor(async () => (await app.text('territory-form')).startsWith('Новая территория'), 'an empty territory form');
    await app.fill('territory-name', SETTLEMENT);
    await app.choose('territory-kind', 'сельское поселение');
    await app.click('territory-save');
    await app.waitFor(() => treeHas(app, SETTLEMENT), `the tree to show «${SETTLEMENT}»`);
    await app.click('tab-office');
    await app.fill('profile-name', RENAMED);
    await app.click('profile-save');
    await app.waitFor(async () => (await app.text('office-name')) === RENAMED, 'the new name in the window');
    await shot('changed');
  });

  step('a file named as a copy but no backup is refused, the office as it was', async ({ app, shot }) => {
    writeFileSync(join(office.folder, 'mestno-backup-2020-01-01.sqlite'), 'это не резервная копия'.repeat(100));
    await app.click('tab-backups');
    await app.waitFor(async () => (await app.all('backup-copy')).length === 2, 'the false copy listed too');
    const rows = await app.all('backup-copy-restore');
    await app.click(rows[1]);
    await app.el('restore-dialog');
    assert.match(await app.text('restore-path'), /mestno-backup-2020-01-01\.sqlite$/);
    await app.click('restore-confirm');
    await app.waitFor(async () => (await app.text('restore-dialog')).includes('Офис остался как был'), 'the refusal');
    await shot('bad-copy-refused');
    await app.click('restore-cancel');
    await app.gone('restore-dialog');
    assert.equal(await app.text('office-name'), RENAMED, 'the office is open and unchanged');
    rmSync(join(office.folder, 'mestno-backup-2020-01-01.sqlite'));
  });

  step('the saved copy is restored from the open dialog: its password asked for, a wrong one refused', async ({ app, shot }) => {
    const dialog = await withDialog(app, 'backup-restore-file', office.saved);
    assert.equal(dialog.method, 'OpenFile');
    await app.el('restore-dialog');
    assert.equal(await app.text('restore-path'), office.saved);
    await app.click('restore-confirm');
    await app.waitFor(async () => (await app.text('restore-dialog')).includes('введите пароль копии'), 'the password asked for');
    await app.fill('restore-passphrase', 'не тот пароль');
    await app.click('restore-confirm');
    await app.waitFor(async () => (await app.text('restore-dialog')).includes('Офис остался как был'), 'the wrong password refused');
    assert.equal(await app.text('office-name'), RENAMED, 'the office is open and unchanged');
    await shot('wrong-password');
    await app.fill('restore-passphrase', PASSWORD);
    await app.click('restore-confirm');
    await app.waitFor(async () => (await app.text('backups')).includes('Офис восстановлен из копии'), 'the restored note after the reload');
    await app.watchErrors();
    assert.equal(await app.text('office-name'), OFFICE, 'the name the copy holds');
    assert.match(await app.text('backups'), /office\.sqlite\.before-restore/, 'where the replaced database was kept');
    assert.equal(await app.js(() => document.querySelector('[data-testid="backup-auto-on"]').checked), true, 'the automatic copies stay on');
    await shot('restored');
  });

  step('the change made after the copy is gone', async ({ app }) => {
    await app.click('tab-territories');
    await app.el('territory-tree');
    await app.waitFor(() => treeHas(app, DISTRICT), `the tree to show «${DISTRICT}»`);
    assert.equal(await treeHas(app, SETTLEMENT), false, 'the settlement added after the copy is gone');
  });
});
