import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with nothing that reaches for the network on its own. */
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page, which a test expects to stay empty. */
  pageErrors: string[];
  /** A screenshot into the run's artifacts folder (git-ignored), to be looked at. */
  shot: (name: string, opts?: { fullPage?: boolean }) => Promise<string>;
  artifacts: string;
  close: () => Promise<void>;
}

/** A fresh Chromium profile at 1280×800; builds the portal first when a developer runs one file alone. */
export async function openBrowser(artifactsName: string): Promise<Browser> {
  if (!existsSync(resolve('portal/dist/index.html'))) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  const artifacts = resolve('test-artifacts', artifactsName);
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'goldpath-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', args: chromiumArgs, viewport: { width: 1280, height: 800 } });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  return {
    context,
    page,
    pageErrors,
    artifacts,
    shot: async (name, opts = {}) => {
      const file = join(artifacts, `${name}.png`);
      await page.mouse.move(0, 0);
      await page.screenshot({ path: file, fullPage: opts.fullPage ?? false, animations: 'disabled' });
      return file;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

type StepContext = { diagnostic: (m: string) => void };
type Parent = { test: (name: string, fn: (tt: StepContext & { skip: (m: string) => void }) => Promise<void>) => Promise<unknown> };

/**
 * Steps of one story: after a failure the page is screenshotted and the later steps are skipped,
 * since each builds on the one before.
 */
export function storySteps(browser: () => Browser) {
  let failed = false;
  return (t: Parent, name: string, fn: (tt: StepContext) => Promise<void>) =>
    t.test(name, async (tt) => {
      if (failed) return tt.skip('an earlier step failed');
      try {
        await fn(tt);
      } catch (e) {
        failed = true;
        const b = browser();
        await b.page.screenshot({ path: join(b.artifacts, `failed-${name.replace(/\W+/g, '-').slice(0, 40)}.png`) }).catch(() => undefined);
        throw e;
      }
    });
}

/** Signs the portal in as this local account, signing out whoever was signed in first. */
export async function signInToPortal(page: Page, portalUrl: string, account: { id: string; name: string; password: string }): Promise<void> {
  if (await page.getByTestId('user-menu').isVisible().catch(() => false)) {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
  }
  await page.goto(portalUrl + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('textbox', { name: 'User name or e-mail' }).fill(account.id);
  await page.getByRole('textbox', { name: 'Password' }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('user-menu').filter({ hasText: account.name }).waitFor();
}
