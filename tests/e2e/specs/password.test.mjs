// The real app on a computer whose password store cannot be reached: it says so, and offers a
// database password instead of ever writing an unencrypted file. The password is set, the office
// started; the next start asks for it, refuses a wrong one, and opens with the right one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { openApp } from '../lib/app.mjs';
import { steps } from '../lib/steps.mjs';

/** No Secret Service answers here, whatever the test session runs. */
const NO_KEYSTORE = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/mestno-e2e-bus' };
const PASSWORD = 'Берёзовый сок 2025';
const OFFICE = 'Проектный офис без связки ключей';
const DISTRICT = 'Ключевской район';

/**
 * A new office in a folder of its own and the app on it (`env` over the test session's), for one
 * suite: when the suite ends the app is closed, the folder removed, and the page must have
 * reported no errors. `reopen(env)` closes the app and starts it again on the same office; the
 * steps after it drive the new window.
 */
function officeInFolder(prefix, env) {
  const office = {
    app: null,
    dir: null,
    db: null,
    async reopen(next) {
      await office.app.close();
      office.app = await openApp(office.db, next);
    },
  };
  before(async () => {
    office.dir = mkdtempSync(join(tmpdir(), prefix));
    office.db = join(office.dir, 'office.sqlite');
    office.app = await openApp(office.db, env);
  });
  after(async () => {
    const errors = office.app ? await office.app.pageErrors().catch(() => []) : [];
    await office.app?.close();
    if (office.dir) rmSync(office.dir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'the page reported no errors');
  });
  return office;
}

describe('a database password where the system has no password store (the real app)', () => {
  const office = officeInFolder('mestno-e2e-password-', NO_KEYSTORE);
  const step = steps(() => office.app, 'password-');

  step('the window says the password store is unavailable and asks for a new password', async ({ app, shot }) => {
    await app.el('unlock-form');
    const reason = await app.text('unlock-reason');
    assert.match(reason, /хранилище паролей системы недоступно/, reason);
    await app.el('unlock-repeat', 'the field to repeat the new password');
    assert.equal(existsSync(office.db) && readFileSync(office.db).length > 0, false, 'nothing is written before the password is set');
    await shot('set-password');
  });

  step('passwords that differ, then a short one, are refused', async ({ app, shot }) => {
    await app.fill('unlock-passphrase', PASSWORD);
    await app.fill('unlock-repeat', `${PASSWORD}!`);
    await app.click('unlock-submit');
    await app.waitFor(async () => (await app.text('unlock-form')).includes('пароли не совпадают'), 'the mismatch to be shown');
    await app.fill('unlock-passphrase', 'корот');
    await app.fill('unlock-repeat', 'корот');
    await app.click('unlock-submit');
    await app.waitFor(async () => (await app.text('unlock-form')).includes('не менее 8 знаков'), 'the core to refuse a short password');
    await shot('short-password');
  });

  step('the password is set: the office starts, and its file is encrypted', async ({ app, shot }) => {
    await app.fill('unlock-passphrase', PASSWORD);
    await app.fill('unlock-repeat', PASSWORD);
    await app.click('unlock-submit');
    await app.el('setup-form');
    await app.fill('setup-office-name', OFFICE);
    await app.fill('setup-territory-name', DISTRICT);
    await app.click('setup-submit');
    await app.el('dashboard');
    assert.equal(await app.text('office-name'), OFFICE);
    const file = readFileSync(office.db);
    assert.notEqual(file.subarray(0, 15).toString('latin1'), 'SQLite format 3', 'the file is not a plain SQLite database');
    assert.equal(file.includes(Buffer.from(DISTRICT)), false, 'the territory’s name is not readable in the file');
    const keyFile = JSON.parse(readFileSync(`${office.db}.key.json`, 'utf8'));
    assert.equal(keyFile.source, 'passphrase', 'the key file says the key comes from a password');
    assert.equal(JSON.stringify(keyFile).includes(PASSWORD), false, 'the key file does not hold the password');
    await shot('office-started');
  });

  step('the app is closed and started again', () => office.reopen(NO_KEYSTORE));

  step('the next start asks for the password and refuses a wrong one', async ({ app, shot }) => {
    await app.el('unlock-form');
    assert.equal(await app.visible('unlock-repeat'), false, 'an existing password is entered once');
    await app.fill('unlock-passphrase', 'не тот пароль');
    await app.click('unlock-submit');
    await app.waitFor(async () => (await app.text('unlock-form')).includes('неверный ключ или пароль'), 'the wrong password to be refused');
    await shot('wrong-password');
  });

  step('the right password opens the office as it was', async ({ app, shot }) => {
    await app.fill('unlock-passphrase', PASSWORD);
    await app.click('unlock-submit');
    await app.el('dashboard');
    assert.equal(await app.text('office-name'), OFFICE);
    await shot('reopened');
  });
});

describe('an office whose key is in the password store, started while the store is unreachable (the real app)', () => {
  // The test session's Secret Service keeps the new office's key.
  const office = officeInFolder('mestno-e2e-keystore-');
  const step = steps(() => office.app, 'keystore-');

  step('the office starts with its key in the password store', async ({ app }) => {
    await app.el('setup-form');
    await app.fill('setup-office-name', OFFICE);
    await app.fill('setup-territory-name', DISTRICT);
    await app.click('setup-submit');
    await app.el('dashboard');
    assert.equal(JSON.parse(readFileSync(`${office.db}.key.json`, 'utf8')).source, 'keyring', 'the key is in the store');
  });

  step('the app is closed and started where the password store cannot be reached', () => office.reopen(NO_KEYSTORE));

  step('without the store the window says so, asks for no password, and tries again on request', async ({ app, shot }) => {
    await app.el('unlock-form');
    assert.match(await app.text('unlock-reason'), /разблокируйте хранилище/i);
    assert.equal(await app.visible('unlock-passphrase'), false, 'no password can open it, and none is asked for');
    await shot('store-unavailable');
    await app.click('unlock-retry');
    await app.waitFor(async () => (await app.text('unlock-form')).includes('Хранилище паролей всё ещё недоступно'), 'the retry to say the store is still unavailable');
    assert.equal(await app.visible('dashboard'), false);
    await shot('still-unavailable');
  });
});
