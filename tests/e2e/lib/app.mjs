// Starts the real Mestno app (the release build with the UI embedded) through tauri-driver and
// Debian's WebKitWebDriver, and drives its window with selenium-webdriver.
//
// tauri-driver launches the app with its own environment, so each app gets its own tauri-driver,
// started here with MESTNO_DB pointing at the office database the test wants. The display and
// the session bus come from scripts/e2e.sh (Xvfb, dbus-run-session).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Builder, By, until } from 'selenium-webdriver';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../../..');
export const APP = process.env.MESTNO_APP ?? join(ROOT, 'target/release/mestno-app');
export const SHOTS = resolve(here, '../screenshots');
const TAURI_DRIVER = process.env.TAURI_DRIVER ?? 'tauri-driver';
const NATIVE_DRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';

/** How long a step may wait for the window to show what it expects. */
export const TIMEOUT = Number(process.env.MESTNO_E2E_TIMEOUT_MS ?? 15_000);

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** The tauri-drivers started here: ended when this process ends, however it ends. */
const drivers = new Set();
process.once('exit', () => {
  for (const child of drivers) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));

async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Two free ports: tauri-driver's own and the WebKitWebDriver's behind it. */
async function freePorts() {
  for (;;) {
    const a = await freePort();
    const b = await freePort();
    if (a !== b) return [a, b];
  }
}

async function waitForDriver(url, child, log) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tauri-driver exited (${child.exitCode}):\n${log.join('')}`);
    try {
      const r = await fetch(`${url}status`);
      if (r.ok || r.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`tauri-driver did not answer at ${url} within 20 s:\n${log.join('')}`);
}

/**
 * Starts tauri-driver with MESTNO_DB=`db` and `env` over this process's environment (no session
 * yet: `open()` launches the app). Returns `{url, pid, stop()}`.
 */
export async function startDriver(db, env = {}) {
  if (!existsSync(APP)) throw new Error(`no app at ${APP}: cargo build --release --features custom-protocol --bin mestno-app`);
  if (!existsSync(NATIVE_DRIVER)) throw new Error(`${NATIVE_DRIVER} is missing: apt-get install webkit2gtk-driver`);
  if (!process.env.DISPLAY) throw new Error('no DISPLAY: run the tests through scripts/e2e.sh (it starts Xvfb)');
  const [port, nativePort] = await freePorts();
  const log = [];
  const child = spawn(TAURI_DRIVER, ['--port', String(port), '--native-port', String(nativePort), '--native-driver', NATIVE_DRIVER], {
    env: { ...process.env, ...env, MESTNO_DB: db },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    log.push(chunk.toString());
    if (log.length > 200) log.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  drivers.add(child);
  const exited = new Promise((done) => child.once('exit', done));
  child.once('exit', () => drivers.delete(child));
  child.once('error', (e) => log.push(`spawn ${TAURI_DRIVER}: ${e.message}\n`));
  const url = `http://127.0.0.1:${port}/`;
  await waitForDriver(url, child, log);
  return {
    url,
    pid: child.pid,
    log,
    async stop() {
      // What this tauri-driver started (WebKitWebDriver, the app, WebKit's processes): ended
      // too if tauri-driver leaves any behind.
      const below = descendants(child.pid).map((p) => p.pid);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(5_000)]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await Promise.race([exited, sleep(2_000)]);
      for (let i = 0; i < 40 && below.some(alive); i++) await sleep(50);
      for (const pid of below.filter(alive)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    },
  };
}

/** A WebDriver session on the app, started with `args` on its command line: this is what launches the app's process. */
export async function newSession(url, args = []) {
  return new Builder()
    .usingServer(url)
    .withCapabilities({ 'tauri:options': { application: APP, args }, browserName: 'wry' })
    .build();
}

/** A WebDriver session on `driver`, which launches the app with `args`; the driver stops if that fails. */
export async function attach(driver, args = []) {
  try {
    return new App(await newSession(driver.url, args), driver);
  } catch (e) {
    await driver.stop();
    throw new Error(`${e.message}\ntauri-driver said:\n${driver.log.join('')}`);
  }
}

/**
 * The app on the office database `db` (a missing file is a first start), its window ready to
 * be driven, with `env` added to its environment and `args` on its command line (`mestno-app
 * реестр.csv`). `close()` quits the app and its tauri-driver.
 */
export async function openApp(db, env = {}, args = []) {
  const app = await attach(await startDriver(db, env), args);
  await app.waitFor(() => app.js(() => document.readyState === 'complete' && !!document.querySelector('#app')), 'the page to load');
  await app.watchErrors();
  return app;
}

