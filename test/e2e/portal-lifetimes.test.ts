// The portal in real headless Chromium against a real `goldpath up`: the notices bell (break-glass
// in red) and the environment page's expiry with its Extend button.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { openBrowser, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let env: EnvironmentView;

before(async () => {
  platform = await startPlatformProcess({ env: { GOLDPATH_LIFETIME_SWEEP_MS: '500' } });
  browser = await openBrowser('portal-lifetimes');
  page = browser.page;
  env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'portal-lived']);
  const db = new pg.Client(platform.adminUrl('goldpath'));
  await db.connect();
  try {
    // The launch's own "ready" notice would change the counts below: wait for it and mark it read.
    for (let i = 0; (await db.query(`SELECT 1 FROM notices WHERE environment_id = $1 AND kind = 'environment-ready'`, [env.id])).rowCount === 0; i++) {
      if (i > 600) throw new Error('the launch did not become ready in 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    await db.query(`UPDATE notices SET read_at = now() WHERE environment_id = $1 AND kind = 'environment-ready'`, [env.id]);
    await db.query(
      `INSERT INTO notices (team_id, kind, message, environment_id) VALUES
         ('churn-analytics', 'expiry-warning', 'portal-lived expires soon', $1),
         ('churn-analytics', 'break-glass', 'priya approved on behalf of your team', $1)`,
      [env.id],
    );
  } finally {
    await db.end();
  }
  const me = await localAccount(platform, 'dana');
  await page.goto(platform.url + '/');
  await page.getByRole('textbox', { name: 'User name or e-mail' }).fill(me.id);
  await page.getByRole('textbox', { name: 'Password' }).fill(me.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-menu').waitFor();
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

test('the header bell counts unread notices; a break-glass one is red; opening one marks it read and goes to its environment', async () => {
  const bell = page.getByTestId('notices-bell');
  await page.getByRole('button', { name: 'Notices: 2 unread' }).waitFor();
  await bell.click();
  const breakGlass = page.locator('[data-kind="break-glass"]');
  await breakGlass.waitFor();
  assert.match(await breakGlass.innerText(), /Break-glass approval · portal-lived/);
  const color = await breakGlass.locator('p').first().evaluate((el) => getComputedStyle(el).color);
  const [r, g, b] = color.match(/\d+/g)!.map(Number);
  assert.ok(r > 150 && g < 100 && b < 100, `break-glass is red (${color})`);
  await browser.shot('notices-menu');
  await breakGlass.click();
  await page.waitForURL(`**/environments/${env.id}`);
  await page.getByRole('button', { name: 'Notices: 1 unread' }).waitFor();
});

test('the environment page says when it expires, and Extend moves it', async () => {
  await page.goto(`${platform.url}/environments/${env.id}`);
  const extend = page.getByTestId('extend');
  await extend.filter({ hasText: 'expires in 14 days' }).waitFor();
  await extend.click();
  await page.getByRole('menuitem', { name: 'By a day' }).click();
  await page.getByText(/now expires .*\(in 15 days\)/).waitFor();
  await extend.filter({ hasText: 'expires in 15 days' }).waitFor();
  await browser.shot('environment-extended');
  const after = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'env', env.id]);
  assert.equal(Date.parse(after.expiresAt!) - Date.parse(after.createdAt), 15 * 86_400_000);
});
