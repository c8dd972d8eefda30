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
