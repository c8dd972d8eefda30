// A scenario as ordered steps over one app window: each step is a test of its own; once one
// fails, the rest are skipped, and the failure leaves a screenshot and what the window showed.
import { test } from 'node:test';

/**
 * `step(name, fn)` registers a step; `getApp()` gives the window the steps run in.
 * Screenshots a step takes are numbered by the step (`NN-name.png`), after `prefix` if given.
 */
export function steps(getApp, prefix = '') {
  let broken = null;
  let n = 0;
  return function step(name, fn) {
    const number = `${prefix}${String(++n).padStart(2, '0')}`;
    const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    test(`${number} ${name}`, async (t) => {
      if (broken) {
        t.skip(`an earlier step failed: ${broken}`);
        return;
      }
      const app = getApp();
      try {
        await fn({ app, shot: (suffix = slug) => app.screenshot(`${number}-${suffix}`) });
      } catch (e) {
        broken = `${number} ${name}`;
        let file = '(no screenshot)';
        let seen = '';
        if (app) {
          file = await app.screenshot(`${number}-${slug}-FAILED`).catch((x) => `(screenshot failed: ${x.message})`);
          seen = await app.describe();
        }
        const report = `step «${number} ${name}» failed: ${e?.message ?? e}\nfailure screenshot: ${file}\n${seen}`;
        if (e instanceof Error) {
          e.message = report;
          throw e;
        }
        throw new Error(report);
      }
    });
  };
}
