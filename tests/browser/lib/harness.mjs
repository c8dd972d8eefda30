// Drives the bridge build of the UI (ui/dist-bridge), served by `mestno-bridge` on the real core
// under the app's strict CSP, in Debian's Chromium through playwright-core. No browser is ever
// downloaded.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { api, invoke } from './bridge.mjs';
import { writeFixture } from './fixtures.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
export const SHOTS = resolve(here, '../screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * The computer's locale in every test: American English, not Russian, so a date or a number the
 * app left to the browser (05/10/2025 — May or October?) shows up as a failure.
 */
export const LOCALE = 'en-US';

function launchOptions() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', `--lang=${LOCALE}`],
    env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LANGUAGE: 'en_US' },
  };
}

/**
 * A Chromium, driven from this process (lib/run.mjs starts one for all spec files). Every test
 * still gets a browser context of its own.
 */
export function launch() {
  return chromium.launch(launchOptions());
}

/** The contexts of the pages `openApp` opened and their tests have not closed yet. */
const opened = new Set();

/**
 * A blank page in a new context, per browser, made while the test before works: a page takes a
 * renderer process of its own, a fifth of a second to start.
 */
const blank = new WeakMap();

function makeBlankPage(browser) {
  if (blank.has(browser)) return;
  const made = browser
    .newContext({ viewport: { width: 1400, height: 900 }, locale: LOCALE })
    .then(async (context) => ({ context, page: await context.newPage() }));
  made.catch(() => {}); // the browser closed first; whoever takes it sees the error
  blank.set(browser, made);
}

/** A blank page, in a browser context of its own that no page has used. */
function blankPage(browser) {
  makeBlankPage(browser);
  const made = blank.get(browser);
  blank.delete(browser);
  return made;
}

/** Closes the pages a failed test left open (a test that passes closes its own). */
export async function closeLeftPages() {
  const left = [...opened];
  opened.clear();
  await Promise.all(left.map((c) => c.close()));
}

/**
 * A fresh page on the app, in a session of its own on `bridge`: `office` is what the office holds
 * at first — empty (first start), small, medium or large (the demo data of that scale); `open`, a
 * file the app was started with. The browser's locale is `LOCALE`; the app's language is its own
 * setting (Russian until switched). Collects CSP violations, page errors and failed requests.
 */
export async function openApp(browser, bridge, { office = 'empty', open = null } = {}) {
  const [session, { context, page }] = await Promise.all([api(bridge, 'POST', 'sessions', { office }), blankPage(browser)]);
  opened.add(context);
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
  const query = new URLSearchParams({ session: session.id, token: bridge.token });
  if (open) query.set('open', open);
  /** The app's address in this session, at `hash` (`#/import`…). */
  const url = (hash = '') => `${bridge.url}/index.html?${query}${hash}`;
  await page.goto(url());
  makeBlankPage(browser);
  return {
    page,
    context,
    url,
    /** The session's folder for files: the save dialog saves here, test files are put here. */
    documents: session.documents,
    /** Writes the test file `name` (lib/fixtures.mjs) into the session's folder; its path. */
    file: (name) => writeFixture(session.documents, name),
    /** Page errors, console errors, failed requests and CSP violations seen so far. */
    async problems() {
      const csp = await page.evaluate(() => window.__csp ?? []);
      return [...problems, ...csp.map((c) => `CSP violation: ${c}`)];
    },
    async close() {
      opened.delete(context);
      await context.close();
      await api(bridge, 'DELETE', `sessions/${session.id}`);
    },
  };
}

export const byTest = (page, id) => page.locator(`[data-testid="${id}"]`);

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * Runs `act` and waits until the element of test id `id` has been visible — a box of some size,
 * not hidden — however briefly: the progress bar of a task the core finishes in milliseconds is
 * up for a tenth of a second, and may be gone before a wait that starts after the click looks
 * (a busy computer). The page is watched from before `act`, at every change of its DOM.
 */
export async function shownDuring(page, id, act) {
  await page.evaluate((id) => {
    const shown = (window.__shown ??= {});
    shown[id] = false;
    const observer = new MutationObserver(() => look());
    const look = () => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const box = el?.getBoundingClientRect();
      if (el && box.width > 0 && box.height > 0 && el.checkVisibility({ visibilityProperty: true })) {
        shown[id] = true;
        observer.disconnect();
      }
    };
    observer.observe(document, { childList: true, subtree: true, attributes: true });
    look();
  }, id);
  await act();
  await page.waitForFunction((id) => window.__shown[id], id);
}

/** Commands the UI called, with their arguments, as the page's shim recorded them. */
export async function calls(page, cmd) {
  return page.evaluate((c) => window.__mestnoDesktop.calls.filter((x) => x.cmd === c).map((x) => x.args), cmd);
}

/** Sets the file the open dialog picks next (null: the person cancels it). */
export async function setOpenPath(page, path) {
  await page.evaluate((p) => (window.__mestnoDesktop.openPath = p), path);
}

/**
 * Runs command `cmd` of the real command table in the page's session, as the test (not the UI):
 * how a test reads what the office holds. Throws the core's AppError (`code`, `message`, `fields`).
 */
export async function backend(page, cmd, args = {}) {
  const address = new URL(page.url());
  const bridge = { url: address.origin, token: address.searchParams.get('token') };
  return invoke(bridge, address.searchParams.get('session'), cmd, args);
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
