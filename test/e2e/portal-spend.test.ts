// The portal's spend in real headless Chromium against a real `goldpath up`: dana's team has an
// environment running; the path cards and the launch form say what a day of a path costs; the team
// spend page shows the chart, the environment's row, the total and the month's budget, and its CSV
// downloads and adds up. Screenshots go to test-artifacts/portal-spend/ (git-ignored);
// UPDATE_SCREENSHOTS=1 refreshes docs/screenshots/portal-spend.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Decimal } from 'decimal.js';
import type { Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { openBrowser, storySteps, signInToPortal, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount, localTokens } from '../support/local-accounts.ts';
import { until } from '../support/wait.ts';
import { formatMoney } from '../../portal/src/components/money-format.ts';
import { spendWindow, windowLabel } from '../../portal/src/pages/spend-window.ts';

interface SpendRow { key: string; label: string; amount: string; idle: boolean; environment: string | null }
interface SpendReport { currency: string; total: string; rows: SpendRow[]; daily: { day: string; amount: string }[] }
interface PathCost { currency: string; perDay: string; items: { resource: string; perDay: string }[] }

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let env: EnvironmentView;
let tokens: Record<string, string>;

const as = async <T>(user: string, path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(platform.url + path, { ...init, headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json', ...init.headers } });
  assert.ok(res.ok, `${init.method ?? 'GET'} ${path} as ${user} answered ${res.status}: ${await res.clone().text()}`);
  return (await res.json()) as T;
};

/** What the portal shows for an amount (checked below against exact expectations). */
const euros = (amount: string) => formatMoney(amount, 'EUR');

before(async () => {
  platform = await startPlatformProcess();
  tokens = localTokens(platform.home);
  browser = await openBrowser('portal-spend');
  ({ page } = browser);
  // Something to pay for: dana's team runs a SQL querying environment (a repository and a warehouse grant).
  env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'metered', '--wait']);
  // An admin gives the team a monthly budget, which the page's gauge measures against.
  await as('priya', '/api/v1/budgets/churn-analytics', { method: 'PUT', body: JSON.stringify({ monthly: '500.00', threshold: 80 }) });
  // The meter records the running environment shortly after it starts.
  await until(() => as<SpendReport>('dana', '/api/v1/spend?by=resource'), (r) => r.rows.some((row) => row.environment === env.id), 'the environment in the team report', 90_000, 500);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);

test('a team sees what a path costs before launch, what it spends, and downloads it as CSV', async (t) => {
  await step(t, 'the path card says what a day of the path costs', async () => {
    await signInToPortal(page, platform.url, await localAccount(platform, 'dana'));
    const cost = (await as<{ cost: PathCost }>('dana', '/api/v1/paths/sql-data-querying')).cost;
    assert.ok(new Decimal(cost.perDay).gt(0), `the path has a cost: ${JSON.stringify(cost)}`);
    const badge = page.locator('[data-path="sql-data-querying"]').getByTestId('path-cost');
    await badge.waitFor();
    assert.equal(await badge.getAttribute('data-per-day'), cost.perDay);
    assert.equal((await badge.innerText()).trim(), `≈ ${euros(cost.perDay)} a day`);
    await badge.scrollIntoViewIfNeeded();
    await browser.shot('01-path-card-cost');
  });

  await step(t, 'the launch form shows the estimate, item by item, and the team it is charged to', async () => {
    await page.locator('[data-path="sql-data-querying"]').getByRole('link', { name: /^Launch/ }).click();
    const breakdown = page.getByTestId('launch-cost');
    await breakdown.waitFor();
    const cost = (await as<{ cost: PathCost }>('dana', '/api/v1/paths/sql-data-querying')).cost;
    const text = await breakdown.innerText();
    assert.ok(text.includes(euros(cost.perDay)), `the breakdown shows the total per day: ${text}`);
    for (const item of cost.items) assert.ok(text.includes(euros(item.perDay)), `the breakdown shows ${item.resource}: ${text}`);
    assert.match(await page.getByTestId('launch-cost-line').innerText(), new RegExp(`About ${euros(cost.perDay).replace('.', '\\.')} a day, charged to Churn Analytics`));
    await browser.shot('02-launch-cost', { fullPage: true });
  });

  await step(t, 'the team spend page shows the chart, the environment\'s rows, the total and the budget', async () => {
    // The report grows while the environment runs: compare the page with the answer it was given.
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/spend' && r.request().method() === 'GET');
    await page.getByRole('link', { name: 'Team spend' }).click();
    await page.getByRole('heading', { name: 'Team spend' }).waitFor();
    const report = (await (await answered).json()) as SpendReport;
    // The API's total is the exact sum of its rows; the page shows it, formatted.
    assert.equal(report.total, report.rows.reduce((s, r) => s.plus(r.amount), new Decimal(0)).toFixed(4));
    await page.getByTestId('spend-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const row = page.getByTestId('spend-table').locator(`tbody tr[data-environment="${env.id}"]`).first();
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(env.id));
    await page.getByTestId('spend-total').filter({ hasText: euros(report.total) }).waitFor();
    assert.equal(await page.getByTestId('spend-table').locator('tbody tr').count(), report.rows.length);
    const gauge = page.getByTestId('budget-gauge');
    assert.equal(await gauge.getAttribute('data-state'), 'ok');
    assert.match(await gauge.innerText(), /of €500\.00 this month/);
    await browser.shot('03-spend-page', { fullPage: true });
  });

  await step(t, 'the CSV downloads with the token, opens as a table, and its rows add up to its total', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const file = join(browser.artifacts, 'spend.csv');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.endsWith('\r\n'), 'RFC 4180 line ends');
    const lines = text.trimEnd().split('\r\n');
    const header = lines[0].split(',');
    const amountAt = header.indexOf('amount');
    assert.ok(amountAt >= 0, `an amount column: ${lines[0]}`);
    assert.ok(lines.some((l) => l.includes(env.id)), `a line for the environment:\n${text}`);
    const total = lines.at(-1)!;
    assert.match(total, /^TOTAL,/);
    // Labels may hold quoted commas; the amount is the same column counted from the end.
    const fromEnd = header.length - amountAt;
    const amountOf = (line: string) => line.split(',').at(-fromEnd)!;
    const sum = lines.slice(1, -1).reduce((s, l) => s.plus(amountOf(l)), new Decimal(0));
    assert.equal(sum.toFixed(4), new Decimal(amountOf(total)).toFixed(4));
    assert.ok(lines.length - 2 >= 1, 'at least one row');
  });

  await step(t, 'grouping by environment gives the environment one row, and stays in the URL', async () => {
    await page.getByRole('radiogroup', { name: 'Group by' }).getByText('Environment', { exact: true }).click();
    const row = page.getByTestId('spend-table').locator(`tbody tr[data-key="${env.id}"]`);
    await row.waitFor();
    await browser.shot('04-spend-by-environment');
    // The view is in the URL: a reload (or a link, or "back") shows the same grouping.
    assert.match(page.url(), /[?&]by=environment\b/);
    await page.reload();
    await row.waitFor();
  });

  await step(t, 'the window picker asks for the last 7 days, then for days picked on the calendar', async () => {
    const spendAnswer = (ok: (q: URLSearchParams) => boolean) =>
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/spend' && !r.url().includes('format=csv') && ok(new URL(r.url()).searchParams));
    const now = new Date();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const window = page.getByRole('radiogroup', { name: 'Window' });
    let answered = spendAnswer((q) => q.get('from') === new Date(today - 6 * 86_400_000).toISOString() && !q.has('to'));
    await window.getByText('Last 7 days', { exact: true }).click();
    const week = (await (await answered).json()) as SpendReport;
    assert.equal(week.daily.length, 7, 'a point a day');
    await page.getByTestId('spend-table').locator(`tbody tr[data-key="${env.id}"]`).waitFor();

    await window.getByText('Custom', { exact: true }).click();
    await page.getByRole('button', { name: 'Days' }).click();
    const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const dayName = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    answered = spendAnswer((q) => q.get('from') === first.toISOString() && q.get('to') === new Date(today + 86_400_000).toISOString());
    await page.getByRole('button', { name: dayName(first), exact: true }).click();
    await page.getByRole('button', { name: dayName(new Date(today)), exact: true }).click();
    await answered;
    await page.getByTestId('spend-table').locator(`tbody tr[data-key="${env.id}"]`).waitFor();
    await browser.shot('05-spend-custom-window', { fullPage: true });
  });

  await step(t, 'an admin sees every team\'s spend, the shared services\' idle capacity marked as idle rows', async () => {
    await signInToPortal(page, platform.url, await localAccount(platform, 'priya'));
    await page.goto(platform.url + '/spend');
    await page.getByTestId('spend-total').waitFor();
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/spend' && new URL(r.url()).searchParams.get('team') === '*');
    await page.getByRole('combobox', { name: 'Team' }).click();
    await page.getByRole('option', { name: 'All teams' }).click();
    const report = (await (await answered).json()) as SpendReport;
    const idle = report.rows.filter((r) => r.idle);
    assert.ok(idle.length > 0, `nobody used all of the shared services, so some of them is idle: ${JSON.stringify(report.rows)}`);
    const marked = page.getByTestId('spend-table').locator('tbody tr[data-idle]');
    await marked.first().waitFor();
    assert.equal(await marked.count(), idle.length);
    for (const r of idle) assert.match(await page.getByTestId('spend-table').locator(`tbody tr[data-key="${r.key}"]`).innerText(), /idle/i);
    await page.getByTestId('spend-total').filter({ hasText: euros(report.total) }).waitFor();
    const shot = await browser.shot('06-spend-all-teams-idle', { fullPage: true });
    if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(shot, resolve('docs/screenshots/portal-spend.png'));
  });

  await step(t, 'at 100 % of its budget the gauge is red, the launch form says so, and a launch is refused with the policy\'s reason', async () => {
    await as('priya', '/api/v1/budgets/churn-analytics', { method: 'PUT', body: JSON.stringify({ monthly: '0', threshold: 80 }) });
    await signInToPortal(page, platform.url, await localAccount(platform, 'dana'));
    await page.getByRole('link', { name: 'Team spend' }).click();
    const gauge = page.locator('[data-testid="budget-gauge"][data-state="exceeded"]');
    await gauge.waitFor();
    assert.match(await gauge.innerText(), /Budget used up[\s\S]*of €0\.00 this month[\s\S]*New launches are refused/i);
    await browser.shot('07-spend-budget-exceeded');
    await page.goto(`${platform.url}/launch/sql-data-querying`);
    const notice = page.locator('[data-testid="budget-notice"][data-state="exceeded"]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /Churn Analytics has spent its monthly budget/);
    await page.getByRole('button', { name: 'Launch SQL Data Querying' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'The launch did not start' });
    await refused.waitFor();
    assert.match(await refused.innerText(), /budget/i);
    await browser.shot('08-launch-refused-over-budget');
    assert.deepEqual(browser.pageErrors, []);
  });
});

test('the portal formats the API\'s decimal strings exactly, never through a float', () => {
  // 2^53 + 1 is not a float; as a string it keeps every digit, and rounds half away from zero.
  assert.equal(formatMoney('9007199254740993.125', 'EUR'), '€9,007,199,254,740,993.13');
  assert.equal(formatMoney('1234.5000', 'EUR'), '€1,234.50');
  assert.equal(formatMoney('0.0000', 'EUR'), '€0.00');
  assert.equal(formatMoney('0.0042', 'EUR'), '€0.0042', 'under a cent keeps its digits');
  assert.equal(formatMoney('0.0100', 'EUR'), '€0.01');
  assert.equal(formatMoney('12.3456', 'USD'), '$12.35');
  assert.equal(formatMoney('5.00', 'EURO'), '5.00 EURO', 'a code Intl refuses still shows');
  assert.equal(formatMoney('n/a', 'EUR'), 'n/a EUR');
});

test('the spend page\'s windows: UTC months, the last 7 days with today, calendar days both included', () => {
  const now = new Date('2027-01-03T10:20:00Z');
  assert.deepEqual(spendWindow('this-month', now), { from: '2027-01-01T00:00:00.000Z' });
  assert.deepEqual(spendWindow('last-month', now), { from: '2026-12-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' });
  assert.deepEqual(spendWindow('last-7-days', now), { from: '2026-12-28T00:00:00.000Z' });
  assert.equal(spendWindow('custom', now, ['2026-11-01', null]), null, 'waits for the last day');
  assert.deepEqual(spendWindow('custom', now, ['2026-11-01', '2026-11-30']), { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
  assert.equal(windowLabel('2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z'), '1 Dec – 31 Dec 2026');
  assert.equal(windowLabel('2026-12-28T00:00:00.000Z', '2027-01-03T10:20:00.000Z'), '28 Dec 2026 – 3 Jan 2027');
  assert.equal(windowLabel('2027-01-03T00:00:00.000Z', '2027-01-03T10:20:00.000Z'), '3 Jan 2027');
});
