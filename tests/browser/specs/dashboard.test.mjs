// The dashboard follows its filters: a territory's own population, one year's initiatives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, byTest, figure, openApp, selectByText } from '../lib/harness.mjs';
import { all, territoryNamed } from '../lib/office.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();
/** A village of the demo office with initiatives of its own. */
const VILLAGE = 'с. Соловьёвка';

test('filters cut the figures to a territory and a year', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  // What the office holds, read through the commands: the village's latest population and how
  // many initiatives are of 2024 and of the village.
  const village = await territoryNamed(page, VILLAGE);
  const latest = village.population.reduce((a, b) => (b.year > a.year ? b : a));
  const initiatives = async (query) => (await backend(page, 'list_initiatives', { query: { ...query, limit: 1 } })).total;
  const expected = {
    population: latest.population,
    initiatives2024: await initiatives({ year: 2024 }),
    here: await initiatives({ territory_id: village.id }),
  };
  assert.ok(expected.here > 0 && expected.initiatives2024 > 0, 'the filters have something to show');
  const count = (s) => Number(s.replace(/\s/g, ''));

  await byTest(page, 'filter-year').selectOption('2024');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="stat-initiatives"]').textContent.replace(/\s/g, '')) === n,
    expected.initiatives2024,
  );
  await byTest(page, 'filter-year').selectOption({ index: 0 });
  await selectByText(byTest(page, 'filter-territory'), VILLAGE);
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="stat-initiatives"]').textContent.replace(/\s/g, '')) === n,
    expected.here,
  );
  assert.equal(count(await figure(page, 'population')), expected.population);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('named people and people reached are both shown, each with what it counts', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  await byTest(page, 'stat-people-reached').waitFor();
  // Counted from the events themselves, read through the commands: the different named
  // attendees, and everyone else each event counted.
  const events = await all(page, 'list_events');
  const records = await Promise.all(events.map((row) => backend(page, 'event', { id: row.id })));
  const named = new Set(records.flatMap((e) => e.attendees.map((a) => a.contact_id)));
  const anonymous = events.reduce((n, e) => n + e.headcount - e.named, 0);
  const expected = { unique: named.size, reached: named.size + anonymous };
  // What the page shows for one figure: its label, its value and the line saying what it counts.
  const shown = (id) =>
    page.evaluate((id) => {
      const value = document.querySelector(`[data-testid="stat-${id}"]`);
      const figure = value.closest('.figure');
      const text = (el) => el?.textContent.replace(/\u00a0/g, ' ').trim() ?? null;
      return { label: text(figure.querySelector('dt')), value: text(value), note: text(figure.querySelector('.figure-note')) };
    }, id);
  const count = (s) => Number(s.replace(/\s/g, ''));
  assert.ok(expected.unique < expected.reached, 'the demo has anonymous participants: the two figures differ');

  const unique = await shown('unique-people');
  assert.equal(count(unique.value), expected.unique, 'unique people: the different named attendees');
  assert.equal(unique.label, 'Разных людей поимённо');
  assert.match(unique.note, /записанные по имени, каждый один раз/, 'labelled with its definition');
  const reached = await shown('people-reached');
  assert.equal(count(reached.value), expected.reached, 'people reached: the named once, the anonymous at each event');
  assert.equal(reached.label, 'Охвачено людей');
  assert.match(reached.note, /анонимные участники — по одному разу на каждом мероприятии/, 'labelled with its definition');
  const population = count((await shown('population')).value);
  assert.ok(population > 0, 'the demo office has a population');
  const percent = (people) => {
    const bp = Math.round((Math.round((people / population) * 1e6) / 1e6) * 10_000);
    return `${Math.floor(bp / 100)},${String(bp % 100).padStart(2, '0')} %`;
  };
  const shareNamed = await shown('engagement-share');
  assert.deepEqual([shareNamed.value, shareNamed.note], [percent(expected.unique), 'разные люди поимённо ÷ население']);
  const shareReached = await shown('people-reached-share');
  assert.deepEqual([shareReached.value, shareReached.note], [percent(expected.reached), 'охвачено людей ÷ население']);
  assert.equal(shareReached.label, 'Доля охваченного населения');

  await byTest(page, 'lang-en').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="stat-people-reached-note"]')?.textContent.includes('anonymous'));
  const english = await shown('people-reached');
  assert.equal(english.label, 'People reached', 'the labels follow the language');
  assert.match(english.note, /plus anonymous participants counted once at each event/);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
