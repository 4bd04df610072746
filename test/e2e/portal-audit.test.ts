// The portal's Audit log page in real headless Chromium against a real `goldpath up`: an admin
// sees the whole log with a refused action in red and the chart of decisions, and filters it; a
// member sees their own team's log only. Screenshots go to test-artifacts/portal-audit/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { openBrowser, storySteps, type Browser, signInToPortal } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount, localTokens, type LocalAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let env: EnvironmentView;

before(async () => {
  platform = await startPlatformProcess();
  browser = await openBrowser('portal-audit');
  ({ page } = browser);
  // Something to see: dana launches; sam, of another team, tries to stop it and is refused.
  env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'watched', '--wait']);
  const tokens = localTokens(platform.home);
  const refused = await fetch(`${platform.url}/api/v1/environments/${env.id}/stop`, { method: 'POST', headers: { authorization: `Bearer ${tokens.sam}` } });
  assert.equal(refused.status, 403);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);

const signIn = (account: LocalAccount) => signInToPortal(page, platform.url, account);

async function signOut(): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

const rows = () => page.getByTestId('audit-table').locator('tbody tr');

test('the audit log page: an admin sees every team\'s decisions, denials in red; a member only their team\'s', async (t) => {
  await step(t, 'an admin opens the audit log from the navigation and sees the refused stop in red', async () => {
    await signIn(await localAccount(platform, 'priya'));
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByTestId('audit-chart').waitFor();
    const denied = rows().filter({ hasText: 'sam' }).filter({ hasText: 'stop' });
    await denied.first().waitFor();
    assert.equal(await denied.first().getAttribute('data-decision'), 'deny');
    assert.match(await denied.first().innerText(), new RegExp(`Environment::"${env.id}"[\\s\\S]*churn-analytics[\\s\\S]*denied[\\s\\S]*403`, 'i'));
    const launch = rows().filter({ hasText: 'dana' }).filter({ hasText: 'launch' }).first();
    assert.equal(await launch.getAttribute('data-decision'), 'allow');
    assert.equal(await page.getByRole('combobox', { name: 'Team' }).inputValue(), 'All teams');
    await browser.shot('01-audit-admin');
  });

  await step(t, 'filtering by action shows only that action', async () => {
    await page.getByRole('textbox', { name: 'Action' }).fill('stop');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-testid="audit-table"] tbody tr td:nth-child(3) code')].map((c) => c.textContent);
      return cells.length > 0 && cells.every((c) => c === 'stop');
    });
    await browser.shot('02-audit-filtered');
  });

  await step(t, 'a member sees their own team\'s log, with no way to ask for the whole', async () => {
    await signOut();
    await signIn(await localAccount(platform, 'ravi'));
    await page.goto(platform.url + '/audit');
    await page.getByTestId('audit-table').waitFor();
    assert.equal(await page.getByRole('combobox', { name: 'Team' }).inputValue(), 'Churn Analytics');
    await page.getByRole('combobox', { name: 'Team' }).click();
    assert.equal(await page.getByRole('option', { name: 'All teams' }).count(), 0);
    await page.keyboard.press('Escape');
    await rows().filter({ hasText: 'sam' }).filter({ hasText: 'stop' }).first().waitFor();
    assert.deepEqual(browser.pageErrors, []);
  });
});
