// Settings → «Сервер» against a real PostgreSQL (scripts/with-pg.sh starts one for the run; the
// administrator's steps are the `mestno server` command's): the window loads its invitation and
// syncs — its office reaches the server, a second office (another computer, through the
// `mestno` command) receives it and adds a person, and the window's next sync brings her in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { backend, byTest, openApp, screenshot, setOpenPath } from '../lib/harness.mjs';
import { contactsMatching } from '../lib/office.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const MESTNO = process.env.MESTNO_CLI_BIN ?? resolve(process.env.CARGO_TARGET_DIR ?? resolve(root, 'target'), 'debug/mestno');
const server = process.env.MESTNO_PG_URL;
const skip = server || process.env.MESTNO_PG_REQUIRED === '1' ? false : 'no PostgreSQL (MESTNO_PG_URL): run under scripts/with-pg.sh';

/** `mestno args…` as the administrator or the second computer runs it; what it printed. */
function mestno(args, { db, input } = {}) {
  const vars = { ...process.env, MESTNO_SERVER_URL: server, MESTNO_USER: 'Сидоров И. Н.', MESTNO_TEST_PASSWORD: 'пароль второго компьютера' };
  const dbArgs = db ? ['--db', db, '--passphrase-env', 'MESTNO_TEST_PASSWORD'] : [];
  return execFileSync(MESTNO, [...dbArgs, ...args], { env: vars, input, encoding: 'utf8' });
}

test('the window syncs with a real server: its office goes out, another office’s person comes in', { skip }, async () => {
  assert.ok(server, 'MESTNO_PG_REQUIRED=1 but MESTNO_PG_URL is not set: run under scripts/with-pg.sh');
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  const district = (await backend(page, 'territories')).find((t) => t.parent_id === null);
  const before = await backend(page, 'stats', { filter: {} });

  // The administrator: a fresh database made a Mestno server, an invitation for this office and
  // one for a second computer of the same district.
  const db = `mestno_ui_${Date.now()}`;
  execFileSync(process.env.MESTNO_PG_PSQL, [server, '-qc', `CREATE DATABASE ${db}`]);
  const admin = server.replace('/postgres?', `/${db}?`);
  const adminRun = (args) => execFileSync(MESTNO, args, { env: { ...process.env, MESTNO_SERVER_URL: admin }, encoding: 'utf8' });
  adminRun(['server', 'init', '--ca', process.env.MESTNO_PG_CA, '--host', 'localhost']);
  const invitation = join(app.documents, 'район.mestno-server');
  const second = join(app.documents, 'второй.mestno-server');
  adminRun(['server', 'add-office', '--territory', district.id, '--name', 'Проектный офис района', '-o', invitation]);
  adminRun(['server', 'add-office', '--territory', district.id, '--name', 'Второй компьютер', '-o', second]);

  // The window loads its invitation and syncs: everything it holds goes to the server.
  await byTest(page, 'nav-settings').click();
  await byTest(page, 'tab-server').click();
  await setOpenPath(page, invitation);
  await byTest(page, 'server-join').click();
  await byTest(page, 'server-address').waitFor();
  await byTest(page, 'server-sync-now').click();
  const banner = page.locator('[data-testid="server-settings"] [data-testid="banner"]');
  await banner.filter({ hasText: 'Готово' }).waitFor({ timeout: 60_000 });
  const sent = Number(/отправлено изменений — (\d+)/.exec(await banner.innerText())[1]);
  assert.equal((await backend(page, "server_status")).last.report.not_pushed, 0, JSON.stringify((await backend(page, "server_status")).last.report));
  assert.ok(sent > 500, `the small demo.s changes went out: ${sent}`);
  assert.match(await byTest(page, 'server-last').innerText(), /^успешно, /);
  assert.match(await byTest(page, 'server-line').innerText(), /^Сервер: синхронизировано /);
  assert.doesNotMatch(await byTest(page, 'server-line').getAttribute('class'), /failed/);
  const status = await backend(page, 'server_status');
  assert.equal(status.last.error, null);
  assert.equal(status.last.report.pushed, sent);
  await screenshot(page, '34-server-synced');

  // The second computer receives the district whole, and adds a person of its own.
  const otherDb = join(app.documents, 'второй.sqlite');
  mestno(['init'], { db: otherDb });
  mestno(['sync', 'join', second], { db: otherDb });
  mestno(['sync', 'server'], { db: otherDb });
  const theirs = JSON.parse(mestno(['stats', '--json'], { db: otherDb }));
  assert.equal(theirs.initiatives, before.initiatives);
  assert.equal(theirs.funds_total_kopecks, before.funds_total_kopecks, 'to the kopeck');
  const person = { kind: 'person', last_name: 'Курочкина', first_name: 'Зоя', middle_name: 'Петровна', territory_id: district.id, phones: ['+7 913 444-55-66'] };
  mestno(['add', 'contact'], { db: otherDb, input: JSON.stringify(person) });
  mestno(['sync', 'server'], { db: otherDb });

  // The window's next sync brings her in; nothing else changed.
  await byTest(page, 'server-sync-now').click();
  await byTest(page, 'server-sync-now').filter({ hasText: 'Синхронизация…' }).waitFor({ state: 'detached', timeout: 30_000 });
  await page.locator('[data-testid="server-sync-now"]:not([disabled])').waitFor();
  await banner.filter({ hasText: 'Готово' }).waitFor();
  const received = Number(/получено — (\d+)/.exec(await banner.innerText())[1]);
  assert.ok(received >= 1, await banner.innerText());
  const again = await backend(page, 'server_status');
  assert.ok(again.last.at >= status.last.at && again.last.report.pushed === 0, JSON.stringify(again.last));
  const found = await contactsMatching(page, 'Курочкина');
  assert.equal(found.length, 1);
  assert.equal(found[0].display_name, 'Курочкина Зоя Петровна');
  assert.deepEqual(found[0].phones, ['+79134445566'], 'stored normalised, as every office stores it');
  const history = await backend(page, 'history', { id: found[0].id });
  assert.equal(history[0].actor, 'Сидоров И. Н.', 'the history names who added her, on the other computer');
  const after = await backend(page, 'stats', { filter: {} });
  assert.equal(after.initiatives, before.initiatives);
  assert.equal(after.funds_total_kopecks, before.funds_total_kopecks);
  await byTest(page, 'nav-contacts').click();
  await byTest(page, 'contacts-search').fill('Курочкиной');
  await byTest(page, 'contacts-table-row').filter({ hasText: 'Курочкина Зоя Петровна' }).waitFor();
  assert.equal(await byTest(page, 'contacts-table-row').count(), 1);
  await screenshot(page, '35-server-contact-arrived');
  assert.deepEqual(await app.problems(), []);
  assert.ok(existsSync(invitation), 'the invitation stays where the administrator put it');
  await app.close();
});
