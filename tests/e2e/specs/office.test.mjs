// The real app from its first start: an empty office, a territory and a program in the settings,
// an initiative with its budget by source, two contacts (one with markup in the name, which must
// stay text), an event with both as attendees; the lists show them and the dashboard's totals
// move by exactly what was entered. Every screen is kept in screenshots/NN-name.png. The app runs
// under an American locale: its dates must still read as Russian offices write them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { byTest, openApp } from '../lib/app.mjs';
import { steps } from '../lib/steps.mjs';

const OFFICE = 'Проектный офис Тестового района';
const DISTRICT = 'Тестовый район';
const SETTLEMENT = 'Берёзовский сельсовет';
const PROGRAM = { code: 'ИБ-Т', name: 'Инициативное бюджетирование (тест)' };
const INITIATIVE = 'Ремонт колодца на ул. Школьной';
/** Planned money by source, in roubles as typed; 1 000 000 ₽ in all. */
const BUDGET = { regional: '800 000', municipal: '100 000', residents: '70 000', business: '30 000' };
const TOTAL_KOPECKS = 1_000_000_00;
const HOSTILE = '<script>alert(1)</script>Иванов';
const HOSTILE_NAME = `${HOSTILE} Пётр`;
const OTHER_NAME = 'Петрова Анна';
const EVENT = 'Сход граждан по ремонту колодца';
const HEADCOUNT = 25;

const digits = (s) => Number(String(s).replace(/[^\d]/g, '') || 'NaN');

/** The dashboard's figures as numbers (money in kopecks), once the dashboard shows real data. */
async function figures(app) {
  await app.el('dashboard');
  await app.el('stat-initiatives', 'the dashboard figures');
  const raw = await app.js(() =>
    Object.fromEntries(
      ['initiatives', 'funds-total', 'events', 'participants', 'unique-people'].map((id) => [
        id,
        document.querySelector(`[data-testid="stat-${id}"]`)?.textContent ?? '',
      ]),
    ),
  );
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, digits(v)]));
}

/** Picks the first choice a search-as-you-type picker offers for `text`. */
async function pick(app, picker, text, expected) {
  await app.fill(picker, text);
  const option = await app.waitFor(async () => {
    for (const o of await app.all(`${picker}-option`)) {
      if ((await o.getText()).includes(expected)) return o;
    }
    return null;
  }, `${picker} to offer «${expected}»`);
  await app.click(option);
}

