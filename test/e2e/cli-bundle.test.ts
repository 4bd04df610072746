import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildCli } from '../../scripts/build-cli.ts';

const run = promisify(execFile);
const scratch = resolve('.test-data', `cli-bundle-${process.pid}`);
// Nothing listens on port 1: every command that talks to the platform fails the same way.
const env = { ...process.env, GOLDPATH_URL: 'http://127.0.0.1:1', GOLDPATH_TOKEN: 'not-a-token', NO_COLOR: '1' };

async function goldpath(entry: string, args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--no-warnings=ExperimentalWarning', entry, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test('the bundled CLI says what the sources say, and knows it is the bundle', async () => {
  const outdir = join(scratch, 'fresh', 'cli');
  mkdirSync(dirname(outdir), { recursive: true });
  const inputs = await buildCli({ outdir });
  assert.ok(inputs > 10, `the bundle names the sources it was built from (${inputs})`);
  const bundle = join(outdir, 'goldpath.js');
  const sources = resolve('src/cli/main.ts');

  assert.match((await goldpath(bundle, ['--version'])).stdout, /^\d+\.\d+\.\d+ \(bundled \d{4}-/);
  assert.match((await goldpath(sources, ['--version'])).stdout, /\(from sources\)/);
  for (const args of [['--help'], ['envs', '--help'], ['envs'], ['catalog', 'list']]) {
    const [b, s] = [await goldpath(bundle, args), await goldpath(sources, args)];
    assert.deepEqual(b, s, `goldpath ${args.join(' ')}: the bundle answers as the sources do`);
  }
  assert.match((await goldpath(bundle, ['envs'])).stderr, /cannot reach the platform at http:\/\/127\.0\.0\.1:1/);

  // `up` stays out of the bundle (it is the whole server): the bundle imports it from the sources.
  const main = readFileSync(join(outdir, 'chunks', readdirSync(join(outdir, 'chunks')).find((f) => f.startsWith('main-'))!), 'utf8');
  const upImport = main.match(/import\("([^"]*src\/cli\/commands\/up\.ts)"\)/)?.[1];
  assert.ok(upImport, 'the bundle imports up.ts at run time');
  assert.ok(existsSync(resolve(join(outdir, 'chunks'), upImport)), `${upImport} resolves from the bundle's chunks to the source file`);
});

test('a bundle older than its sources runs the sources instead', async () => {
  const outdir = join(scratch, 'stale', 'cli');
  mkdirSync(dirname(outdir), { recursive: true });
  await buildCli({ outdir, builtAt: 0 }); // "built" before every source was last changed
  const bundle = join(outdir, 'goldpath.js');
  assert.match((await goldpath(bundle, ['--version'])).stdout, /from sources changed since the bundle was built/);
  assert.match((await goldpath(bundle, ['--help'])).stdout, /Usage: goldpath/);
});
