// 20 000 initiatives: the table renders only what is in view and loads keyset pages of 100.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, byTest, calls, openApp, screenshot } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

const rowCount = (page) => page.locator('[data-testid="initiatives-table-row"]').count();
const loaded = async (page) =>
  Number((await byTest(page, 'initiatives-table-count').innerText()).replace(/\s/g, '').match(/(\d+)из/)?.[1]);

test('the list of 20 000 keeps the DOM small and scrolls to load more', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'large' });
  const { page } = app;
  await page.goto(app.url('#/initiatives'));
  await byTest(page, 'initiatives-table-row').first().waitFor();
  const { total } = await backend(page, 'list_initiatives', { query: { limit: 1 } });
  assert.ok(total >= 20_000, `the large demo office: ${total} initiatives`);
  assert.match((await byTest(page, 'initiatives-table-count').innerText()).replace(/\s/g, ''), new RegExp(`100из${total}`));
  assert.ok((await rowCount(page)) < 200, 'only the rows in view are in the DOM');

  const scroller = byTest(page, 'initiatives-table-scroll');
  for (let i = 0; i < 4; i++) {
    const before = await loaded(page);
    await scroller.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="initiatives-table-count"]').textContent.replace(/\s/g, '').match(/(\d+)из/)[1]) > n,
      before,
    );
  }
  assert.equal(await loaded(page), 500);
  const rows = await rowCount(page);
  assert.ok(rows > 0 && rows < 200, `the DOM holds ${rows} rows, not 500`);

  const asked = await calls(page, 'list_initiatives');
  assert.ok(asked.every((a) => a.query.limit === 100), 'pages of 100, never everything');
  assert.equal(asked.filter((a) => a.query.after !== null).length, 4, 'each further page starts after the last');

  // Sorting asks the core again from the first page.
  await byTest(page, 'sort-total_cost').click();
  await page.waitForFunction(() => {
    const last = window.__mestnoDesktop.calls.filter((c) => c.cmd === 'list_initiatives').at(-1);
    return last.args.query.sort === 'total_cost' && last.args.query.after === null;
  });
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="initiatives-table-count"]').textContent.replace(/\s/g, '').startsWith('Показано100из'),
  );
  await screenshot(page, '08-initiatives-20000');
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
