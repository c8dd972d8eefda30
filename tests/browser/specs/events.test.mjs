// Events: attendees picked from the contacts as you type; the headcount rule beside its input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backend, byTest, openApp, screenshot, selectByText } from '../lib/harness.mjs';
import { useBrowser } from '../lib/suite.mjs';

const env = useBrowser();

test('an event with a named attendee and a linked initiative', async () => {
  const app = await openApp(env.browser, env.bridge, { office: 'small' });
  const { page } = app;
  await byTest(page, 'nav-events').click();
  await byTest(page, 'events-table-row').first().waitFor();
  await screenshot(page, '13-events');
  await byTest(page, 'event-new').click();
  await byTest(page, 'event-title').fill('Сход граждан по водопроводу');
  await selectByText(byTest(page, 'event-territory'), 'с. Тальское');
  await byTest(page, 'event-starts-at').fill('10.05.2025 18:30');

  const name = (await backend(page, 'list_contacts', { query: { limit: 4 } })).items[3].display_name;
  await byTest(page, 'attendee-picker').pressSequentially(name.split(' ')[0], { delay: 20 });
  await byTest(page, 'attendee-picker-option').first().waitFor();
  await page.keyboard.press('Enter');
  await byTest(page, 'attendee').waitFor();
  assert.ok((await byTest(page, 'attendee-name').innerText()).length > 0);

  const title = (await backend(page, 'list_initiatives', { query: { limit: 1 } })).items[0].title;
  await byTest(page, 'initiative-picker').pressSequentially(title.split(' ')[0], { delay: 20 });
  await byTest(page, 'initiative-picker-option').first().click();

  // Named attendees, but a headcount of 0: the core says so on the headcount field.
  await byTest(page, 'event-headcount').fill('0');
  await byTest(page, 'event-save').click();
  await byTest(page, 'err-headcount').waitFor();
  assert.match(await byTest(page, 'err-headcount').innerText(), /меньше, чем названо поимённо/);
  await screenshot(page, '14-event-form');

  await byTest(page, 'event-headcount').fill('35');
  await byTest(page, 'event-save').click();
  await page.waitForURL(/#\/events\/[0-9a-f-]{36}/);
  const saved = await backend(page, 'event', { id: decodeURIComponent(new URL(page.url()).hash.split('/')[2]) });
  assert.equal(saved.starts_at, '2025-05-10T18:30:00', 'seconds added for the core');
  assert.equal(saved.attendees.length, 1);
  assert.equal(saved.initiative_ids.length, 1);
  assert.deepEqual(await app.problems(), []);
  await app.close();
});
