// Every page of the portal, checked by axe-core (the accessibility engine browsers' own tools use)
// in real headless Chromium against a real `goldpath up`, at 1280 px and on a phone's 390 px: no
// violation of WCAG 2.1 A/AA, colour contrast included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { openBrowser, signInToPortal, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;
let env: EnvironmentView;

before(async () => {
  platform = await startPlatformProcess();
  browser = await openBrowser('portal-accessibility');
  ({ page } = browser);
  env = await platform.cliJson<EnvironmentView>(['--as', 'priya', 'launch', 'sql-data-querying', '--name', 'checked', '--wait']);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

/** Each page, and what shows it has finished loading. */
const pages = () => [
  { path: '/', ready: (p: Page) => p.getByRole('heading', { name: 'Data Science Experimentation' }).first() },
  { path: '/launch/data-science-experimentation', ready: (p: Page) => p.locator('form button[type="submit"]').first() },
  { path: '/environments', ready: (p: Page) => p.getByText('checked').first() },
  { path: `/environments/${env.id}`, ready: (p: Page) => p.locator('[data-status="ready"]').first() },
  { path: '/catalog', ready: (p: Page) => p.locator('[data-facet]').first() },
  { path: '/approvals', ready: (p: Page) => p.getByRole('heading').first() },
  { path: '/audit', ready: (p: Page) => p.getByTestId('audit-table') },
  { path: '/policies', ready: (p: Page) => p.getByRole('heading').first() },
  { path: '/spend', ready: (p: Page) => p.getByRole('heading').first() },
  { path: '/no-such-page', ready: (p: Page) => p.getByRole('heading').first() },
];

async function violations(label: string): Promise<string[]> {
  await page.waitForTimeout(300); // let transitions (skeletons, fades) settle before colours are read
  const result = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
}

test('every page passes axe-core\'s WCAG 2.1 AA checks at 1280 px and at 390 px, signed out and signed in', async () => {
  const found: string[] = [];
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    if (width === 1280) {
      await page.goto(platform.url + '/');
      await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      found.push(...(await violations(`sign-in @${width}`)));
      await signInToPortal(page, platform.url, await localAccount(platform, 'priya'));
    }
    for (const p of pages()) {
      await page.goto(platform.url + p.path);
      await p.ready(page).waitFor({ timeout: 30_000 }).catch(async (e: Error) => {
        await browser.shot(`not-ready-${width}${p.path.replace(/\W+/g, '-')}`);
        throw new Error(`${p.path} at ${width} px did not finish loading: ${e.message}`);
      });
      found.push(...(await violations(`${p.path} @${width}`)));
    }
  }
  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
});
