// Serves the mock build of the UI under the app's strict CSP and drives it in Debian's
// Chromium through playwright-core. No browser is ever downloaded.
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('.', import.meta.url));
export const DIST = resolve(here, '../../../ui/dist-mock');
export const SHOTS = resolve(here, '../screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The CSP the app runs under: tauri.conf.json's own, so the tests see what the window enforces. */
export const CSP = (() => {
  const conf = resolve(here, '../../../tauri.conf.json');
  const fallback = "default-src 'self'";
  if (!existsSync(conf)) return fallback;
  return JSON.parse(readFileSync(conf, 'utf8')).app?.security?.csp ?? fallback;
})();

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

export async function startServer() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error(`no mock build at ${DIST}: run npm run build-ui`);
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP });
    createReadStream(file).pipe(res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) };
}

/**
 * The computer's locale in every test: American English, not Russian, so a date or a number the
 * app left to the browser (05/10/2025 — May or October?) shows up as a failure.
 */
export const LOCALE = 'en-US';

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', `--lang=${LOCALE}`],
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LANGUAGE: 'en_US' },
  });
}

/**
 * A fresh page on the app. `office` preloads the fake backend: empty (first start), small,
 * medium or large (20 000 initiatives). The browser's locale is `LOCALE`; the app's language is
 * its own setting (Russian until switched). Collects CSP violations and page errors.
 */
export async function openApp(browser, base, { office = 'empty' } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: LOCALE });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.on('console', (m) => {
    const text = m.text();
    if (/Failed to load resource/.test(text)) return; // reported with its address by 'response'
    if (m.type() === 'error' || /Content Security Policy/i.test(text)) problems.push(`console: ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp = [...(window.__csp ?? []), `${e.violatedDirective} ${e.blockedURI}`];
    });
  });
  await page.goto(`${base}/index.html?office=${office}`);
  return {
    page,
    context,
    /** Page errors, console errors and CSP violations seen so far. */
    async problems() {
      const csp = await page.evaluate(() => window.__csp ?? []);
      return [...problems, ...csp.map((c) => `CSP violation: ${c}`)];
    },
    async close() {
      await context.close();
    },
  };
}

export const byTest = (page, id) => page.locator(`[data-testid="${id}"]`);

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** Commands the fake backend received, with their arguments. */
export async function calls(page, cmd) {
  return page.evaluate((c) => window.__mestnoMock.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
}

/** The text of a dashboard figure, with no-break spaces as plain spaces. */
export async function figure(page, id) {
  return (await byTest(page, `stat-${id}`).innerText()).replace(/\u00a0/g, ' ');
}

/** Chooses the first option of a select whose text contains `text` (tree selects indent names). */
export async function selectByText(select, text) {
  const value = await select.evaluate(
    (el, t) => [...el.options].find((o) => o.textContent.includes(t))?.value ?? null,
    text,
  );
  if (value === null) throw new Error(`no option with «${text}»`);
  await select.selectOption(value);
}
