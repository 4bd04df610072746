import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import type { BuildView } from '../../src/domain/build/schema.ts';
import { AxeBuilder } from '@axe-core/playwright';
import { openBrowser, signInToPortal } from '../support/browser.ts';
import { localAccount, localCredentials } from '../support/local-accounts.ts';
import { outputsOf } from '../support/outputs.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { until } from '../support/wait.ts';

const run = promisify(execFile);
let platform: PlatformProcess;
let work: string;
let token: string;

before(async () => {
  platform = await startPlatformProcess();
  work = mkdtempSync(join(tmpdir(), 'gp-website-'));
  token = localCredentials(platform.home).tokens.sam; // a web developer, in the web team
});
after(async () => {
  await platform?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const api = async <T>(path: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as T };
};

/** A page of the preview, through the platform's front door, as a program reads it: with a Bearer token. */
const page = async (url: string, file = 'index.html') => {
  const res = await fetch(`${url}${file}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
};

const git = (...args: string[]) => run('git', ['-C', join(work, 'site'), '-c', 'user.name=Web Dev', '-c', 'user.email=web@example.com', ...args]);

test('a pushed change to a website is served by its preview; a broken build keeps the last good site and shows its error', async () => {
  const env = await platform.cliJson<EnvironmentView>(['--as', 'sam', 'launch', 'website', '--team', 'web', '--param', 'title=Launch Notes', '--wait']);
  assert.equal(env.status, 'ready', JSON.stringify(env.resources));
  const repo = outputsOf(env, 'repo');
  const preview = outputsOf(env, 'preview');
  assert.equal(preview.url, `${platform.url}/w/${env.id}/preview/`);
  assert.equal(preview.buildStatus, 'succeeded');
  const first = await page(String(preview.url));
  assert.equal(first.status, 200, first.text);
  assert.match(first.text, /<h1>Welcome to Launch Notes<\/h1>/);
  const unauthenticated = await fetch(`${preview.url}index.html`, { redirect: 'manual' });
  assert.ok([302, 303, 401].includes(unauthenticated.status), `without a token the preview is not served (got ${unauthenticated.status})`);

  // A developer clones with the URL as given, changes a page and pushes.
  await run('git', ['clone', '-q', String(repo.url), join(work, 'site')]);
  writeFileSync(join(work, 'site', 'pages', 'index.md'), '# Hello from a push\n\nThe preview follows `main`.\n');
  await git('commit', '-qam', 'A new home page');
  const pushedAt = Date.now();
  await git('push', '-q', 'origin', 'main');
  const pushed = (await git('rev-parse', 'HEAD')).stdout.trim();
  await until(() => page(String(preview.url)), (p) => p.text.includes('<h1>Hello from a push</h1>'), 'the preview to serve the pushed page', 15_000, 50)
    .catch((e: Error) => assert.fail(`${e.message}\nplatform output:\n${platform.output().slice(-3000)}`));
  const tookMs = Date.now() - pushedAt;
  assert.ok(tookMs < 15_000);
  const afterPush = await platform.cliJson<EnvironmentView>(['--as', 'sam', 'env', env.id]);
  assert.equal(outputsOf(afterPush, 'preview').commit, pushed, 'the preview says which commit it serves');

  // A broken build: a link to a page that does not exist.
  writeFileSync(join(work, 'site', 'pages', 'about.md'), '# About\n\nSee [the team](team.html).\n');
  await git('commit', '-qam', 'Link to a page not written yet');
  await git('push', '-q', 'origin', 'main');
  const broken = (await git('rev-parse', 'HEAD')).stdout.trim();
  const builds = await until(() => api<{ builds: BuildView[] }>(`/api/v1/environments/${env.id}/resources/preview/builds`),
    ({ body }) => body.builds[0]?.commit === broken && body.builds[0].status === 'failed', 'the broken build to be recorded as failed', 15_000, 100);
  const failed = builds.body.builds[0];
  assert.equal(failed.error, 'error: pages/about.md:3: link to team.html, but there is no page pages/team.md');
  assert.match(failed.log, /link to team\.html/);
  assert.ok((await page(String(preview.url))).text.includes('<h1>Hello from a push</h1>'), 'the last good site is still served');
  const events = await api<{ events: { type: string; message: string }[] }>(`/api/v1/environments/${env.id}/events`);
  assert.ok(events.body.events.some((e) => e.type === 'build.failed' && e.message === `preview: build failed at ${broken.slice(0, 12)}: ${failed.error}`));
  const shown = await platform.cliJson<EnvironmentView>(['--as', 'sam', 'env', env.id]);
  assert.equal(outputsOf(shown, 'preview').buildStatus, 'failed');
  assert.equal(outputsOf(shown, 'preview').commit, pushed, 'the commit served is still the last good one');

  // The environment page shows it: the error line, the version still served, and the log.
  const browser = await openBrowser('website');
  try {
    const { page: tab } = browser;
    await signInToPortal(tab, platform.url, await localAccount(platform, 'sam'));
    await tab.goto(`${platform.url}/environments/${env.id}`);
    const card = tab.locator('[data-resource="preview"] [data-build="failed"]');
    await card.waitFor();
    assert.equal(await card.locator('[data-build-error]').textContent(), failed.error);
    assert.match(await card.textContent() ?? '', new RegExp(`Still serving the last good build, ${pushed.slice(0, 12)}`));
    await card.getByRole('button', { name: 'Show the build log' }).click();
    assert.match(await card.locator('[data-build-log]').textContent() ?? '', /link to team\.html/);
    await browser.shot('failed-build');
    const axe = await new AxeBuilder({ page: tab as never }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).include('[data-resource="preview"]').analyze();
    assert.deepEqual(axe.violations.map((v) => `${v.id}: ${v.help}`), [], 'the failed build\'s card passes axe-core');
    assert.deepEqual(browser.pageErrors, []);
  } finally {
    await browser.close();
  }

  // Bad input is a clear 4xx.
  const missing = await api<{ error: { message: string } }>(`/api/v1/environments/${env.id}/resources/nope/builds`);
  assert.equal(missing.status, 404);
  assert.match(missing.body.error.message, /no resource "nope"; it has repo, ide, preview/);

  // Deleting the environment leaves no build folder behind.
  assert.equal((await platform.cli(['--as', 'sam', 'delete', env.id, '--wait'])).code, 0);
  assert.throws(() => readFileSync(join(platform.home, 'envs', env.id, 'preview', 'last.json')));
});
