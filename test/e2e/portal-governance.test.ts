// Governance in the portal, in real headless Chromium against a real `goldpath up`: approvals name
// their environment; priya (platform admin, team web) is offered break-glass on a churn-analytics
// request only while a policy file in the platform's policies folder allows it (picked up live),
// uses it, and the decision shows in red on the approvals page and the environment page, where
// the credentials of sensitive data stay hidden from her; the Policies page lists the rules in
// force. And `goldpath policies` through the real CLI. Screenshots go to
// test-artifacts/portal-governance/ (git-ignored); UPDATE_SCREENSHOTS=1 refreshes docs/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import type { ApprovalView } from '../../src/engine/approvals/approvals.ts';
import type { PolicyView } from '../../src/cli/commands/policies.ts';
import { openBrowser, storySteps, type Browser, signInToPortal } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount, type LocalAccount } from '../support/local-accounts.ts';
import { until } from '../support/wait.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let artifacts: string;
let accounts: LocalAccount[] = [];

const shot = (name: string, opts: { fullPage?: boolean } = {}) => browser.shot(name, opts);
const as = <T>(user: string, args: string[]) => platform.cliJson<T>(['--as', user, ...args]);
const breakGlassFile = () => join(platform.home, 'policies', 'break-glass.cedar');

async function signIn(userId: string) {
  const me = accounts.find((a) => a.id === userId)!;
  assert.ok(me, `${userId} is a local account`);
  await signInToPortal(page, platform.url, me);
}

/** The computed colour of an element as [r, g, b]: "shown in red" is checked on what is painted. */
async function rgb(locator: Locator, property: 'color' | 'background-color'): Promise<[number, number, number]> {
  const value = await locator.evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);
  const [r, g, b] = value.match(/\d+(\.\d+)?/g)!.map(Number);
  return [r!, g!, b!];
}
/** The line of a policy's @id in the shipped policies/platform.cedar. */
const lineOf = (id: string) => readFileSync(resolve('policies/platform.cedar'), 'utf8').split('\n').findIndex((l) => l.includes(`@id("${id}")`)) + 1;
const isRed = ([r, g, b]: [number, number, number]) => r > 150 && r > g * 1.8 && r > b * 1.8;

before(async () => {
  platform = await startPlatformProcess();
  accounts = await Promise.all(['dana', 'priya', 'sam'].map((id) => localAccount(platform, id)));
  browser = await openBrowser('portal-governance');
  ({ page, artifacts } = browser);
});

after(async () => {
  rmSync(breakGlassFile(), { force: true });
  await browser?.close();
  await platform?.stop();
});

