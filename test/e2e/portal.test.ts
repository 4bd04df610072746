// The portal in real headless Chromium against a real `goldpath up`: the seed's first scene —
// sign in, pick "Data Science Experimentation", launch, watch it become ready, open the notebook,
// delete. Screenshots go to test-artifacts/portal/ (git-ignored) to be looked at; with
// UPDATE_SCREENSHOTS=1 the README's screenshots in docs/screenshots/ are refreshed too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { openBrowser, storySteps, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount, localCredentials } from '../support/local-accounts.ts';
import { notebookRuns } from '../support/front-door.ts';

let platform: PlatformProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let artifacts: string;

const shot = (name: string, opts: { fullPage?: boolean } = {}) => browser.shot(name, opts);

before(async () => {
  platform = await startPlatformProcess();
  browser = await openBrowser('portal');
  ({ context, page, artifacts } = browser);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);

test('a data scientist signs in, launches Data Science Experimentation, opens the notebook and deletes it', async (t) => {
  const me = await localAccount(platform, localCredentials(platform.home).defaultUser);
  const other = await localAccount(platform, 'priya');
  let envId = '';

  await step(t, 'sign-in names no account, and says what is wrong', async () => {
    await page.goto(platform.url + '/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(`${me.name}|${other.name}`), 'no account is listed');
    await shot('01-sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Give your user name or e-mail').first().waitFor();
    await page.getByRole('textbox', { name: 'User name or e-mail' }).fill(me.id);
    // The admin's password does not open another account.
    await page.getByRole('textbox', { name: 'Password' }).fill(other.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/wrong password/i).waitFor();
    await shot('01b-sign-in-wrong-password');
    // Now as the default demo user, with their own password.
    await page.getByRole('textbox', { name: 'Password' }).fill(me.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('user-menu').waitFor();
  });

  await step(t, 'the paths page finds Data Science Experimentation, with search and filters', async () => {
    const card = page.locator('article[data-path="data-science-experimentation"]');
    await page.getByRole('heading', { name: 'Data Science Experimentation' }).waitFor();
    assert.match(await card.innerText(), /Synthetic data/i);
    assert.match(await card.innerText(), /No approval needed/i);
    assert.match(await card.innerText(), /Jupyter notebook/);
    // "/" jumps to the search box from the keyboard.
    await page.keyboard.press('/');
    await page.keyboard.type('nothing-matches-this');
    await page.getByText('No path matches').waitFor();
    await page.getByRole('button', { name: 'Clear search and filters' }).click();
    await page.getByRole('searchbox').or(page.getByLabel('Search golden paths')).fill('jupyter synthetic');
    await card.waitFor();
    // The words the hint suggests find paths: a tool by what people call it, a task by its tag.
    await page.getByLabel('Search golden paths').fill('postgres');
    await page.locator('article[data-path="sql-data-querying"]').waitFor();
    await page.getByLabel('Search golden paths').fill('churn');
    await page.locator('article[data-path="data-science-customer-data"]').waitFor();
    await page.getByLabel('Search golden paths').fill('');
    await page.getByText('Software', { exact: true }).click();
    // The software tab holds the software paths (the website path among them).
    await page.locator('article[data-path="website"]').waitFor();
    assert.equal(await page.getByText('Nothing matches').count(), 0);
    await page.getByText('Data', { exact: true }).click();
    await card.waitFor();
    await page.getByText('All paths', { exact: true }).click();
    await page.waitForLoadState('networkidle');
    await shot('02-paths');
  });

  await step(t, 'launch: the form comes from the parameter schema and says what is wrong beside the field', async (tt) => {
    await page.getByRole('link', { name: 'Launch Data Science Experimentation' }).click();
    const submit = page.getByRole('button', { name: 'Launch Data Science Experimentation' });
    await submit.waitFor();
    const teams = (await (await fetch(`${platform.url}/api/v1/teams`, { headers: { authorization: `Bearer ${await page.evaluate(() => localStorage.getItem('goldpath.token'))}` } })).json()) as { teams: { id: string; title: string }[] };
    const myTeam = teams.teams.find((x) => x.id === me.team)!;
    assert.equal(await page.getByRole('combobox', { name: /Team/ }).inputValue(), myTeam.title, "the user's team is preselected");
    const project = page.getByRole('textbox', { name: 'Project name' });
    assert.equal(await project.inputValue(), 'churn-experiment');
    await project.fill('Not A Valid Name');
    await submit.click();
    await page.getByText(/use lower-case letters, digits and dashes only/).first().waitFor();
    await shot('03-launch-invalid', { fullPage: true });
    await project.fill('churn-portal-e2e');
    const started = Date.now();
    await submit.click();
    await page.getByText(/^Launching Data Science Experimentation/).waitFor();
    await shot('04-launch-progress');
    await page.waitForURL(/\/environments\/e[a-z0-9]{9}$/, { timeout: 60_000 });
    envId = page.url().split('/').pop()!;
    await page.locator('[data-status="ready"]').first().waitFor();
    tt.diagnostic(`ready and on the environment page ${Date.now() - started} ms after clicking Launch`);
  });

  await step(t, 'the environment page: open buttons, hidden credentials, snippets, events', async () => {
    const env = await platform.cliJson<{ status: string; resources: { id: string; type: string; outputs: Record<string, string> }[] }>(['env', envId]);
    assert.equal(env.status, 'ready');
    await page.getByText('Start working').waitFor();
    await page.getByText('environment is ready').waitFor();
    const repo = env.resources.find((r) => r.type === 'git-repo')!;
    const body = await page.locator('body').innerText();
    assert.ok(!body.includes(repo.outputs.password), 'credentials stay hidden until asked for');
    await page.locator('[data-resource="repo"]').getByRole('button', { name: 'Show password' }).click();
    await page.locator('[data-resource="repo"]').getByText(repo.outputs.password).waitFor();
    await page.locator('[data-resource="repo"]').getByRole('button', { name: 'Hide password' }).click();
    // Outputs are labelled for people, not with the API's field names.
    await page.locator('[data-resource="bucket"] [data-output="accessKeyId"]').getByText('Access key ID', { exact: true }).waitFor();
    await page.locator('[data-resource="bucket"]').getByRole('button', { name: 'Copy secret access key' }).waitFor();
    assert.ok(!(await page.locator('[data-resource="bucket"]').innerText()).includes('accessKeyId'));
    for (const tab of ['pandas + SQLAlchemy', 'psql', 'boto3', 'git clone']) await page.getByRole('tab', { name: tab }).waitFor();
    await page.getByRole('tab', { name: 'boto3' }).click();
    assert.match(await page.locator('[data-snippet="bucket-boto3"]').innerText(), /addressing_style": "path"/);
    await page.getByRole('tab', { name: 'pandas + SQLAlchemy' }).click();
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('05-environment');
    await shot('05b-environment-full', { fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('06-environment-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await step(t, 'the notebook link opens Jupyter', async () => {
    const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('[data-open="notebook"]').click()]);
    // Through the front door: its page on the stable URL sends the browser on to the workspace's own origin (never the portal's).
    await tab.waitForURL(new RegExp(`^http://notebook--${envId}\\.localhost:\\d+/`), { timeout: 30_000 });
    // Jupyter's own page, not an error: its title or markup names it.
    await tab.waitForFunction(() => /jupyter/i.test(document.title + document.documentElement.outerHTML), undefined, { timeout: 20_000 });
    assert.doesNotMatch(await tab.title(), /^(404|500|403)/);
    await tab.screenshot({ path: join(artifacts, '07-notebook.png') });
    await tab.close();
  });

  await step(t, 'stop from the environment page: the notebook ends, the lists say stopped', async () => {
    await page.getByRole('button', { name: 'Stop environment' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/Ends:/).waitFor();
    assert.match(await dialog.innerText(), /Kept:[^\n]*repository/, 'the confirmation says what is kept');
    await shot('07b-stop-confirm');
    await dialog.getByRole('button', { name: 'Stop environment' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('[data-env-status="stopped"]').waitFor({ timeout: 60_000 });
    const card = page.locator('[data-resource="notebook"]');
    await card.getByText('Stopped — start the environment to open it').waitFor();
    assert.ok(await card.locator('[data-open="notebook"]').isDisabled(), 'a stopped notebook cannot be opened');
    await page.locator('[data-event="environment.stopped"]').waitFor();
    await page.getByRole('button', { name: 'Start environment' }).waitFor();
    assert.equal(notebookRuns(platform.home, envId), false, 'the notebook no longer runs');
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('07c-stopped');
    await page.locator('nav').getByRole('link', { name: 'My environments' }).click();
    await page.locator(`tr[data-env="${envId}"] [data-status="stopped"]`).waitFor();
    await shot('07d-my-environments-stopped');
    await page.locator(`tr[data-env="${envId}"] a`).click();
  });

  await step(t, 'start it again: live progress, then the notebook opens with Jupyter', async () => {
    await page.getByRole('button', { name: 'Start environment' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/at the same URL/).waitFor();
    await shot('07e-start-confirm');
    await dialog.getByRole('button', { name: 'Start environment' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('power-progress').or(page.locator('[data-env-status="ready"]')).first().waitFor();
    if (await page.getByTestId('power-progress').isVisible()) await shot('07f-starting');
    await page.locator('[data-env-status="ready"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('power-progress').waitFor({ state: 'detached' });
    const [tab] = await Promise.all([context.waitForEvent('page'), page.locator('[data-open="notebook"]').click()]);
    await tab.waitForLoadState('load');
    await tab.waitForFunction(() => /jupyter/i.test(document.title + document.documentElement.outerHTML), undefined, { timeout: 20_000 });
    assert.doesNotMatch(await tab.title(), /^(404|500|403)/);
    await tab.close();
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('07g-started', { fullPage: true });
  });

  await step(t, 'my and team environments list it; catalog and approvals do not break', async () => {
    await page.locator('nav').getByRole('link', { name: 'My environments' }).click();
    await page.locator(`tr[data-env="${envId}"]`).waitFor();
    await shot('08-my-environments');
    await page.locator('nav').getByRole('link', { name: 'Team environments' }).click();
    await page.locator(`tr[data-env="${envId}"]`).waitFor();
    await page.locator('nav').getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('heading', { name: /catalog/i }).first().waitFor();
    await shot('09-catalog');
    await page.locator('nav').getByRole('link', { name: 'Approvals' }).click();
    await page.getByRole('heading', { name: /approvals|nothing waits/i }).first().waitFor();
  });

  await step(t, 'delete asks for confirmation, then the environment goes away', async () => {
    await page.locator('nav').getByRole('link', { name: 'My environments' }).click();
    await page.locator(`tr[data-env="${envId}"] a`).click();
    await page.getByRole('button', { name: 'Delete environment' }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete environment' });
    assert.ok(await confirm.isDisabled(), 'deleting needs the name typed first');
    await shot('10-delete-confirm');
    await dialog.getByRole('button', { name: 'Close dialog' }).waitFor(); // the icon-only close button has a name
    const name = (await page.getByRole('heading', { level: 1 }).innerText()).trim();
    await dialog.getByRole('textbox').fill(name);
    await dialog.getByRole('textbox').press('Enter'); // Enter confirms once the name matches
    const notice = (title: string) => page.locator('.mantine-Notification-title', { hasText: new RegExp(`^${title}$`) });
    await notice('Deleting').waitFor();
    // Off to another page at once: the "Deleting" notice still ends with the deletion instead of staying up.
    await page.locator('nav').getByRole('link', { name: 'Golden paths' }).click();
    await notice('Deleted').waitFor({ timeout: 60_000 });
    assert.equal(await notice('Deleting').count(), 0);
    const env = await platform.cliJson<{ status: string }>(['env', envId]);
    assert.equal(env.status, 'deleted');
    await shot('11-deleted');
  });

  await step(t, 'a narrow window gets a menu button and the same pages', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(platform.url + '/');
    await page.getByRole('heading', { name: 'Data Science Experimentation' }).waitFor();
    await shot('12-paths-narrow');
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    await page.locator('nav').getByRole('link', { name: 'My environments' }).click();
    await page.getByRole('heading', { name: 'My environments' }).waitFor();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  assert.deepEqual(browser.pageErrors, [], 'no uncaught errors in the page');

  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(resolve('docs/screenshots'), { recursive: true });
    copyFileSync(join(artifacts, '02-paths.png'), resolve('docs/screenshots/portal-paths.png'));
    copyFileSync(join(artifacts, '05-environment.png'), resolve('docs/screenshots/portal-environment.png'));
  }
});
