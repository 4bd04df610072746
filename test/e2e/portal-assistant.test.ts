// The assistant end to end, against a real `goldpath up`: in the portal (real headless Chromium)
// dana opens the box from the header with Ctrl-J, asks for "a data science experiment", sees what
// was understood and the proposal, confirms, and follows the new environment's link; on the CLI,
// `goldpath ask` proposes without acting, and asks back when a request is unclear.
// Screenshots go to test-artifacts/portal-assistant/ (git-ignored).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { openBrowser, storySteps, signInToPortal, type Browser } from '../support/browser.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localAccount } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let browser: Browser;
let page: Page;

before(async () => {
  platform = await startPlatformProcess();
  browser = await openBrowser('portal-assistant');
  ({ page } = browser);
});

after(async () => {
  await browser?.close();
  await platform?.stop();
});

const step = storySteps(() => browser);

test('from any page, a sentence becomes a proposal; confirmed, it launches and links to the environment', async (t) => {
  await step(t, 'the box opens from the header with Ctrl-J and shows what it understood and proposes', async () => {
    await signInToPortal(page, platform.url, await localAccount(platform, 'dana'));
    await page.goto(`${platform.url}/catalog`);
    await page.getByTestId('assistant-button').waitFor();
    await page.keyboard.press('Control+J');
    const input = page.getByTestId('assistant-input');
    await input.fill('launch a data science experiment');
    await input.press('Enter');
    const understood = page.getByTestId('assistant-understood');
    await understood.waitFor();
    assert.equal(await understood.getAttribute('data-intent'), 'launch');
    assert.match(await understood.innerText(), /path: data-science-experimentation/);
    const proposal = page.getByTestId('assistant-proposal');
    assert.match(await proposal.innerText(), /launch_environment[\s\S]*"path": "data-science-experimentation"/);
    assert.match(await page.getByTestId('assistant-says').innerText(), /I will launch Data Science Experimentation .*churn-analytics.*Confirm/);
    await browser.shot('01-proposal');
  });

  await step(t, 'the box with a proposal passes axe-core\'s WCAG 2.1 AA checks, light at 1280 px and dark at 390 px', async () => {
    const found: string[] = [];
    // Light at desktop width and dark on a phone: both schemes and both layouts, in two runs of axe.
    for (const [scheme, width] of [['light', 1280], ['dark', 390]] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      {
        await page.setViewportSize({ width, height: 900 });
        await page.waitForTimeout(300); // let the modal's transition settle before colours are read
        const result = await new AxeBuilder({ page: page as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        found.push(...result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${scheme} @${width}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
      }
    }
    await browser.shot('01b-proposal-dark-390');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    assert.deepEqual(found, [], `accessibility violations:\n${found.join('\n')}`);
  });

  await step(t, 'confirming launches it; the link opens the environment\'s page', async () => {
    await page.getByTestId('assistant-confirm').click();
    const link = page.getByTestId('assistant-link');
    await link.waitFor();
    assert.match(await page.getByTestId('assistant-says').innerText(), /^Launched /);
    await browser.shot('02-launched');
    await link.click();
    await page.waitForURL(/\/environments\/e[a-z0-9]{9}$/);
    const id = page.url().split('/').pop()!;
    const envs = await platform.cliJson<{ id: string; path: string }[]>(['--as', 'dana', 'envs', '--mine']);
    assert.ok(envs.some((e) => e.id === id && e.path === 'data-science-experimentation'), `${id} is one of dana's environments`);
    assert.deepEqual(browser.pageErrors, []);
  });

  await step(t, 'on a phone the header keeps its account menu, and a floating button opens the box', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${platform.url}/`);
    const fab = page.getByTestId('assistant-fab');
    await fab.waitFor();
    const menu = await page.getByTestId('user-menu').boundingBox();
    // Its avatar (34 px) shows whole: the Ask button is not in a phone's header.
    assert.ok(menu && menu.x + 34 <= 390, `the account menu shows in the header: ${JSON.stringify(menu)}`);
    assert.equal(await page.getByTestId('assistant-button').isVisible(), false);
    await fab.click();
    await page.getByTestId('assistant-input').waitFor();
    await browser.shot('03-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

test('goldpath ask proposes without acting, confirms with --yes, and asks back when unclear', async () => {
  const before = await platform.cliJson<unknown[]>(['--as', 'dana', 'envs', '--mine']);
  const proposed = await platform.cli(['--as', 'dana', 'ask', 'create', 'a', 'website', 'called', 'team-news']);
  assert.equal(proposed.code, 0, proposed.stderr);
  assert.match(proposed.stdout, /understood: launch path=website name=team-news/);
  assert.match(proposed.stdout, /Nothing done: run again with --yes/);
  assert.equal((await platform.cliJson<unknown[]>(['--as', 'dana', 'envs', '--mine'])).length, before.length, 'nothing was launched');

  const done = await platform.cliJson<{ result: { environment: { name: string; path: string } } }>(['--as', 'dana', 'ask', '--yes', 'create a website called team-news']);
  assert.equal(done.result.environment.name, 'team-news');
  assert.equal(done.result.environment.path, 'website');

  const unclear = await platform.cli(['--as', 'dana', 'ask', 'delete', 'all', 'of', 'them']);
  assert.equal(unclear.code, 2, 'a question left unanswered is not success');
  assert.match(unclear.stdout, /one environment at a time[\s\S]*1\. /);
  const docs = await platform.cli(['--as', 'dana', 'ask', 'show me how to create a website']);
  assert.match(docs.stdout, /How to use Website[\s\S]*What you get/);
});
