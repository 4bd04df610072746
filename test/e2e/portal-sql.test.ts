// The SQL console and the dataset pages in real headless Chromium against a real `goldpath up`:
// dana launches SQL Data Querying (masked data), opens its SQL console from the environment page,
// runs a query and sees masked values, has a write refused, exports CSV and saves a query (which
// lands in the environment's repository); then a dataset page from the catalog shows statistics and
// a synthetic preview, and her own grant's masked rows. Screenshots go to test-artifacts/portal-sql/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { openBrowser, signInToPortal, storySteps, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let env: EnvironmentView;

before(async () => {
  platform = await startPlatformProcess();
  env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'segments', '--wait']);
  browser = await openBrowser('portal-sql');
  ({ page } = browser);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);
const shot = (name: string) => browser.shot(name);

async function runInConsole(sql: string): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'SQL' });
  await editor.fill(sql);
  await editor.press('Control+Enter');
}

test('the SQL console runs as the environment\'s grant, read-only; a dataset page previews what the viewer may see', async (t) => {
  assert.equal(env.status, 'ready');

  await step(t, 'the environment page points to the SQL console, which lists what the grant reads', async () => {
    await signInToPortal(page, platform.url, await localAccount(platform, 'dana'));
    await page.goto(`${platform.url}/environments/${env.id}`);
    await page.getByTestId('sql-console-link').waitFor();
    await page.getByRole('link', { name: 'Open SQL console' }).click();
    await page.getByRole('heading', { name: 'SQL console' }).waitFor();
    await page.locator('[data-relation="masked.customers"]').waitFor();
    assert.equal(await page.locator('[data-relation^="sensitive."]').count(), 0, 'the raw tables are not listed');
  });

  await step(t, 'a query on the masked grant shows masked values', async () => {
    await runInConsole('SELECT full_name, email, region FROM customers ORDER BY customer_id');
    await page.getByTestId('sql-rows').waitFor();
    const summary = await page.getByTestId('sql-summary').innerText();
    assert.match(summary, /Rows 1–100, more follow/);
    const first = await page.getByTestId('sql-rows').locator('tbody tr').first().locator('td').allInnerTexts();
    assert.equal(first[0], '[redacted]');
    assert.match(first[1]!, /^[0-9a-f]{16}$/, 'e-mails are hashed');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('sql-summary').filter({ hasText: 'Rows 101–200' }).waitFor();
    await shot('01-sql-console-masked');
  });

  await step(t, 'a write is refused with a clear message', async () => {
    await runInConsole('DELETE FROM customers');
    const error = page.getByTestId('sql-error');
    await error.waitFor();
    assert.match(await error.innerText(), /The query did not run[\s\S]*read-only/);
    await runInConsole('SELECT 1; DROP TABLE customers');
    await error.filter({ hasText: 'one SQL statement at a time' }).waitFor();
    await shot('02-sql-console-refused');
  });

  await step(t, 'Export CSV downloads every row with a header', async () => {
    await page.getByRole('textbox', { name: 'SQL' }).fill('SELECT segment, count(*) AS customers FROM customers GROUP BY segment ORDER BY segment');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.equal(download.suggestedFilename(), 'segments-query.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    assert.equal(lines[0], 'segment,customers');
    assert.ok(lines.length >= 3, csv);
  });

  await step(t, 'a saved query is committed to the environment\'s repository and can be opened again', async () => {
    await page.getByRole('button', { name: 'Save query' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('customers-per-segment');
    await page.getByRole('button', { name: 'Save and commit' }).click();
    await page.getByText('Committed queries/customers-per-segment.sql').waitFor();
    // A clone over HTTP, as dana would make one, has the file on main.
    const repo = env.resources.find((r) => r.type === 'git-repo')!;
    const clone = join(mkdtempSync(join(tmpdir(), 'goldpath-sql-clone-')), 'queries');
    execFileSync('git', ['clone', '--quiet', repo.outputs.url as string, clone], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    assert.equal(readFileSync(join(clone, 'queries/customers-per-segment.sql'), 'utf8').trim(), 'SELECT segment, count(*) AS customers FROM customers GROUP BY segment ORDER BY segment');
    assert.match(execFileSync('git', ['-C', clone, 'log', '-1', '--format=%an']).toString(), /Dana Whitfield/);
    rmSync(clone, { recursive: true, force: true });
    await page.getByRole('textbox', { name: 'SQL' }).fill('');
    await page.getByTestId('saved-queries').click();
    await page.getByRole('option', { name: 'customers-per-segment' }).click();
    assert.match(await page.getByRole('textbox', { name: 'SQL' }).inputValue(), /GROUP BY segment/);
  });

  await step(t, 'a dataset page, from the catalog: statistics, a synthetic preview, and the masked rows through dana\'s grant', async () => {
    await page.goto(`${platform.url}/catalog/dataset/default/customers`);
    await page.getByTestId('dataset-page-link').click();
    await page.getByRole('heading', { name: 'customers' }).first().waitFor();
    assert.match(page.url(), /\/datasets\/masked\/customers$/);
    await page.locator('[data-testid="dataset-stats"] [data-column="segment"]').waitFor();
    await page.getByTestId('dataset-figures').filter({ hasText: /Rows\s*[\d,]+/ }).waitFor();
    await page.getByTestId('preview-rows').waitFor();
    assert.match(await page.getByTestId('dataset-preview').innerText(), /Synthetic rows/);
    await shot('03-dataset-synthetic');
    await page.getByTestId('dataset-preview').getByText('segments (masked)').click();
    await page.getByTestId('dataset-preview').filter({ hasText: 'read with the warehouse grant of segments' }).waitFor();
    assert.match(await page.getByTestId('preview-rows').locator('tbody tr').first().innerText(), /\[redacted\]/);
    await shot('04-dataset-grant');
    // The raw relation: dana has no grant that reads it, so the page offers the path that asks for one.
    await page.getByRole('link', { name: 'sensitive.customers' }).click();
    await page.getByTestId('request-access').waitFor();
    assert.match(await page.getByTestId('request-access').innerText(), /Request access/);
    await page.getByTestId('request-access').scrollIntoViewIfNeeded();
    await shot('05-dataset-request-access');
    assert.deepEqual(browser.pageErrors, []);
  });
});