export const byTest = (id) => By.css(`[data-testid="${id}"]`);

export class App {
  constructor(session, driver) {
    this.session = session;
    this.driver = driver;
  }

  /** Runs `fn` in the page (a function or a script body) with `args`. */
  async js(fn, ...args) {
    const body = typeof fn === 'function' ? `return (${fn}).apply(null, arguments);` : fn;
    return this.session.executeScript(body, ...args);
  }

  /** Waits until `cond()` is truthy, returning its value; a timeout says what was awaited. */
  async waitFor(cond, what, timeout = TIMEOUT) {
    let last;
    const started = Date.now();
    while (Date.now() - started < timeout) {
      try {
        const v = await cond();
        if (v) return v;
      } catch (e) {
        last = e;
        if (e?.name === 'UnexpectedAlertOpenError') throw e;
      }
      await sleep(50);
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
  }

  /** Collects the page's uncaught errors and unhandled rejections in `window.__e2eErrors`. */
  async watchErrors() {
    await this.js(() => {
      if (window.__e2eErrors) return;
      window.__e2eErrors = [];
      window.addEventListener('error', (e) => window.__e2eErrors.push(`error: ${e.message}`));
      window.addEventListener('unhandledrejection', (e) => window.__e2eErrors.push(`unhandled rejection: ${e.reason?.message ?? e.reason}`));
      document.addEventListener('securitypolicyviolation', (e) => window.__e2eErrors.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
  }

  async pageErrors() {
    return this.js(() => window.__e2eErrors ?? []);
  }

  /** The element with `data-testid`=`id` once it is displayed. */
  async el(id, what = `[data-testid="${id}"]`) {
    const el = await this.session.wait(until.elementLocated(byTest(id)), TIMEOUT, `timed out waiting for ${what} to appear`);
    await this.session.wait(until.elementIsVisible(el), TIMEOUT, `timed out waiting for ${what} to be visible`);
    return el;
  }

  async all(id) {
    return this.session.findElements(byTest(id));
  }

  async visible(id) {
    return this.js((sel) => {
      const e = document.querySelector(sel);
      return !!e && e.getClientRects().length > 0;
    }, `[data-testid="${id}"]`);
  }

  async gone(id) {
    await this.waitFor(async () => !(await this.visible(id)), `[data-testid="${id}"] to go away`);
  }

  /** Clicks an element (by test id or the element itself) once it is visible and enabled. */
  async click(target) {
    const el = typeof target === 'string' ? await this.el(target) : target;
    await this.session.wait(until.elementIsEnabled(el), TIMEOUT, 'timed out waiting for the control to be enabled');
    await this.js((e) => e.scrollIntoView({ block: 'center', inline: 'nearest' }), el);
    await el.click();
  }

  /** Types `text` into an input as a person would (after clearing it), and checks it arrived. */
  async fill(id, text) {
    const el = await this.el(id);
    await this.js((e) => e.scrollIntoView({ block: 'center', inline: 'nearest' }), el);
    await el.clear();
    if (text !== '') await el.sendKeys(String(text));
    await this.waitFor(async () => (await el.getAttribute('value')) === String(text), `${id} to hold «${text}»`, 3_000).catch(async () => {
      throw new Error(`typing «${text}» into ${id} left «${await el.getAttribute('value')}»`);
    });
    return el;
  }

  /** Chooses the first option of a select whose text contains `text`. */
  async choose(id, text) {
    const el = await this.el(id);
    const ok = await this.js(
      (s, t) => {
        const o = [...s.options].find((x) => x.textContent.includes(t));
        if (!o) return false;
        o.selected = true;
        s.dispatchEvent(new Event('change', { bubbles: true }));
        return true;
      },
      el,
      text,
    );
    if (!ok) {
      const options = await this.js((s) => [...s.options].map((o) => o.textContent.trim()), el);
      throw new Error(`${id} has no option with «${text}»; it has: ${options.join(' | ')}`);
    }
    await this.waitFor(() => this.js((s, t) => s.selectedOptions[0]?.textContent.includes(t), el, text), `${id} to show «${text}»`);
  }

  async text(id) {
    return (await (await this.el(id)).getText()).replace(/\u00a0/g, ' ');
  }

  /** The text content of every element with this test id (for table rows: WebKit's rendered-text
   * reading skips the plain text of grid cells), with no-break spaces as plain ones. */
  async contents(id) {
    return this.js(
      (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent.replace(/\u00a0/g, ' ')),
      `[data-testid="${id}"]`,
    );
  }

  /** The location hash (#/initiatives/…). */
  async hash() {
    return this.js(() => location.hash);
  }

  async waitHash(re, what = `the address to match ${re}`) {
    return this.waitFor(async () => re.test(await this.hash()), what);
  }

  /**
   * Saves a PNG of the window to screenshots/`name`.png, as the screen shows it: taken from the X
   * display (ImageMagick's `import`), cut to the window's place. WebKitWebDriver's own screenshot
   * asks WebKit for its last GPU frame, which the plain renderer the app uses on Linux
   * (src-tauri/renderer.rs) never answers.
   */
  async screenshot(name) {
    mkdirSync(SHOTS, { recursive: true });
    const file = join(SHOTS, `${name}.png`);
    // Let WebKit draw what the DOM now holds.
    await this.js(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))).catch(() => {});
    const { x, y, width, height } = await this.session.manage().window().getRect();
    const crop = `${Math.round(width)}x${Math.round(height)}+${Math.max(0, Math.round(x))}+${Math.max(0, Math.round(y))}`;
    await new Promise((done, fail) => {
      execFile('import', ['-silent', '-window', 'root', '-crop', crop, '+repage', `png:${file}`], { timeout: TIMEOUT }, (e, _out, err) =>
        e ? fail(new Error(`no screenshot «${name}»: ${err || e.message}`)) : done(),
      );
    });
    return file;
  }

  /** What is on screen, for a failure report: the address, the banners and the page's text. */
  async describe() {
    try {
      const s = await this.js(() => ({
        hash: location.hash,
        banners: [...document.querySelectorAll('[data-testid="banner"], .field-error')].map((b) => b.textContent.trim()),
        errors: window.__e2eErrors ?? [],
        text: document.body.innerText.slice(0, 3000),
      }));
      return [
        `address: ${s.hash || '(none)'}`,
        `banners and field errors: ${s.banners.length ? s.banners.join(' | ') : '(none)'}`,
        `page errors: ${s.errors.length ? s.errors.join(' | ') : '(none)'}`,
        'the window shows:',
        s.text,
      ].join('\n');
    } catch (e) {
      return `(could not read the page: ${e.message})`;
    }
  }

  /** The PID of the app's process: the mestno-app below this session's tauri-driver. */
  appPid() {
    return descendants(this.driver.pid).find((p) => p.comm === 'mestno-app')?.pid ?? null;
  }

  async close() {
    try {
      await this.session.quit();
    } catch {
      // the window may be gone already
    }
    await this.driver.stop();
  }
}

// ---- processes ----

/** Every process on the machine: pid, ppid and command name, from /proc/PID/stat. */
export function processes() {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split at the last ')'.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(d), ppid: Number(fields[1]), comm });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The processes below `pid` (not `pid` itself), parents before children. */
export function descendants(pid, all = processes()) {
  const found = [];
  let level = [pid];
  while (level.length) {
    const next = all.filter((p) => level.includes(p.ppid));
    found.push(...next);
    level = next.map((p) => p.pid);
  }
  return found;
}

/** True while `pid` runs (a zombie waiting to be reaped does not). */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The program a process runs: its argv[0]'s file name (the kernel's `comm` is cut at 15 characters). */
export function programName(pid, comm = '') {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return argv0 ? argv0.split('/').pop() : comm;
  } catch {
    return comm;
  }
}

/** PSS (in all and anonymous / file-backed / shared memory) and RSS of a process in kB (smaps_rollup), or null when it is gone or unreadable. */
export function memory(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
    return { pss_kb: kb('Pss'), rss_kb: kb('Rss'), pss_anon_kb: kb('Pss_Anon'), pss_file_kb: kb('Pss_File'), pss_shmem_kb: kb('Pss_Shmem') };
  } catch {
    return null;
  }
}

/**
 * PSS in kB of each file a process maps (shared libraries, the database SQLite maps for reads…),
 * and of its anonymous memory under `[anon]`; empty when the process is gone or unreadable.
 */
export function pssByMapping(pid) {
  const by = new Map();
  let name = '';
  try {
    for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
      if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) {
        const fields = line.trim().split(/\s+/);
        name = fields.length > 5 ? fields.slice(5).join(' ') : '[anon]';
      } else if (line.startsWith('Pss:')) {
        by.set(name, (by.get(name) ?? 0) + Number(line.split(/\s+/)[1]));
      }
    }
  } catch {
    return new Map();
  }
  return by;
}
