// Data exchange between two real apps, each on a database of its own: a district's project
// office and a new settlement office pair by card files, the district's package brings the
// settlement its territories, the settlement's project reaches the district, both change its
// title before the next exchange, and the settlement resolves the conflict in «Расхождения» —
// taking the district's title, which travels back. A package loaded twice is refused.
//
// The save and open dialogs are answered through lib/dialogs.mjs: the apps run with
// GTK_USE_PORTAL=1 and a stand-in of the desktop's file chooser portal gives each dialog the
// path the step chose, as a person would in GTK's own dialog (which WebKitWebDriver cannot reach).
// Both windows stay open; the one a step works in is moved onto the screen for its screenshots.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { openApp } from '../lib/app.mjs';
import { DIALOGS_ENV, startDialogs } from '../lib/dialogs.mjs';
import { steps } from '../lib/steps.mjs';

const DISTRICT_OFFICE = 'Проектный офис Абанского района';
const DISTRICT = 'Абанский район';
const VILLAGE = 'с. Берёзовка';
const VILLAGE_OFFICE = 'Администрация Берёзовского сельсовета';
const VILLAGE_OWN = 'Берёзовский сельсовет';
const PROJECT = 'Ремонт клуба';
const DISTRICT_TITLE = 'Ремонт клуба (район)';
const VILLAGE_TITLE = 'Ремонт сельского клуба';
const CODE = /^\d{4}-\d{4}-\d{4}-\d{4}$/;