describe('an office from its first start (the real app)', () => {
  let app;
  let dir;
  let before_;
  let scriptsBefore;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mestno-e2e-'));
    // A missing file in a folder not there yet: the app makes both and offers the first-start
    // choice. The computer is set to American English, where WebKit's own date fields read
    // «05/10/2025» (May? October?).
    app = await openApp(join(dir, 'Новая папка', 'office.sqlite'), { LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', LANGUAGE: 'en_US' });
  });

  after(async () => {
    const errors = app ? await app.pageErrors().catch(() => []) : [];
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(errors, [], 'the page reported no errors');
  });

  const step = steps(() => app);

  step('first start offers an empty office or demo data', async ({ app, shot }) => {
    await app.el('first-start');
    await app.el('setup-form');
    await app.el('demo-choice');
    await shot('first-start');
  });

  step('create an empty office', async ({ app, shot }) => {
    await app.fill('setup-office-name', OFFICE);
    await app.fill('setup-territory-name', DISTRICT);
    await app.choose('setup-territory-kind', 'муниципальный район');
    await app.fill('setup-population', '12000');
    await app.click('setup-submit');
    await app.el('dashboard');
    assert.equal(await app.text('office-name'), OFFICE);
    before_ = await figures(app);
    assert.deepEqual(
      before_,
      { initiatives: 0, 'funds-total': 0, events: 0, participants: 0, 'unique-people': 0 },
      'a new office has nothing to count yet',
    );
    scriptsBefore = await app.js(() => document.querySelectorAll('script').length);
    await shot('dashboard-empty');
  });

  step('settings: a settlement with its population', async ({ app, shot }) => {
    await app.click('nav-settings');
    await app.el('territory-tree');
    const district = await app.waitFor(async () => {
      for (const i of await app.all('territory-item')) if ((await i.getText()) === DISTRICT) return i;
      return null;
    }, `the tree to show «${DISTRICT}»`);
    // Selected first, so the new territory goes under it.
    await app.click(district);
    await app.el('territory-form');
    await app.click('territory-new');
    await app.waitFor(async () => (await app.text('territory-form')).startsWith('Новая территория'), 'an empty territory form');
    await app.fill('territory-name', SETTLEMENT);
    await app.choose('territory-kind', 'сельское поселение');
    await app.waitFor(
      () => app.js((d) => document.querySelector('[data-testid="territory-parent"]')?.selectedOptions[0]?.textContent.includes(d), DISTRICT),
      'the new territory to sit under the district',
    );
    await app.click('population-add');
    await app.fill('population-value-0', '1250');
    await app.click('territory-save');
    await app.waitFor(async () => {
      for (const i of await app.all('territory-item')) if ((await i.getText()).trim() === SETTLEMENT) return true;
      return false;
    }, `the tree to show «${SETTLEMENT}»`);
    // Saved, the form shows the record under its name.
    await app.waitFor(async () => (await app.text('territory-form')).startsWith(SETTLEMENT), 'the saved territory’s form');
    await app.waitFor(() => app.js(() => document.querySelector('[data-testid="population-value-0"]')?.value === '1250'), 'the saved population');
    await shot('settings-territory');
  });

  step('settings: a program with co-financing rules', async ({ app, shot }) => {
    await app.click('tab-programs');
    await app.click('program-new');
    await app.el('program-form');
    await app.fill('program-code', PROGRAM.code);
    await app.choose('program-kind', 'ППМИ');
    await app.fill('program-name', PROGRAM.name);
    await app.fill('program-min-residents', '5');
    await app.fill('program-min-municipal', '5');
    await app.fill('program-max-subsidy-share', '85');
    await app.fill('program-max-subsidy', '1 500 000');
    await app.click('program-save');
    await app.waitFor(async () => {
      for (const i of await app.all('program-item')) if ((await i.getText()).includes(PROGRAM.code)) return true;
      return false;
    }, `the program list to show «${PROGRAM.code}»`);
    await app.waitFor(async () => (await app.text('program-form')).startsWith(`${PROGRAM.code} — ${PROGRAM.name}`), 'the saved program’s form');
    await shot('settings-program');
  });

  step('an initiative with its budget by source and live shares', async ({ app, shot }) => {
    await app.click('nav-initiatives');
    await app.el('initiatives');
    await app.click('initiative-new');
    await app.el('initiative-form');
    await app.fill('initiative-title', INITIATIVE);
    await app.choose('initiative-territory', SETTLEMENT);
    await app.choose('initiative-program', PROGRAM.code);
    await app.fill('initiative-initiator-name', 'Староста д. Берёзовка');
    await app.fill('initiative-total-cost', '1 000 000');
    // The program's rules reach the live check: residents' 3 % is below its 5 %.
    await app.fill('budget-regional-planned', BUDGET.regional);
    await app.fill('budget-municipal-planned', BUDGET.municipal);
    await app.fill('budget-residents-planned', '30 000');
    await app.fill('budget-business-planned', '70 000');
    await app.el('warning-residents', 'the warning on the residents’ share');
    assert.match(await app.text('warning-residents'), /5,00 %/);
    for (const [source, roubles] of Object.entries(BUDGET)) await app.fill(`budget-${source}-planned`, roubles);
    await app.gone('warning-residents');
    // The core's live check: each source's share, the four adding up to exactly 100 %.
    const shares = { regional: '80,00 %', municipal: '10,00 %', residents: '7,00 %', business: '3,00 %', federal: '0,00 %' };
    await app.waitFor(async () => (await app.text('share-business')) === shares.business, 'the live shares');
    for (const [source, share] of Object.entries(shares)) assert.equal(await app.text(`share-${source}`), share, `share of ${source}`);
    assert.equal(await app.text('budget-planned-total'), 'Сумма источников (план): 1 000 000,00 ₽');
    assert.equal((await app.all('live-budget-error')).length, 0, 'the sources add up to the total cost');
    assert.equal(await app.js(() => document.querySelectorAll('[data-testid^="warning-"]').length), 0, 'the budget keeps the program’s rules');
    await shot('initiative-form');
    await app.click('initiative-save');
    await app.waitHash(/^#\/initiatives\/[0-9a-f-]{36}$/, 'the saved initiative’s page');
    await app.el('stage-panel');
    assert.equal(await app.text('current-stage'), 'идея');
    await shot('initiative-saved');
  });

  step('the initiatives list shows it', async ({ app, shot }) => {
    await app.click('back-to-list');
    await app.el('initiatives-table-row');
    assert.deepEqual(await app.contents('initiative-row-title'), [INITIATIVE]);
    const [row] = await app.contents('initiatives-table-row');
    for (const part of [SETTLEMENT, PROGRAM.code, 'идея', '1 000 000,00 ₽']) assert.ok(row.includes(part), `the row shows «${part}»: ${row}`);
    assert.equal(await app.text('initiatives-table-count'), 'Показано 1 из 1');
    await shot('initiatives-list');
  });

  step('opened again, the initiative shows its shares and its dates day first', async ({ app, shot }) => {
    await app.click('initiative-row-title');
    // Read the moment the saved fields appear: the shares come with them, never «—» first.
    const shares = await app.waitFor(
      () =>
        app.js((title) => {
          if (document.querySelector('[data-testid="initiative-title"]')?.value !== title) return null;
          const share = (s) => document.querySelector(`[data-testid="share-${s}"]`).textContent.replace(/\u00a0/g, ' ');
          return { regional: share('regional'), business: share('business') };
        }, INITIATIVE),
      'the saved initiative’s form',
    );
    assert.deepEqual(shares, { regional: '80,00 %', business: '3,00 %' }, 'the shares of the saved budget, with its fields');
    await app.el('stage-panel');
    const stageOn = await app.js(() => document.querySelector('[data-testid="stage-on"]').value);
    assert.match(stageOn, /^\d{2}\.\d{2}\.20\d{2}$/, `the stage date reads dd.mm.yyyy under en_US: «${stageOn}»`);
    await shot('initiative-reopened');
    await app.click('back-to-list');
    await app.el('initiatives-table-row');
  });

  step('a contact whose name holds a script tag stays text', async ({ app, shot }) => {
    await app.click('nav-contacts');
    await app.el('contacts');
    await app.click('contact-new');
    await app.el('contact-form');
    await app.fill('contact-last-name', HOSTILE);
    await app.fill('contact-first-name', 'Пётр');
    await app.choose('contact-territory', SETTLEMENT);
    await app.click('contact-save');
    await app.waitHash(/^#\/contacts\/[0-9a-f-]{36}$/, 'the saved contact’s page');
    await app.waitFor(async () => (await app.text('contact-heading')) === HOSTILE_NAME, 'the heading to show the name');
    const seen = await app.js(() => {
      const h = document.querySelector('[data-testid="contact-heading"]');
      return {
        children: h.children.length,
        html: h.innerHTML,
        input: document.querySelector('[data-testid="contact-last-name"]').value,
        scripts: document.querySelectorAll('script').length,
        injected: [...document.querySelectorAll('script')].some((s) => s.textContent.includes('alert(1)')),
      };
    });
    assert.equal(seen.children, 0, 'the heading holds text only');
    assert.match(seen.html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;Иванов/);
    assert.equal(seen.input, HOSTILE, 'the form keeps the name as typed');
    assert.equal(seen.scripts, scriptsBefore, 'no script element was added');
    assert.equal(seen.injected, false);
    await shot('contact-script-name');
  });

  step('a second contact', async ({ app, shot }) => {
    await app.click('nav-contacts');
    await app.click('contact-new');
    await app.el('contact-form');
    await app.fill('contact-last-name', 'Петрова');
    await app.fill('contact-first-name', 'Анна');
    await app.click('contact-role-resident');
    await app.click('contact-save');
    await app.waitHash(/^#\/contacts\/[0-9a-f-]{36}$/, 'the saved contact’s page');
    await app.waitFor(async () => (await app.text('contact-heading')) === OTHER_NAME, 'the heading to show the name');
    await shot('contact-second');
  });

  step('the contacts list shows both, the markup as text', async ({ app, shot }) => {
    await app.click('nav-contacts');
    await app.el('contacts-table-row');
    await app.waitFor(async () => (await app.all('contacts-table-row')).length === 2, 'two contacts in the list');
    const rows = await app.js(() =>
      [...document.querySelectorAll('[data-testid="contact-row-name"]')].map((e) => ({ text: e.textContent, children: e.children.length })),
    );
    assert.deepEqual(rows.map((r) => r.text).sort(), [HOSTILE_NAME, OTHER_NAME].sort());
    assert.ok(rows.every((r) => r.children === 0), 'names are text, not markup');
    assert.equal(await app.js(() => document.querySelectorAll('script').length), scriptsBefore, 'no script element was added');
    await shot('contacts-list');
  });

  step('an event with both contacts, a headcount and the initiative', async ({ app, shot }) => {
    await app.click('nav-events');
    await app.el('events');
    await app.click('event-new');
    await app.el('event-form');
    await app.fill('event-title', EVENT);
    await app.choose('event-territory', SETTLEMENT);
    await app.fill('event-starts-at', '10.05.2025 18:30');
    await app.fill('event-place', 'Сельский клуб');
    await pick(app, 'attendee-picker', 'Иванов', HOSTILE_NAME);
    await pick(app, 'attendee-picker', 'Петрова', OTHER_NAME);
    await app.waitFor(async () => (await app.all('attendee')).length === 2, 'two attendees');
    const names = await app.js(() => [...document.querySelectorAll('[data-testid="attendee-name"]')].map((e) => e.textContent));
    assert.deepEqual(names.sort(), [HOSTILE_NAME, OTHER_NAME].sort());
    await pick(app, 'initiative-picker', 'колодца', INITIATIVE);
    const linked = () => app.js(() => [...document.querySelectorAll('[data-testid="linked-initiatives"] li a')].map((a) => a.textContent));
    await app.waitFor(async () => (await linked()).length === 1, 'the initiative to be linked');
    assert.deepEqual(await linked(), [INITIATIVE]);
    await app.fill('event-headcount', String(HEADCOUNT));
    await shot('event-form');
    await app.click('event-save');
    await app.waitHash(/^#\/events\/[0-9a-f-]{36}$/, 'the saved event’s page');
    await app.waitFor(async () => (await linked()).join() === INITIATIVE, 'the saved event to list the initiative');
    const attendees = [HOSTILE_NAME, OTHER_NAME].sort().join(' | ');
    await app.waitFor(async () => (await app.contents('attendee-name')).sort().join(' | ') === attendees, `the saved attendees: ${attendees}`);
    assert.equal(await app.js(() => document.querySelector('[data-testid="event-headcount"]').value), String(HEADCOUNT));
    assert.equal(await app.js(() => document.querySelector('[data-testid="event-starts-at"]').value), '10.05.2025 18:30');
    assert.equal(await app.js(() => document.querySelectorAll('script').length), scriptsBefore, 'no script element was added');
    await shot('event-saved');
  });

  step('the events list shows it', async ({ app, shot }) => {
    await app.click('nav-events');
    await app.el('events-table-row');
    const rows = await app.contents('events-table-row');
    assert.equal(rows.length, 1, 'one event');
    for (const part of [EVENT, '10.05.2025', SETTLEMENT, 'Сельский клуб', String(HEADCOUNT)]) assert.ok(rows[0].includes(part), `the row shows «${part}»: ${rows[0]}`);
    await shot('events-list');
  });

  step('the dashboard totals moved by what was entered', async ({ app, shot }) => {
    await app.click('nav-dashboard');
    const now = await app.waitFor(async () => {
      const f = await figures(app);
      return f.initiatives === before_.initiatives + 1 ? f : null;
    }, 'the dashboard to count the new initiative');
    assert.deepEqual(
      {
        initiatives: now.initiatives - before_.initiatives,
        funds: now['funds-total'] - before_['funds-total'],
        events: now.events - before_.events,
        participants: now.participants - before_.participants,
        unique: now['unique-people'] - before_['unique-people'],
      },
      { initiatives: 1, funds: TOTAL_KOPECKS, events: 1, participants: HEADCOUNT, unique: 2 },
    );
    await shot('dashboard-after');
  });
});

test('an office database that cannot be opened says why, and does not claim to be opening it (the real app)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mestno-e2e-'));
  // A file where the database's folder should be: no folder can be made there.
  writeFileSync(join(dir, 'файл'), 'не папка');
  const app = await openApp(join(dir, 'файл', 'office.sqlite'));
  try {
    const banner = await app.waitFor(
      () => app.js(() => document.querySelector('[data-testid="banner"]')?.textContent.trim() ?? ''),
      'the reason the office is not open',
    );
    assert.match(banner, /в пути файл вместо папки/);
    const splash = await app.waitFor(async () => {
      const text = await (await app.session.findElement(byTest('splash'))).getText();
      return text.includes('не открыта') && text;
    }, 'the splash to say the office is not open');
    assert.match(splash, /запустите Mestno снова/);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