test('break-glass in the portal: offered only while a policy allows it, loud, and shown in red everywhere', async (t) => {
  const step = storySteps(() => browser);
  let env: EnvironmentView;
  let churn: ApprovalView;
  const card = () => page.locator(`[data-approval="${churn.id}"]`);

  await step(t, 'dana asks churn-analytics and payments for customer data', async () => {
    env = await as<EnvironmentView>('dana', ['launch', 'data-science-customer-data', '--name', 'fraud-ring-42', '--reason', 'Incident 42: a fraud ring is draining accounts right now']);
    assert.equal(env.status, 'awaiting-approval');
    const requests = (await as<ApprovalView[]>('priya', ['approvals'])).filter((a) => a.environment === env.id);
    churn = requests.find((a) => a.approverTeam === 'churn-analytics')!;
    assert.ok(churn, JSON.stringify(requests));
  });

  await step(t, 'priya sees the request by the environment name, may not decide it, and is offered no break-glass without a policy', async () => {
    await signIn('priya');
    await page.locator('nav').getByRole('link', { name: /Approvals/ }).click();
    await card().waitFor();
    const name = card().getByRole('link', { name: 'fraud-ring-42' });
    await name.waitFor();
    assert.equal(await name.getAttribute('href'), `/environments/${env.id}`, 'the name links to the environment');
    assert.ok(await card().getByRole('button', { name: 'Approve' }).isDisabled(), 'an admin of another team is no approver');
    assert.ok(await card().getByRole('button', { name: 'Reject' }).isDisabled());
    assert.match(await card().locator('[data-why-not]').innerText(), /Only members of churn-analytics, which owns this data, decide it; you are in web/);
    assert.equal(await card().getByRole('button', { name: 'Break glass' }).count(), 0, 'break-glass is off by default');
    await shot('01-approvals-no-break-glass');
  });

  await step(t, 'a break-glass policy written into the platform\'s policies folder is picked up live: the red button appears', async () => {
    writeFileSync(breakGlassFile(), '@id("admins-may-break-glass")\npermit (principal, action == Action::"breakGlass", resource) when { principal.admin };\n');
    // The API decides what the reader may do; the page shows it at its next load.
    await until(() => as<ApprovalView[]>('priya', ['approvals']), (list) => list.some((a) => a.id === churn.id && a.youMay?.breakGlass), 'the policy to be reloaded');
    await page.reload();
    const button = card().getByRole('button', { name: 'Break glass' });
    await button.waitFor();
    assert.ok(isRed(await rgb(button, 'background-color')), 'the Break glass button is red');
    assert.ok(await card().getByRole('button', { name: 'Approve' }).isDisabled(), 'break-glass is not an ordinary approval');
    await shot('02-approvals-break-glass-offered');
  });

  await step(t, 'the modal warns in red, needs a real reason, and decides for churn-analytics', async () => {
    await card().getByRole('button', { name: 'Break glass' }).click();
    const dialog = page.getByTestId('break-glass-modal');
    await dialog.waitFor();
    const warning = dialog.getByRole('alert').filter({ hasText: 'You are overriding the team that owns this data' });
    assert.match(await warning.innerText(), /You decide for churn-analytics, a team you are not in/);
    assert.match(await warning.innerText(), /churn-analytics is told at once/);
    assert.match(await warning.innerText(), /recorded in the audit log as break-glass/);
    assert.ok(isRed(await rgb(warning, 'background-color')), 'the warning is red');
    await dialog.getByRole('radio', { name: 'Approve access' }).waitFor({ state: 'attached' });
    await dialog.getByRole('textbox').fill('too short');
    await dialog.getByRole('button', { name: 'Break glass and approve' }).click();
    await dialog.getByText('A real reason is required: 9 of 20 characters').waitFor();
    await dialog.getByRole('textbox').fill('Incident 42: fraud ring active now; the churn-analytics on-call is unreachable for two hours.');
    await page.mouse.move(0, 0);
    await shot('03-break-glass-modal');
    await dialog.getByRole('button', { name: 'Break glass and approve' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  await step(t, 'the decision is shown in red on the approvals page', async () => {
    await page.getByRole('tab', { name: /Decided by/ }).click();
    const badge = card().locator('[data-break-glass][data-approval-status="approved"]');
    await badge.waitFor();
    assert.equal((await badge.textContent())?.trim(), 'Approved · break-glass');
    assert.ok(isRed(await rgb(badge, 'background-color')), 'the status badge is red');
    const line = card().locator('[data-decision="break-glass"]');
    assert.match(await line.innerText(), /BREAK-GLASS by priya: approved for churn-analytics, a team they are not in/);
    assert.ok(isRed(await rgb(line.locator('p'), 'color')), 'the decision line is red');
    await shot('04-approvals-decided-break-glass');
    const decided = (await as<ApprovalView[]>('dana', ['approvals', '--mine', '--all'])).find((a) => a.id === churn.id)!;
    assert.equal(decided.breakGlass, true);
    assert.equal(decided.decidedBy, 'priya');
  });

  await step(t, 'the environment page shows the break-glass decision in red, and hides the credentials of sensitive data from priya', async () => {
    // payments decides as usual, so that the environment provisions.
    const payments = (await as<ApprovalView[]>('olu', ['approvals'])).find((a) => a.environment === env.id)!;
    await as('olu', ['approve', payments.id, '--reason', 'DPIA 2026-114 covers the fraud investigation']);
    await card().getByRole('link', { name: 'fraud-ring-42' }).click();
    await page.waitForURL(new RegExp(`/environments/${env.id}$`));
    const history = page.getByTestId('environment-approvals');
    const churnRow = history.locator('[data-approval-team="churn-analytics"]');
    await churnRow.locator('[data-break-glass]').filter({ hasText: 'Approved · break-glass' }).waitFor();
    assert.ok(isRed(await rgb(churnRow.locator('[data-break-glass]'), 'background-color')));
    assert.match(await churnRow.locator('[data-decision="break-glass"]').innerText(), /BREAK-GLASS by priya/);
    await history.locator('[data-approval-team="payments"]').getByText('Approved by olu').waitFor();
    assert.equal(await history.locator('[data-approval-team="payments"] [data-break-glass]').count(), 0, 'an ordinary approval is not red');
    // Sensitive data: only dana, the owner, may use the credentials; priya sees the environment without them.
    await page.locator('[data-env-status="ready"]').waitFor({ timeout: 120_000 });
    const notice = page.getByTestId('credentials-hidden');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Only the owner \(and, for non-sensitive data, their team\) can use them/);
    const warehouse = page.locator('[data-type="warehouse"]');
    const password = warehouse.locator('[data-output="password"]');
    await password.waitFor();
    assert.equal(await password.getAttribute('data-hidden'), 'true');
    assert.equal(await password.getByRole('button').count(), 0, 'nothing to show or copy for a hidden value');
    const s3Secret = page.locator('[data-type="bucket"] [data-output="secretAccessKey"]');
    assert.equal(await s3Secret.getAttribute('data-hidden'), 'true', 'the S3 secret access key is a credential too');
    assert.equal(await s3Secret.getByRole('button').count(), 0);
    assert.equal(await page.locator('[data-snippet]').count(), 0, 'no snippets made of hidden credentials');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('05-environment-break-glass-credentials-hidden');
    await shot('05b-environment-full', { fullPage: true });
  });

  await step(t, 'dana, the owner, sees her credentials and no such notice', async () => {
    await signIn('dana');
    await page.goto(`${platform.url}/environments/${env.id}`);
    await page.locator('[data-env-status="ready"]').waitFor();
    await page.locator('[data-type="warehouse"] [data-output="password"]').waitFor();
    assert.equal(await page.locator('[data-type="warehouse"] [data-output="password"]').getAttribute('data-hidden'), null);
    assert.equal(await page.getByTestId('credentials-hidden').count(), 0);
    await page.getByTestId('environment-approvals').locator('[data-decision="break-glass"]').waitFor();
  });

  await step(t, 'with the policy file gone, priya is offered no break-glass on a new request', async () => {
    rmSync(breakGlassFile());
    const other = await as<EnvironmentView>('dana', ['launch', 'data-science-customer-data', '--name', 'fraud-ring-43', '--reason', 'Incident 43: a second look at the same fraud ring']);
    const request = await until(
      () => as<ApprovalView[]>('priya', ['approvals']),
      (list) => list.some((a) => a.environment === other.id && a.approverTeam === 'churn-analytics' && a.youMay && !a.youMay.breakGlass),
      'the policy to be reloaded without the file',
    );
    const id = request.find((a) => a.environment === other.id && a.approverTeam === 'churn-analytics')!.id;
    await signIn('priya');
    await page.goto(`${platform.url}/approvals`);
    await page.locator(`[data-approval="${id}"]`).getByRole('link', { name: 'fraud-ring-43' }).waitFor();
    assert.equal(await page.locator(`[data-approval="${id}"]`).getByRole('button', { name: 'Break glass' }).count(), 0);
    const refused = await platform.cli(['--as', 'priya', 'break-glass', id, '--approve', '--reason', 'Incident 43: the owners are unreachable again']);
    assert.match(refused.stderr, /not allowed by the policies in force/);
    await platform.cli(['delete', other.id]);
    await platform.cli(['delete', env.id]);
  });

  assert.deepEqual(browser.pageErrors, [], 'no uncaught errors in the page');
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(resolve('docs/screenshots'), { recursive: true });
    copyFileSync(join(artifacts, '03-break-glass-modal.png'), resolve('docs/screenshots/portal-break-glass-modal.png'));
  }
});

test('the Policies page lists the rules in force by file, with their effect, reason, line and text; searchable', async (t) => {
  const step = storySteps(() => browser);
  await step(t, 'sensitive-credentials-stay-with-the-owner is a forbid, with its reason, file and line', async () => {
    await signIn('sam');
    await page.locator('nav').getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('heading', { name: 'Policies' }).waitFor();
    const file = page.locator('[data-policy-file="platform.cedar"]');
    await file.waitFor();
    const policy = file.locator('[data-policy="sensitive-credentials-stay-with-the-owner"]');
    await policy.waitFor();
    assert.equal(await policy.getAttribute('data-effect'), 'forbid');
    const badge = policy.locator('.mantine-Badge-root');
    assert.equal((await badge.innerText()).trim().toLowerCase(), 'forbid');
    assert.ok(isRed(await rgb(badge, 'background-color')), 'forbid is red');
    assert.match(await policy.locator('[data-reason]').innerText(), /credentials of an environment with sensitive data are shown to its owner only/);
    assert.equal((await policy.locator('[data-where]').innerText()).trim(), `platform.cedar:${lineOf('sensitive-credentials-stay-with-the-owner')}`);
    assert.match(await policy.locator('pre').innerText(), /forbid \(principal, action == Action::"readCredentials", resource\)/);
    const permit = file.locator('[data-policy="owner-reads-credentials"] .mantine-Badge-root');
    const [r, g] = await rgb(permit, 'background-color');
    assert.ok(g > r, 'permit is green');
  });

  await step(t, 'the search box narrows the list', async () => {
    await page.getByRole('textbox', { name: 'Search the policies' }).fill('credentials');
    await page.waitForFunction(() => !document.querySelector('[data-policy="admins-apply-the-warehouse-policy"]'));
    const shown = await page.locator('[data-policy]').evaluateAll((els) => els.map((e) => e.getAttribute('data-policy')));
    assert.ok(shown.includes('sensitive-credentials-stay-with-the-owner') && shown.includes('owner-reads-credentials'), shown.join(', '));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('10-policies');
    await page.getByRole('textbox', { name: 'Search the policies' }).fill('no-such-policy-anywhere');
    await page.getByText('No policy matches').waitFor();
  });

  assert.deepEqual(browser.pageErrors, [], 'no uncaught errors in the page');
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(join(artifacts, '10-policies.png'), resolve('docs/screenshots/portal-policies.png'));
});

test('goldpath policies: a table of id, effect, file:line and reason, or --json', async () => {
  const list = await platform.cliJson<PolicyView[]>(['policies']);
  const forbid = list.find((p) => p.id === 'sensitive-credentials-stay-with-the-owner');
  assert.ok(forbid, 'the shipped forbid is listed');
  assert.equal(forbid.effect, 'forbid');
  assert.equal(forbid.file, 'platform.cedar');
  assert.equal(forbid.line, lineOf('sensitive-credentials-stay-with-the-owner'), 'the line of its @id in the file');
  assert.match(forbid.reason ?? '', /shown to its owner only/);
  assert.equal(list.find((p) => p.id === 'owner-reads-credentials')?.effect, 'permit');

  const table = await platform.cli(['policies']);
  assert.equal(table.code, 0, table.stderr);
  const [header, ...rows] = table.stdout.trimEnd().split('\n');
  assert.match(header!, /^ID\s+EFFECT\s+WHERE\s+REASON$/);
  assert.equal(rows.length, list.length, 'one row per policy');
  assert.ok(rows.some((r) => new RegExp(`^sensitive-credentials-stay-with-the-owner\\s+forbid\\s+platform\\.cedar:${forbid.line}\\s+credentials of an environment`).test(r)), table.stdout);
});
