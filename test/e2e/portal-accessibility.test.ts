// Every page of the portal, checked by axe-core (the accessibility engine browsers' own tools use)
// in real headless Chromium against a real `goldpath up`, at 1280 px and on a phone's 390 px, in
// light and in dark mode (the portal follows the system's): no violation of WCAG 2.1 A/AA, colour
// contrast included. The search dialog and the notification panel are checked open.
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
  { path: `/environments/${env.id}/sql`, ready: (p: Page) => p.locator('[data-relation]').first() },
  { path: '/datasets/masked/customers', ready: (p: Page) => p.getByTestId('preview-rows') },
  { path: '/catalog', ready: (p: Page) => p.locator('[data-facet]').first() },
  { path: '/approvals', ready: (p: Page) => p.getByRole('heading').first() },
  { path: '/audit', ready: (p: Page) => p.getByTestId('audit-table') },
  { path: '/policies', ready: (p: Page) => p.getByRole('heading').first() },
  { path: '/spend', ready: (p: Page) => p.getByRole('heading').first() },
  { path: '/settings', ready: (p: Page) => p.locator('[data-token]').first() },
  { path: '/no-such-page', ready: (p: Page) => p.getByRole('heading').first() },
];

async function violations(label: string): Promise<string[]> {
  await page.waitForTimeout(300); // let transitions (skeletons, fades) settle before colours are read
  const result = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.map((v) => `${label}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join(' | ')}`);
}

test('the sign-in page passes axe-core\'s WCAG 2.1 AA checks', async () => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(platform.url + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const found = await violations('sign-in @1280');
  await signInToPortal(page, platform.url, await localAccount(platform, 'priya'));
  assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
});

// One test per colour scheme and width, so that each stays well within the test timeout.
for (const scheme of ['light', 'dark'] as const) {
  for (const width of [1280, 390]) {
    test(`every page passes axe-core's WCAG 2.1 AA checks at ${width} px, ${scheme}`, async () => {
      const found: string[] = [];
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      for (const p of pages()) {
        await page.goto(platform.url + p.path);
        await p.ready(page).waitFor({ timeout: 30_000 }).catch(async (e: Error) => {
          await browser.shot(`not-ready-${scheme}-${width}${p.path.replace(/\W+/g, '-')}`);
          throw new Error(`${p.path} at ${width} px (${scheme}) did not finish loading: ${e.message}`);
        });
        assert.equal(await page.locator('html').getAttribute('data-mantine-color-scheme'), scheme, 'the portal follows the system');
        found.push(...(await violations(`${p.path} @${width} ${scheme}`)));
      }
      if (width === 1280) {
        await page.keyboard.press('Control+K');
        await page.getByRole('combobox', { name: /Search paths/ }).fill('data');
        await page.getByRole('option').first().waitFor();
        found.push(...(await violations(`search dialog @${width} ${scheme}`)));
        await page.keyboard.press('Escape');
        await page.getByTestId('notices-bell').click();
        await page.getByTestId('notices-menu').waitFor();
        found.push(...(await violations(`notifications @${width} ${scheme}`)));
        await page.keyboard.press('Escape');
      }
      assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
    });
  }
}
