// The desktop app's benchmark on the `large` demo office (scripts/e2e.sh --bench makes it):
// figures, not a pass/fail test; each JSON line carries its target.
//
//   app_cold_start_ms            WebDriver asked to launch the app → the dashboard's figures in
//                                the DOM (the UI's `mestno:first-data` mark), 3 fresh processes
//   app_idle_memory_mb           PSS (and RSS) of the app and all its processes (WebKit's web and
//                                network processes…), idle ~5 s on the dashboard, with each
//                                process's largest mappings (where the memory goes)
//   app_initiatives_list_open_ms click on «Проекты» → the first page of rows in the DOM (the
//                                UI's `mestno:initiatives-shown` mark), 5 times
import { existsSync, realpathSync } from 'node:fs';
import { attach, descendants, memory, programName, pssByMapping, startDriver } from './lib/app.mjs';

const DB = process.env.MESTNO_BENCH_DB;
if (!DB || !existsSync(DB)) {
  console.error('MESTNO_BENCH_DB must name the large demo database (scripts/e2e.sh --bench makes it)');
  process.exit(2);
}
const COLD_RUNS = 5;
const LIST_RUNS = 5;
const IDLE_MS = 5_000;

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const print = (o) => console.log(JSON.stringify(o));
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Launches the app on the large demo and waits for its first data; returns the app and the times. */
async function coldStart() {
  const driver = await startDriver(DB);
  const started = Date.now();
  const app = await attach(driver);
  try {
    const mark = await app.waitFor(
      () =>
        app.js(() => {
          const e = performance.getEntriesByName('mestno:first-data')[0];
          return e ? { epoch: performance.timeOrigin + e.startTime, inPage: e.startTime } : null;
        }),
      'the dashboard’s first data (mark mestno:first-data)',
      60_000,
    );
    return { app, ms: mark.epoch - started, inPageMs: mark.inPage };
  } catch (e) {
    console.error(await app.describe());
    await app.close();
    throw e;
  }
}

/** Mappings each process's breakdown names: the largest, in MB. */
const LARGEST_MAPPINGS = 8;

/** The app's process and all below it, with PSS and RSS in MB. */
function appMemory(app) {
  const pid = app.appPid();
  if (!pid) throw new Error('no mestno-app process below tauri-driver');
  const procs = [{ pid, comm: 'mestno-app' }, ...descendants(pid)];
  const rows = [];
  for (const p of procs) {
    const m = memory(p.pid);
    if (!m) continue;
    const mb = (kb) => round(kb / 1024);
    const mappings = pssByMapping(p.pid);
    const largest = [...mappings].sort((a, b) => b[1] - a[1]).slice(0, LARGEST_MAPPINGS);
    rows.push({
      pid: p.pid,
      name: programName(p.pid, p.comm),
      pss_mb: mb(m.pss_kb),
      rss_mb: mb(m.rss_kb),
      pss_anon_mb: mb(m.pss_anon_kb),
      pss_file_mb: mb(m.pss_file_kb),
      pss_shmem_mb: mb(m.pss_shmem_kb),
      pss_db_mapped_mb: mb(mappings.get(realpathSync(DB)) ?? 0),
      largest_mappings_mb: Object.fromEntries(largest.map(([name, kb]) => [name, mb(kb)])),
    });
  }
  const sum = (k) => round(rows.reduce((a, r) => a + r[k], 0));
  return { pss_mb: sum('pss_mb'), rss_mb: sum('rss_mb'), db_mapped_mb: sum('pss_db_mapped_mb'), processes: rows };
}

/** Dashboard → click «Проекты» in the page → the list's mark; ms between the two, in-page clock. */
async function openInitiatives(app) {
  await app.click('nav-dashboard');
  await app.el('stat-initiatives', 'the dashboard figures');
  await sleep(200); // let the dashboard's own work settle before timing the next screen
  const clicked = await app.js(() => {
    performance.clearMarks('mestno:initiatives-shown');
    const t = performance.now();
    document.querySelector('[data-testid="nav-initiatives"]').click();
    return t;
  });
  const shown = await app.waitFor(
    () => app.js(() => performance.getEntriesByName('mestno:initiatives-shown')[0]?.startTime ?? null),
    'the initiatives list (mark mestno:initiatives-shown)',
    30_000,
  );
  const rows = await app.js(() => document.querySelectorAll('[data-testid="initiatives-table-row"]').length);
  if (!rows) throw new Error('the initiatives list shows no rows');
  return { ms: shown - clicked, rows };
}

const runs = [];
const inPage = [];
let app = null;
try {
  for (let i = 0; i < COLD_RUNS; i++) {
    const run = await coldStart();
    runs.push(Math.round(run.ms));
    inPage.push(Math.round(run.inPageMs));
    // The last app stays open for the memory and list figures.
    if (i < COLD_RUNS - 1) await run.app.close();
    else app = run.app;
  }
  print({
    figure: 'app_cold_start_ms',
    value: median(runs),
    target: 1000,
    unit: 'ms',
    runs,
    page_load_to_data_ms: inPage,
    note: 'median of fresh processes: WebDriver new session (launches the app) to the dashboard figures in the DOM',
  });

  await app.el('stat-initiatives');
  const total = await app.text('stat-initiatives');
  await sleep(IDLE_MS);
  const mem = appMemory(app);
  print({
    figure: 'app_idle_memory_mb',
    value: mem.pss_mb,
    target: 200,
    unit: 'MB',
    measure: 'PSS, the app and all its processes',
    rss_mb: mem.rss_mb,
    of_which_db_pages_mapped_mb: mem.db_mapped_mb,
    idle_s: IDLE_MS / 1000,
    processes: mem.processes,
  });

  const times = [];
  let rows = 0;
  for (let i = 0; i < LIST_RUNS; i++) {
    const r = await openInitiatives(app);
    times.push(round(r.ms));
    rows = r.rows;
  }
  print({
    figure: 'app_initiatives_list_open_ms',
    value: round(median(times)),
    target: 100,
    unit: 'ms',
    p50: round(median(times)),
    max: Math.max(...times),
    runs: times,
    initiatives: total,
    rows_rendered: rows,
    note: 'click on the nav item to the first page of rows in the DOM, on the large demo',
  });
} finally {
  await app?.close();
}
