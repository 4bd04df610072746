// The portal as a daily home, in real headless Chromium against a real `goldpath up`: the
// notification centre hears of an approval asked of the team and of a launch becoming ready, live;
// Ctrl-K finds a path, an environment and a catalog entity and opens them; dark mode toggles and
// stays after a reload; settings creates a token (shown once, and it works) and revokes it; an
// invalid launch takes focus to the field to fix without logging an error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { openBrowser, signInToPortal, storySteps, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

before(async () => {
  platform = await startPlatformProcess();
  browser = await openBrowser('portal-home');
  ({ page } = browser);
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);
const bellCount = async () => Number(await page.getByTestId('notices-bell').getAttribute('data-count'));

test('the portal as a daily home', async (t) => {
  await step(t, "an approval asked of the data owner's team arrives in their notification centre live", async () => {
    await signInToPortal(page, platform.url, await localAccount(platform, 'olu'));
    await page.getByRole('button', { name: 'Notices: 0 unread' }).waitFor();
    const asked = Date.now();
    await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'data-science-customer-data', '--name', 'home-governed', '--reason', 'Retention study for the Q3 campaign']);
    await page.getByRole('button', { name: 'Notices: 1 unread' }).waitFor({ timeout: 10_000 });
    assert.ok(Date.now() - asked < 10_000, 'live, without a reload');
    await page.getByTestId('notices-bell').click();
    const item = page.locator('[data-kind="approval-requested"]');
    assert.match(await item.innerText(), /Approval requested · home-governed[\s\S]*Dana Whitfield asks your team[\s\S]*Retention study/);
    await browser.shot('approval-notice');
    await item.getByRole('button').click();
    await page.waitForURL('**/approvals');
    await page.getByRole('button', { name: 'Notices: 0 unread' }).waitFor();
    // The inbox names the environment, not its id.
    await page.getByRole('link', { name: 'home-governed' }).first().waitFor();
  });

  let env: EnvironmentView;
  await step(t, "a launch's 'ready' arrives in its owner's notification centre live", async () => {
    await signInToPortal(page, platform.url, await localAccount(platform, 'dana'));
    const before = await bellCount();
    env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'home-live']);
    await page.locator(`[data-testid="notices-bell"]:not([data-count="${before}"])`).waitFor({ timeout: 60_000 });
    await page.getByTestId('notices-bell').click();
    const ready = page.locator('[data-kind="environment-ready"]').filter({ hasText: 'home-live' });
    await ready.waitFor();
    assert.match(await ready.innerText(), /Ready · home-live[\s\S]*"home-live" is ready/);
    await page.keyboard.press('Escape');
  });

  await step(t, 'Ctrl-K finds a path, an environment and a catalog entity, grouped, and opens each', async () => {
    const search = page.getByRole('combobox', { name: /Search paths/ });
    await page.keyboard.press('Control+K');
    await search.fill('postgres');
    const paths = page.getByRole('group', { name: 'Golden paths' });
    await paths.getByRole('option', { name: /SQL Data Querying/ }).waitFor();
    await browser.shot('search-path');
    await search.press('Enter'); // the first hit is selected
    await page.waitForURL(/\/launch\/[a-z-]+$/);

    await page.keyboard.press('Control+K');
    await search.fill('home-live');
    await page.getByRole('group', { name: 'Environments' }).getByRole('option', { name: /home-live/ }).waitFor();
    await search.press('Enter');
    await page.waitForURL(`**/environments/${env.id}`);

    await page.keyboard.press('Control+K');
    await search.fill('sql data querying');
    const entity = page.getByRole('group', { name: 'Catalog' }).getByRole('option').first();
    await entity.waitFor();
    // Arrow keys move through the groups: down to the first catalog hit, then Enter.
    const options = await page.getByRole('option').evaluateAll((os) => os.map((o) => o.closest('[role="group"]')?.getAttribute('aria-labelledby')));
    const firstCatalog = options.findIndex((g) => g === 'gp-group-Catalog');
    for (let i = 0; i < firstCatalog; i++) await search.press('ArrowDown');
    assert.equal(await page.locator('[role="option"][aria-selected="true"]').getAttribute('id'), `gp-hit-${firstCatalog}`);
    await search.press('Enter');
    await page.waitForURL(/\/catalog\/[a-z]+\/[^/]+\/[^/]+$/);
  });

  await step(t, 'dark mode toggles from the header and stays after a reload', async () => {
    const html = page.locator('html');
    assert.equal(await html.getAttribute('data-mantine-color-scheme'), 'light', 'follows the system (light here)');
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    assert.equal(await html.getAttribute('data-mantine-color-scheme'), 'dark');
    const bg = await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    assert.ok(r + g + b < 150, `the page is dark (${bg})`);
    await page.reload();
    await page.getByTestId('user-menu').waitFor();
    assert.equal(await html.getAttribute('data-mantine-color-scheme'), 'dark', 'kept after a reload');
    await page.goto(platform.url + '/');
    await page.getByRole('heading', { name: 'Data Science Experimentation' }).waitFor();
    assert.equal(await html.getAttribute('data-mantine-color-scheme'), 'dark', 'and on the next page');
    await browser.shot('dark-mode');
    await page.getByRole('button', { name: 'Switch to light mode' }).click();
    assert.equal(await html.getAttribute('data-mantine-color-scheme'), 'light');
  });

  await step(t, 'settings creates a token, shows it once, and revokes it', async () => {
    await page.goto(platform.url + '/settings');
    await page.getByRole('textbox', { name: 'Label' }).fill('home-test');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const secret = (await shown.locator('code').innerText()).trim();
    assert.match(secret, /^gpt_/);
    const me = await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(((await me.json()) as { id: string }).id, 'dana', 'the token works');
    await page.locator('[data-token="home-test"]').waitFor();
    await browser.shot('settings');
    await page.getByRole('button', { name: 'Revoke home-test' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close dialog' }).waitFor(); // an icon button, named
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.locator('[data-token="home-test"]').waitFor({ state: 'detached' });
    assert.equal((await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } })).status, 401, 'revoked');
    await page.reload();
    await page.locator('[data-token]').first().waitFor();
    assert.equal(await page.locator('[data-token="home-test"]').count(), 0);
    assert.ok(!(await page.content()).includes(secret), 'never shown again');
  });

  await step(t, 'an invalid launch moves focus to the first field to fix and logs no error', async () => {
    await page.goto(platform.url + '/launch/data-science-experimentation');
    const project = page.getByRole('textbox', { name: 'Project name' });
    await project.fill('Not A Valid Name');
    consoleErrors.length = 0;
    await page.getByRole('button', { name: 'Launch Data Science Experimentation' }).click();
    await page.getByText(/use lower-case letters, digits and dashes only/).first().waitFor();
    assert.equal(await project.evaluate((el) => el === document.activeElement), true, 'focus is on the field to fix');
    assert.deepEqual(consoleErrors, []);
  });

  await step(t, "a long environment name never clips its card's button", async () => {
    const name = 'a-long-environment-name-for-the-q3-study';
    await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', name]);
    await page.goto(platform.url + '/');
    const card = page.locator('section[aria-label="Your environments"] .gp-card').filter({ hasText: name });
    const button = card.locator('a.mantine-Button-root');
    await button.waitFor();
    assert.match((await button.innerText()).trim(), /^(Open|IDE)$/);
    const clipped = await button.evaluate((el) => [el, ...el.querySelectorAll('span')].some((s) => s.scrollWidth > s.clientWidth + 1));
    assert.equal(clipped, false, 'the label is not cut');
  });

  await step(t, 'the catalog facets fit their column at 1280 px', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(platform.url + '/catalog');
    await page.locator('[data-facet="tag"] input[type="checkbox"]').first().waitFor();
    const overflowing = await page.locator('[data-facet]').evaluateAll((boxes) => boxes.filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth).map((b) => b.getAttribute('data-facet')));
    assert.deepEqual(overflowing, []);
  });

  await step(t, 'a default team chosen in settings starts the launch form', async () => {
    const priya = await localAccount(platform, 'priya'); // an admin, who may launch for any team
    await signInToPortal(page, platform.url, priya);
    const token = await page.evaluate(() => localStorage.getItem('goldpath.token'));
    const { teams } = (await (await fetch(`${platform.url}/api/v1/teams`, { headers: { authorization: `Bearer ${token}` } })).json()) as { teams: { id: string; title: string }[] };
    const other = teams.find((x) => x.id !== 'web')!;
    await page.goto(platform.url + '/settings');
    await page.getByRole('combobox', { name: 'Default team' }).click();
    await page.getByRole('option', { name: other.title, exact: true }).click();
    await page.goto(platform.url + '/launch/data-science-experimentation');
    await page.locator('form button[type="submit"]').first().waitFor();
    const team = page.getByRole('combobox', { name: /Team/ });
    for (let i = 0; i < 50 && (await team.inputValue()) !== other.title; i++) await page.waitForTimeout(100);
    assert.equal(await team.inputValue(), other.title);
  });

  assert.deepEqual(browser.pageErrors, []);
});
