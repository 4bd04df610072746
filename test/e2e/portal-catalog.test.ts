// The portal's catalog and approvals in real headless Chromium against a real `goldpath up`:
// search the catalog, open a dataset's data dictionary and a model's card; then governed data:
// dana launches "Data Science with Customer Data" with a reason, ravi (churn-analytics) and olu
// (payments) approve it in their inboxes, and the environment becomes ready. Screenshots go to
// test-artifacts/portal-catalog/ (git-ignored); UPDATE_SCREENSHOTS=1 refreshes docs/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Page } from 'playwright-core';
import { openBrowser, storySteps, type Browser, signInToPortal } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount, type LocalAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let artifacts: string;
let accounts: LocalAccount[] = [];

const shot = (name: string, opts: { fullPage?: boolean } = {}) => browser.shot(name, opts);

async function api<T>(path: string, init: { token: string; method?: string; body?: unknown }): Promise<{ status: number; body: T }> {
  const res = await fetch(platform.url + path, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token}`, 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as T };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
}

/**
 * The catalog fixtures (Backstage kinds, a model, a feature view, a data product…), minus what the
 * running platform registers itself (teams, users, warehouse datasets, golden paths): those belong
 * to the platform's own sources, which alone may change them.
 */
async function importFixtures(token: string): Promise<number> {
  const entities: { kind: string; metadata: { name: string; namespace?: string } }[] = [];
  for (const dir of ['src/engine/catalog/fixtures/goldpath', 'src/engine/catalog/fixtures/backstage'])
    for (const file of yamlFiles(resolve(dir)))
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        const e = doc.toJSON() as (typeof entities)[number] | null;
        if (e?.kind && e.kind !== 'Location') entities.push(e);
      }
  const fresh = [];
  for (const e of entities) {
    const r = await api(`/api/v1/catalog/entities/by-ref/${e.kind}/${e.metadata.namespace ?? 'default'}/${e.metadata.name}`, { token });
    if (r.status === 404) fresh.push(e);
  }
  const r = await api<{ written: number }>('/api/v1/catalog/entities', { token, method: 'POST', body: { entities: fresh, source: 'portal-e2e', replace: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.written;
}

async function signIn(userId: string) {
  const me = accounts.find((a) => a.id === userId)!;
  assert.ok(me, `${userId} is a local account`);
  await signInToPortal(page, platform.url, me);
}

const token = () => page.evaluate(() => localStorage.getItem('goldpath.token') ?? '');

before(async () => {
  platform = await startPlatformProcess();
  accounts = await Promise.all(['dana', 'ravi', 'mei', 'olu', 'sam', 'priya'].map((id) => localAccount(platform, id)));
  browser = await openBrowser('portal-catalog');
  ({ page, artifacts } = browser);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);

test('the catalog: instant search, facets, a dataset with its data dictionary, a model card, relations', async (t) => {
  await step(t, 'sign in and import the catalog fixtures', async (tt) => {
    await signIn('dana');
    // The fixtures belong to many teams: a platform admin registers them (dana may only register her team's).
    const written = await importFixtures((await platform.cliJson<{ token: string }>(['--as', 'priya', 'token'])).token);
    tt.diagnostic(`${written} fixture entities imported`);
    assert.ok(written >= 10);
  });

  await step(t, 'search is instant and ranked; facets count by kind, owner and tag', async () => {
    await page.locator('nav').getByRole('link', { name: 'Catalog' }).click();
    await page.getByRole('heading', { name: 'Catalog' }).waitFor();
    await page.locator('[data-facet="kind"]').getByText('Dataset').waitFor();
    await page.locator('[data-facet="owner"]').waitFor();
    await page.locator('[data-facet="tag"]').waitFor();
    await shot('01-catalog');
    await page.getByLabel('Search the catalog').fill('customers');
    // Ranked by the API: the entity named exactly "customers" comes first.
    await page.waitForFunction(() => document.querySelector('[data-entity]')?.getAttribute('data-entity') === 'dataset:default/customers');
    assert.match(page.url(), /\?q=customers/);
    await page.getByTestId('catalog-count').filter({ hasText: 'for “customers”' }).waitFor();
    await shot('02-catalog-search');
    // A kind facet narrows the results; the other kinds stay pickable with their counts.
    await page.locator('[data-facet="kind"]').getByText('Data product').click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-entity]')].every((e) => e.getAttribute('data-entity')!.startsWith('dataproduct:')));
    await page.locator('[data-facet="kind"]').getByText('Data product').click();
    await page.waitForFunction(() => document.querySelector('[data-entity]')?.getAttribute('data-entity') === 'dataset:default/customers');
  });

  await step(t, 'a dataset page shows its data dictionary: columns, types, classification badges, who sees each column', async () => {
    await page.locator('[data-entity="dataset:default/customers"]').getByRole('link').first().click();
    await page.getByTestId('data-dictionary').waitFor();
    for (const col of ['customer_id', 'email', 'date_of_birth', 'churned']) await page.locator(`[data-column="${col}"]`).waitFor();
    assert.match(await page.locator('[data-column="email"]').innerText(), /text/);
    await page.locator('[data-column="email"] [data-classification="pii.email"]').waitFor();
    await page.locator('[data-column="email"] [data-visible-to="masked"]').waitFor();
    assert.match(await page.locator('[data-column="email"] [data-visible-to="masked"]').innerText(), /hash/);
    await page.getByTestId('relation-graph').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('03-dataset');
    await shot('03b-dataset-full', { fullPage: true });
  });

  await step(t, 'the relation graph leads to the model, whose card charts its metrics by version', async () => {
    await page.locator('[data-node="model:default/churn-model"]').click();
    await page.getByRole('heading', { name: 'Churn model' }).waitFor();
    await page.getByTestId('model-card').waitFor();
    await page.getByText('Rank retail customers for retention offers.').waitFor();
    await page.getByText(/Not for credit decisions/).waitFor();
    await page.locator('[data-testid="metrics-chart"] [data-metric="auc"] svg.recharts-surface').waitFor();
    await page.locator('[data-version="2"]').getByText('production').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('04-model');
    await shot('04b-model-full', { fullPage: true });
  });

  await step(t, 'golden path and environment entities link to their pages in the portal', async () => {
    await page.goto(platform.url + '/catalog/goldenpath/default/data-science-experimentation');
    await page.getByRole('link', { name: 'Launch this golden path' }).click();
    await page.waitForURL(/\/launch\/data-science-experimentation$/);
    await page.goto(platform.url + '/catalog/component/default/payments-service');
    await page.getByTestId('relation-graph').waitFor();
    await shot('05-component');
    await page.goto(platform.url + '/catalog/dataset/default/no-such-thing');
    await page.getByText(/There is no dataset “no-such-thing”/).waitFor();
  });

  assert.deepEqual(browser.pageErrors, [], 'no uncaught errors in the page');
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(resolve('docs/screenshots'), { recursive: true });
    copyFileSync(join(artifacts, '03-dataset.png'), resolve('docs/screenshots/portal-catalog-dataset.png'));
  }
});

test('governed data: dana asks with a reason, ravi and olu approve in their inboxes, the environment becomes ready', async (t) => {
  let envId = '';

  await step(t, 'the launch form asks why, and the launch ends on the environment page awaiting approval', async () => {
    await signIn('dana');
    await page.goto(platform.url + '/launch/data-science-customer-data');
    const submit = page.getByRole('button', { name: 'Request access and launch' });
    await submit.waitFor();
    await page.getByText('The data owners approve this first').waitFor();
    await submit.click();
    // The reason is required: said beside the field, nothing is sent.
    await page.locator('#launch_reason').waitFor();
    await page.getByText('is required').first().waitFor();
    await page.locator('#launch_reason').scrollIntoViewIfNeeded();
    await shot('10-launch-reason-required');
    await page.locator('#launch_reason').fill('Churn model for the Q3 retention campaign: I need real tenure and segments for two weeks.');
    await submit.click();
    await page.waitForURL(/\/environments\/e[a-z0-9]{9}$/, { timeout: 30_000 });
    envId = page.url().split('/').pop()!;
    await page.getByTestId('awaiting-approval').filter({ hasText: /Awaiting approval from churn-analytics and payments/ }).waitFor();
    await page.locator('[data-status="awaiting-approval"]').first().waitFor();
    await page.getByTestId('environment-approvals').waitFor();
    await shot('11-environment-awaiting-approval');
  });

  await step(t, "dana's own team sees the request but she cannot approve it herself", async () => {
    await page.locator('nav').getByRole('link', { name: 'Approvals' }).click();
    const card = page.locator(`[data-environment="${envId}"]`);
    await card.waitFor();
    assert.ok(await card.getByRole('button', { name: 'Approve' }).isDisabled(), 'the requester cannot approve');
    await page.getByRole('tab', { name: 'My requests' }).click();
    await page.locator(`[data-environment="${envId}"]`).first().waitFor();
    assert.equal(await page.locator(`[data-environment="${envId}"]`).count(), 2, 'one request per owning team');
    await shot('12-my-requests-pending');
  });

  for (const [approver, team] of [
    ['ravi', 'churn-analytics'],
    ['olu', 'payments'],
  ] as const) {
    await step(t, `${approver} approves for ${team} in the inbox, with a reason`, async () => {
      await signIn(approver);
      await page.getByTestId('approvals-badge').waitFor();
      assert.equal((await page.getByTestId('approvals-badge').innerText()).trim(), '1');
      await page.locator('nav').getByRole('link', { name: /Approvals/ }).click();
      const card = page.locator(`[data-environment="${envId}"]`);
      await card.waitFor();
      assert.match(await card.innerText(), /Dana Whitfield asks/, 'the requester by display name');
      assert.match(await card.innerText(), /Q3 retention campaign/);
      if (approver === 'ravi') await shot('13-inbox');
      await card.getByRole('button', { name: 'Approve' }).click();
      const dialog = page.getByRole('dialog');
      // The reason is required here too.
      await dialog.getByRole('button', { name: 'Approve access' }).click();
      await dialog.getByText('a reason is required').waitFor();
      if (approver === 'ravi') await shot('14-approve-modal');
      await dialog.getByRole('textbox').fill(`Agreed with ${team}: the retention campaign is approved for Q3.`);
      await dialog.getByRole('button', { name: 'Approve access' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText('Nothing waits for your team').waitFor();
      await page.getByTestId('approvals-badge').waitFor({ state: 'detached' });
      await page.getByRole('tab', { name: /Decided by/ }).click();
      await page.locator(`[data-environment="${envId}"] [data-approval-status="approved"]`).waitFor();
    });
  }

  await step(t, 'an approval cannot be decided twice, and the API says why', async () => {
    const pendingOrNot = await api<{ approvals: { id: string; environment: string }[] }>('/api/v1/approvals?mine=false', { token: await token() });
    const mine = pendingOrNot.body.approvals.find((a) => a.environment === envId)!;
    const again = await api<{ error: { code: string } }>(`/api/v1/approvals/${mine.id}/approve`, { token: await token(), method: 'POST', body: { reason: 'again' } });
    assert.equal(again.status, 409);
  });

  await step(t, 'the environment becomes ready, and dana sees who approved, when and why', async () => {
    await signIn('dana');
    await page.goto(`${platform.url}/environments/${envId}`);
    await page.locator('h1 + [data-status="ready"], [data-status="ready"]').first().waitFor({ timeout: 60_000 });
    const env = await platform.cliJson<{ status: string }>(['env', envId]);
    assert.equal(env.status, 'ready');
    const approvals = page.getByTestId('environment-approvals');
    await approvals.getByText('Approved by ravi').waitFor();
    await approvals.getByText('Approved by olu').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('15-environment-approved');
    await shot('15b-environment-approved-full', { fullPage: true });
    await page.goto(`${platform.url}/approvals?tab=mine`);
    await page.locator(`[data-environment="${envId}"] [data-approval-status="approved"]`).first().waitFor();
    await shot('16-my-requests-history');
  });

  await step(t, 'clean up: delete the environment', async () => {
    const r = await platform.cli(['delete', envId, '--wait']);
    assert.equal(r.code, 0, r.stderr);
  });

  assert.deepEqual(browser.pageErrors, [], 'no uncaught errors in the page');
});