describe('data exchange between a district and a settlement office (two real apps)', () => {
  const offices = { district: { app: null, db: null }, village: { app: null, db: null } };
  const files = { dir: null, stick: null, packages: [] };
  let dialogs = null;
  /** Which office each step works in, in the order the steps run (for its screenshots): `steps`
   * asks for the window once per step it runs, and after a failure it runs none. */
  const owners = [];
  let running = 0;
  const step = steps(() => offices[owners[running++]]?.app, 'exchange-');

  /** A step in `who`'s window, moved onto the screen first (the other beside it, off screen). */
  const at = (who, name, fn) => {
    owners.push(who);
    step(name, async (ctx) => {
      await show(who);
      await fn({ ...ctx, app: offices[who].app });
    });
  };

  async function show(who) {
    const other = who === 'district' ? 'village' : 'district';
    await offices[other].app.session.manage().window().setRect({ x: 1400, y: 0 });
    await offices[who].app.session.manage().window().setRect({ x: 0, y: 0, width: 1400, height: 900 });
  }

  before(async () => {
    files.dir = mkdtempSync(join(tmpdir(), 'mestno-e2e-exchange-'));
    files.stick = join(files.dir, 'флешка');
    mkdirSync(files.stick);
    dialogs = await startDialogs();
    offices.district.db = join(files.dir, 'район.sqlite');
    offices.village.db = join(files.dir, 'поселение.sqlite');
    [offices.district.app, offices.village.app] = await Promise.all([
      openApp(offices.district.db, DIALOGS_ENV),
      openApp(offices.village.db, DIALOGS_ENV),
    ]);
  });
  after(async () => {
    const errors = [];
    for (const o of Object.values(offices)) {
      if (o.app) errors.push(...(await o.app.pageErrors().catch(() => [])));
      await o.app?.close();
    }
    await dialogs?.close();
    if (files.dir) rmSync(files.dir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'the pages reported no errors');
  });

  /** The last dialog the app asked for. */
  const lastDialog = () => dialogs.requests.at(-1);

  /** Clicks `button` with the next dialog answered by `path`; waits for the dialog to be asked. */
  async function withDialog(app, button, path) {
    const asked = dialogs.requests.length;
    await dialogs.answer(path);
    await app.click(button);
    await app.waitFor(() => dialogs.requests.length > asked, `the dialog of ${button}`);
    return lastDialog();
  }

  const bannerIn = (app, section) =>
    app.js((s) => document.querySelector(`[data-testid="${s}"] [data-testid="banner"]`)?.textContent.replace(/\u00a0/g, ' ').trim() ?? '', section);

  /** The cells of the table row with this test id. */
  const cells = (app, id) =>
    app.js((sel) => [...(document.querySelector(sel)?.cells ?? [])].map((c) => c.textContent.replace(/\u00a0/g, ' ').trim()), `[data-testid="${id}"]`);

  async function firstStart(app, office, territory, kind) {
    await app.el('setup-form');
    await app.fill('setup-office-name', office);
    await app.fill('setup-territory-name', territory);
    await app.choose('setup-territory-kind', kind);
    await app.click('setup-submit');
    await app.el('dashboard');
  }

  async function openExchange(app) {
    await app.click('nav-sync');
    await app.el('sync');
  }

  /** Saves a package for the one partner: its path, once the window says it is written. */
  async function preparePackage(app, partner) {
    await openExchange(app);
    await app.waitFor(async () => (await app.contents('sync-partner-office')).includes(partner), `«${partner}» among the partners`);
    const dialog = await withDialog(app, 'sync-export', files.stick);
    assert.match(dialog.current_name, new RegExp(`^Mestno-${partner}-\\d{4}-\\d{2}-\\d{2}\\.mestno-sync$`));
    assert.deepEqual(dialog.filters[0], ['Пакеты обмена Mestno', ['*.mestno-sync']]);
    const said = await app.waitFor(async () => {
      const text = await bannerIn(app, 'sync-partners');
      return text.startsWith(`Пакет для «${partner}» сохранён`) ? text : null;
    }, 'the package written');
    assert.match(said, /изменений \d+, размер [\d,]+ (Б|КБ)/, said);
    assert.ok(existsSync(dialog.answer), `the package is at ${dialog.answer}`);
    files.packages.push(dialog.answer);
    return dialog.answer;
  }

  /** Opens a package: the preview's text. */
  async function previewPackage(app, path) {
    await openExchange(app);
    await withDialog(app, 'sync-load-choose', path);
    await app.el('sync-preview');
    return (await app.text('sync-preview')).replace(/\s+/g, ' ');
  }

  async function loadPreviewed(app) {
    await app.click('sync-load-confirm');
    await app.el('sync-loaded');
    return (await app.text('sync-loaded')).replace(/\s+/g, ' ');
  }

  async function setTitle(app, id, title) {
    await app.js((h) => (location.hash = h), `#/initiatives/${id}`);
    await app.waitFor(() => app.js(() => !!document.querySelector('[data-testid="initiative-title"]')?.value), 'the initiative’s form');
    await app.fill('initiative-title', title);
    await app.click('initiative-save');
    await app.waitFor(
      () => app.js(() => !document.querySelector('[data-testid="dirty-badge"]') && document.querySelector('[data-testid="initiative-form"] [data-testid="banner"]')?.textContent.includes('Сохранено')),
      `«${title}» saved`,
    );
  }

  at('district', 'the district office starts and adds its settlement', async ({ app, shot }) => {
    await firstStart(app, DISTRICT_OFFICE, DISTRICT, 'муниципальный район');
    await app.click('nav-settings');
    await app.el('territory-tree');
    const district = await app.waitFor(async () => {
      for (const i of await app.all('territory-item')) if ((await i.getText()).trim() === DISTRICT) return i;
      return null;
    }, `the tree to show «${DISTRICT}»`);
    await app.click(district);
    await app.el('territory-form');
    await app.click('territory-new');
    await app.waitFor(async () => (await app.text('territory-form')).startsWith('Новая территория'), 'an empty territory form');
    await app.fill('territory-name', VILLAGE);
    await app.choose('territory-kind', 'населённый пункт');
    await app.click('territory-save');
    await app.waitFor(async () => (await app.text('territory-form')).startsWith(VILLAGE), 'the saved territory');
    await shot('territories');
  });

  at('village', 'the settlement’s new office starts with a territory of its own', async ({ app }) => {
    await firstStart(app, VILLAGE_OFFICE, VILLAGE_OWN, 'сельское поселение');
  });

  at('village', 'the settlement saves its card: a code to read over the phone', async ({ app, shot }) => {
    await openExchange(app);
    await app.el('sync-no-card');
    const dialog = await withDialog(app, 'sync-card-save', files.stick);
    assert.equal(dialog.method, 'SaveFile');
    assert.equal(dialog.current_name, `Mestno-${VILLAGE_OFFICE}.mestno-pair`);
    assert.deepEqual(dialog.filters[0], ['Карточки офисов Mestno', ['*.mestno-pair']]);
    await app.el('sync-code');
    offices.village.code = await app.text('sync-code');
    offices.village.card = dialog.answer;
    assert.match(offices.village.code, CODE);
    assert.ok(existsSync(dialog.answer), 'the card is where the dialog said');
    assert.equal(await app.text('sync-territory'), `Офис отвечает за территорию «${VILLAGE_OWN}».`);
    await shot('village-card');
  });

  at('district', 'the district saves its card and adds the settlement’s, for с. Берёзовка', async ({ app, shot }) => {
    await openExchange(app);
    const card = await withDialog(app, 'sync-card-save', files.stick);
    await app.el('sync-code');
    offices.district.code = await app.text('sync-code');
    offices.district.card = card.answer;
    assert.match(offices.district.code, CODE);
    assert.notEqual(offices.district.code, offices.village.code);

    const open = await withDialog(app, 'sync-pair', offices.village.card);
    assert.equal(open.method, 'OpenFile');
    assert.deepEqual(open.filters[0], ['Карточки офисов Mestno', ['*.mestno-pair']]);
    await app.el('sync-pairing');
    // The settlement's card names its own territory; here it answers for the district's с. Берёзовка.
    await app.choose('sync-pair-territory', VILLAGE);
    await shot('pairing');
    await app.click('sync-pair-confirm');
    await app.el('sync-partner');
    const row = await cells(app, 'sync-partner');
    assert.deepEqual(row.slice(0, 2), [VILLAGE_OFFICE, VILLAGE]);
    assert.match(row[2], CODE);
    assert.deepEqual(row.slice(3, 5), ['не было', 'не было'], 'nothing sent or loaded yet');
    assert.match(await bannerIn(app, 'sync-partners'), new RegExp(`Офис «${VILLAGE_OFFICE}» добавлен \\(территория: ${VILLAGE}\\)`));
    await shot('paired');
  });

  at('village', 'the settlement adds the district’s card as it is', async ({ app, shot }) => {
    await withDialog(app, 'sync-pair', offices.district.card);
    await app.el('sync-pairing');
    await app.click('sync-pair-confirm');
    await app.el('sync-partner');
    const row = await cells(app, 'sync-partner');
    assert.deepEqual(row.slice(0, 3), [DISTRICT_OFFICE, DISTRICT, offices.district.code], 'the code the district reads out');
    await shot('paired');
  });

  at('district', 'the district prepares a package for the settlement', async ({ app, shot }) => {
    await preparePackage(app, VILLAGE_OFFICE);
    const row = await cells(app, 'sync-partner');
    assert.match(row[3], /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/, `sent now: ${row}`);
    assert.equal(row[4], 'не было');
    await shot('package-prepared');
  });

  at('village', 'the settlement previews the package, then loads it: the district’s territories', async ({ app, shot }) => {
    const preview = await previewPackage(app, files.packages[0]);
    assert.match(preview, new RegExp(`Пакет № 1 от «${DISTRICT_OFFICE}»`));
    assert.deepEqual(await cells(app, 'sync-kind-territory'), ['территория', '2', '0', '0'], 'the district and its settlement');
    await shot('preview');
    await app.click('nav-settings');
    await app.el('territory-tree');
    assert.ok(!(await app.contents('territory-item')).some((t) => t.trim() === VILLAGE), 'a preview writes nothing');
    const loaded = await previewPackage(app, files.packages[0]).then(() => loadPreviewed(app));
    assert.match(loaded, new RegExp(`Пакет № 1 от «${DISTRICT_OFFICE}» загружен`));
    await shot('loaded');
    await app.click('nav-settings');
    await app.waitFor(async () => (await app.contents('territory-item')).some((t) => t.trim() === VILLAGE), `«${VILLAGE}» in the tree`);
  });

  at('village', 'the settlement enters its project in с. Берёзовка and sends it', async ({ app }) => {
    await app.click('nav-initiatives');
    await app.el('initiatives');
    await app.click('initiative-new');
    await app.el('initiative-form');
    await app.fill('initiative-title', PROJECT);
    await app.choose('initiative-territory', VILLAGE);
    await app.fill('initiative-initiator-name', 'Жители с. Берёзовка');
    await app.fill('initiative-total-cost', '100 000');
    await app.fill('budget-residents-planned', '100 000');
    await app.click('initiative-save');
    const hash = await app.waitFor(async () => {
      const h = await app.hash();
      return /^#\/initiatives\/[0-9a-f-]{36}$/.test(h) ? h : null;
    }, 'the saved initiative’s page');
    offices.village.project = hash.split('/').pop();
    await preparePackage(app, DISTRICT_OFFICE);
  });

  at('district', 'the district loads it: the project arrives', async ({ app, shot }) => {
    const preview = await previewPackage(app, files.packages[1]);
    assert.match(preview, new RegExp(`Пакет № 1 от «${VILLAGE_OFFICE}»`));
    assert.deepEqual(await cells(app, 'sync-kind-initiative'), ['проект', '1', '0', '0']);
    await loadPreviewed(app);
    await shot('project-loaded');
    await app.click('nav-initiatives');
    await app.waitFor(async () => (await app.contents('initiative-row-title')).includes(PROJECT), `«${PROJECT}» in the district’s list`);
  });

  at('district', 'the district renames the project…', async ({ app }) => {
    await setTitle(app, offices.village.project, DISTRICT_TITLE);
  });

  at('village', '…and the settlement renames it too, later, before the next exchange', async ({ app }) => {
    await setTitle(app, offices.village.project, VILLAGE_TITLE);
  });

  at('district', 'the district sends its change', async ({ app }) => {
    await preparePackage(app, VILLAGE_OFFICE);
  });

  at('village', 'the settlement loads it: the later title stays, the district’s is listed', async ({ app, shot }) => {
    await previewPackage(app, files.packages[2]);
    assert.match(await app.text('sync-new-conflicts'), /Новых расхождений: 1/);
    await loadPreviewed(app);
    await app.el('nav-sync-conflicts');
    assert.equal(await app.text('nav-sync-conflicts'), '1', 'the navigation counts the open conflict');
    await app.el('sync-conflict');
    const entries = await app.all('sync-conflict');
    assert.equal(entries.length, 1);
    assert.equal(await app.text('sync-conflict-kept'), VILLAGE_TITLE);
    assert.equal(await app.text('sync-conflict-lost'), DISTRICT_TITLE);
    assert.equal(await app.text('sync-conflict-record'), VILLAGE_TITLE, 'the entry names the project by its title now');
    const text = (await app.text('sync-conflict')).replace(/\s+/g, ' ');
    for (const part of ['проект', VILLAGE_TITLE, 'наименование', VILLAGE_OFFICE, DISTRICT_OFFICE]) assert.ok(text.includes(part), `the entry shows «${part}»: ${text}`);
    await app.js(() => document.querySelector('[data-testid="sync-conflicts"]').scrollIntoView());
    await shot('conflict');
  });

  at('village', 'the settlement takes the district’s title: the conflict is resolved', async ({ app, shot }) => {
    await app.click('sync-take-other');
    await app.el('sync-no-conflicts');
    await app.gone('nav-sync-conflicts');
    await app.js((h) => (location.hash = h), `#/initiatives/${offices.village.project}`);
    await app.waitFor(
      () => app.js((t) => document.querySelector('[data-testid="initiative-title"]')?.value === t, DISTRICT_TITLE),
      'the district’s title in the form',
    );
    await shot('resolved');
    await preparePackage(app, DISTRICT_OFFICE);
  });

  at('district', 'the district loads the settlement’s package: both hold the district’s title', async ({ app }) => {
    await previewPackage(app, files.packages[3]);
    await loadPreviewed(app);
    await app.click('nav-initiatives');
    await app.waitFor(async () => (await app.contents('initiative-row-title')).includes(DISTRICT_TITLE), `«${DISTRICT_TITLE}» in the district’s list`);
    assert.ok(!(await app.contents('initiative-row-title')).includes(VILLAGE_TITLE));
  });

  at('village', 'a package loaded already is refused, and nothing changes', async ({ app, shot }) => {
    await openExchange(app);
    await withDialog(app, 'sync-load-choose', files.packages[2]);
    const refusal = await app.waitFor(async () => (await bannerIn(app, 'sync-load')) || null, 'the refusal');
    assert.match(refusal, /уже загружен/);
    assert.equal(await app.visible('sync-preview'), false);
    await shot('replay-refused');
  });
});
