// The dashboard follows its filters: a territory's own population, one year's initiatives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byTest, figure, openApp, selectByText } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('filters cut the figures to a territory and a year', async () => {
  const app = await openApp(env.browser, env.server.url, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  const expected = await page.evaluate(() => {
    const db = window.__mestnoMock.db;
    const t = db.territories.find((x) => x.name === 'с. Ивановка');
    return {
      population: t.population.at(-1).population,
      initiatives2024: db.initiatives.filter((i) => i.year === 2024).length,
      here: db.initiatives.filter((i) => i.territory_id === t.id).length,
    };
  });
  const count = (s) => Number(s.replace(/\s/g, ''));

  await byTest(page, 'filter-year').selectOption('2024');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="stat-initiatives"]').textContent.replace(/\s/g, '')) === n,
    expected.initiatives2024,
  );
  await byTest(page, 'filter-year').selectOption({ index: 0 });
  await selectByText(byTest(page, 'filter-territory'), 'с. Ивановка');
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-testid="stat-initiatives"]').textContent.replace(/\s/g, '')) === n,
    expected.here,
  );
  assert.equal(count(await figure(page, 'population')), expected.population);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});

test('named people and people reached are both shown, each with what it counts', async () => {
  const app = await openApp(env.browser, env.server.url, { office: 'small' });
  const { page } = app;
  await byTest(page, 'dashboard').waitFor();
  await byTest(page, 'stat-people-reached').waitFor();
  const expected = await page.evaluate(() => {
    const { db } = window.__mestnoMock;
    const named = new Set(db.events.flatMap((e) => e.attendees.map((a) => a.contact_id)));
    const anonymous = db.events.reduce((n, e) => n + e.headcount - e.attendees.length, 0);
    return { unique: named.size, reached: named.size + anonymous };
  });
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
