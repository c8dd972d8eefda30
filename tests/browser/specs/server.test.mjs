// Settings → «Сервер»: a file that is no invitation is refused; an invitation is loaded; a sync
// while the server cannot be reached says so in the settings and in the side bar, and the office
// goes on as it was; the automatic sync's interval is kept; leaving forgets the server.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot, setOpenPath } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

/** A port of 127.0.0.1 nobody listens on: taken from the system, then let go. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A CA certificate (PEM) made here, as an administrator's invitation carries one. */
function caCertificate(dir) {
  const [key, cert] = [join(dir, 'ca.key'), join(dir, 'ca.crt')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Test CA', '-keyout', key, '-out', cert], {
    stdio: 'ignore',
  });
  return readFileSync(cert, 'utf8');
}

test('an invitation is loaded; a sync with the server out of reach says so and changes nothing', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  const before = await backend(page, 'stats', { filter: {} });
  await byTest(page, 'nav-settings').click();
  await byTest(page, 'tab-server').click();
  await byTest(page, 'server-settings').waitFor();
  assert.equal(await byTest(page, 'server-line').count(), 0, 'no server, no line in the side bar');
  const banner = page.locator('[data-testid="server-settings"] [data-testid="banner"]');

  // A file that is no invitation: refused with the core's message; nothing joined.
  const junk = join(app.documents, 'приглашение.mestno-server');
  writeFileSync(junk, '{"format": "что-то другое"}');
  await setOpenPath(page, junk);
  await byTest(page, 'server-join').click();
  await banner.waitFor();
  assert.match(await banner.innerText(), /не приглашение сервера Mestno/);
  assert.equal((await backend(page, 'server_status')).server, null);
  assert.equal(await byTest(page, 'server-address').count(), 0);

  // The administrator's invitation, to a server that is not running.
  const port = await closedPort();
  const invitation = join(app.documents, 'берёзовка.mestno-server');
  writeFileSync(
    invitation,
    JSON.stringify({
      format: 'mestno-server-invitation',
      version: 1,
      server_id: randomUUID(),
      host: '127.0.0.1',
      port,
      database: 'mestno',
      login: 'mestno_1a2b3c',
      password: 'пароль-офиса',
      ca_pem: caCertificate(app.documents),
      territory: randomUUID(),
      office: 'Администрация с. Берёзовка',
    }),
  );
  await setOpenPath(page, invitation);
  await byTest(page, 'server-join').click();
  await byTest(page, 'server-address').waitFor();
  assert.equal(await byTest(page, 'server-address').innerText(), `127.0.0.1:${port}`);
  assert.match(await banner.innerText(), /Приглашение загружено/);
  assert.match(await byTest(page, 'server-last').innerText(), /ещё не было/);
  assert.deepEqual(await calls(page, 'server_join'), [{ path: junk }, { path: invitation }]);
  assert.match(await byTest(page, 'server-line').innerText(), /ещё не синхронизировано/);

  // Sync now: the server is out of reach. The settings and the side bar say so; work goes on.
  await byTest(page, 'server-sync-now').click();
  await page.locator('[data-testid="server-last"]', { hasText: 'не удалась' }).waitFor();
  assert.match(await byTest(page, 'server-last').innerText(), /Сервер недоступен — проверьте сеть и адрес сервера/);
  assert.match(await banner.innerText(), /Сервер недоступен/);
  const line = byTest(page, 'server-line');
  assert.match(await line.innerText(), /Сервер недоступен \(.+\) — работа без сервера/);
  assert.match(await line.getAttribute('class'), /failed/);
  assert.match(await line.getAttribute('title'), /Работа продолжается без сервера/);
  const status = await backend(page, 'server_status');
  assert.equal(status.last.report, null);
  assert.match(status.last.error.en, /^The server cannot be reached/);
  assert.deepEqual(await backend(page, 'stats', { filter: {} }), before, 'the office holds what it held');
  await screenshot(page, '33-server-unreachable');

  // Every 15 minutes: kept by the office, shown again after a reload.
  await byTest(page, 'server-auto').selectOption('15');
  await page.waitForFunction(() => window.__mestnoDesktop.calls.some((c) => c.cmd === 'server_save_auto'));
  await page.locator('[data-testid="server-auto"]:not([disabled])').waitFor();
  assert.deepEqual(await calls(page, 'server_save_auto'), [{ minutes: 15 }]);
  assert.equal((await backend(page, 'server_status')).auto_minutes, 15);
  await page.reload();
  await byTest(page, 'server-auto').waitFor();
  assert.equal(await byTest(page, 'server-auto').inputValue(), '15');
  assert.equal((await backend(page, 'server_status')).auto_minutes, 15);

  // Leaving forgets the server; what the office holds stays.
  await byTest(page, 'server-leave').click();
  await byTest(page, 'server-address').waitFor({ state: 'detached' });
  assert.equal(await byTest(page, 'server-line').count(), 0);
  assert.equal((await backend(page, 'server_status')).server, null);
  assert.deepEqual(await backend(page, 'stats', { filter: {} }), before);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
