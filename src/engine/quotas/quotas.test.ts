import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../../../test/support/database.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { GoldenPath } from '../../domain/golden-path/schema.ts';
import { PlatformError } from '../errors.ts';
import { formatFileError } from '../tools/yaml-schema.ts';
import { checkQuota, parseQuotaFile, QuotaFileError, TeamQuotas } from './quotas.ts';

let pool: pg.Pool;
before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('quota'), max: 2 });
  await migrate(pool);
  await pool.query(`INSERT INTO teams (id, title) VALUES ('churn-analytics', 'Churn'), ('web', 'Web')`);
  await pool.query(`INSERT INTO users (id, name, email, team_id) VALUES ('dana', 'Dana', 'dana@example.org', 'churn-analytics'), ('wes', 'Wes', 'wes@example.org', 'web')`);
});
after(() => pool.end());

const quotasFile = `version: 1
defaults:
  runningEnvironments: 2
  notebooks: 1
  warehouseConnections: 20
  storageMb: 1
teams:
  web:
    runningEnvironments: 10
`;

function setUp(text = quotasFile) {
  const policies = mkdtempSync(join(tmpdir(), 'gp-quota-policies-'));
  writeFileSync(join(policies, 'quotas.yaml'), text);
  const storage = { reposDir: mkdtempSync(join(tmpdir(), 'gp-repos-')), bucketsDir: mkdtempSync(join(tmpdir(), 'gp-buckets-')) };
  return { quotas: new TeamQuotas({ policyDirs: [policies], storage }), storage, policies };
}

const pathOf = (name: string, types: string[]) => GoldenPath.parse({
  apiVersion: 'goldpath.dev/v1', kind: 'GoldenPath',
  metadata: { name, title: name, description: 'test', owner: 'platform', audience: 'data' },
  spec: { extensible: false, dataClass: 'synthetic', resources: Object.fromEntries(types.map((t, i) => [`r${i}`, { type: t }])) },
});
const notebookPath = pathOf('data-science-experimentation', ['git-repo', 'warehouse', 'bucket', 'notebook']);
const repoPath = pathOf('repo-only', ['git-repo']);

let n = 0;
/** An environment of the team as the repository leaves it, with resources of the given types and state. */
async function environment(team: string, opts: { status?: string; desired?: string; resources?: { type: string; state?: object; status?: string }[] } = {}) {
  const id = `e${String(++n).padStart(9, '0')}`;
  await pool.query(`INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ($1, $1, 'p', '1', $2, $3, $4, $5)`,
    [id, team, team === 'web' ? 'wes' : 'dana', opts.status ?? 'ready', opts.desired ?? 'ready']);
  for (const [i, r] of (opts.resources ?? []).entries()) {
    await pool.query(`INSERT INTO resources (environment_id, id, type, wave, status, state) VALUES ($1, $2, $3, 0, $4, $5)`, [id, `r${i}`, r.type, r.status ?? 'ready', r.state ?? {}]);
  }
  return id;
}

const refusal = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof PlatformError && e.status === 409 && e.code === 'quota_exceeded', String(e));
    return e.message;
  }
  assert.fail('the launch was not refused');
};

test('running environments: stopped, deleted and failed ones do not count; the launch past the limit is refused with what is in use', async () => {
  const { quotas } = setUp();
  await environment('churn-analytics', { status: 'stopped', desired: 'stopped' });
  await environment('churn-analytics', { status: 'deleted', desired: 'deleted' });
  await environment('churn-analytics', { status: 'failed' });
  await environment('churn-analytics', { status: 'awaiting-approval' });
  await checkQuota(pool, { team: 'churn-analytics', path: repoPath }, quotas);
  await environment('churn-analytics', { status: 'provisioning' });
  assert.equal(await refusal(checkQuota(pool, { team: 'churn-analytics', path: repoPath }, quotas)),
    'team churn-analytics runs 2 of its 2 environments (quota runningEnvironments); stop or delete one, or ask a platform admin to raise it in quotas.yaml');
  const web = await checkQuota(pool, { team: 'web', path: repoPath }, quotas);
  assert.equal(web.limits.runningEnvironments, 10, 'a team\'s own limit replaces the default');
  assert.equal(web.limits.notebooks, 1, 'and the others stay the defaults');
  await pool.query(`UPDATE environments SET desired = 'stopped', status = 'stopped' WHERE team_id = 'churn-analytics'`);
});

test('notebooks and warehouse connections count what the path would add', async () => {
  const { quotas } = setUp(quotasFile.replace('runningEnvironments: 10', 'runningEnvironments: 10\n    warehouseConnections: 10'));
  await environment('web', { resources: [{ type: 'notebook' }] });
  assert.equal(await refusal(checkQuota(pool, { team: 'web', path: notebookPath }, quotas)),
    'team web runs 1 of its 1 notebook (quota notebooks); data-science-experimentation needs 1 notebook more; stop or delete an environment with a notebook, or ask a platform admin to raise it in quotas.yaml');
  await pool.query(`UPDATE environments SET desired = 'stopped', status = 'stopped' WHERE team_id = 'web'`);
  await environment('web', { status: 'stopped', desired: 'stopped', resources: [{ type: 'warehouse' }] }); // a stopped environment keeps its grant
  assert.equal(await refusal(checkQuota(pool, { team: 'web', path: notebookPath }, quotas)),
    'team web is granted 10 of its 10 warehouse connections (quota warehouseConnections); data-science-experimentation needs 10 warehouse connections more; delete an environment with a warehouse grant, or ask a platform admin to raise it in quotas.yaml');
  assert.equal((await quotas.usage(pool, 'web')).notebooks, 0, 'a stopped environment runs no notebook');
});

test('storage is what the team\'s repositories and buckets take on disk', async () => {
  const { quotas, storage } = setUp(quotasFile.replace('storageMb: 1', 'storageMb: 2'));
  const repo = 'e-store-repo';
  mkdirSync(join(storage.reposDir, `${repo}.git`));
  writeFileSync(join(storage.reposDir, `${repo}.git`, 'pack'), Buffer.alloc(1024 * 1024, 1));
  mkdirSync(join(storage.bucketsDir, 'e-store-bucket'));
  writeFileSync(join(storage.bucketsDir, 'e-store-bucket', 'model.bin'), Buffer.alloc(1024 * 1024, 2));
  await environment('web', { status: 'stopped', desired: 'stopped', resources: [{ type: 'git-repo', state: { repo } }, { type: 'bucket', state: { bucket: 'e-store-bucket' } }] });
  const usage = await quotas.usage(pool, 'web');
  assert.ok(usage.storageMb >= 2 && usage.storageMb <= 3, `2 MB on disk, measured ${usage.storageMb}`);
  assert.match(await refusal(checkQuota(pool, { team: 'web', path: repoPath }, quotas)), /^team web stores [23] of its 2 MB of storage \(quota storageMb\); delete an environment or large files/);
  assert.equal((await quotas.usage(pool, 'churn-analytics')).storageMb, 0, 'another team\'s files are not counted');
});

test('a quota file with a mistake is refused with the line; edits apply at the next check', async () => {
  const r = parseQuotaFile(quotasFile.replace('notebooks: 1', 'notebooks: lots'), 'quotas.yaml');
  assert.ok('errors' in r);
  assert.equal(formatFileError(r.errors[0]), 'quotas.yaml:4: defaults.notebooks: must be a whole number of notebooks');
  const unknown = parseQuotaFile(quotasFile.replace('    runningEnvironments: 10', '    gpus: 2'), 'quotas.yaml');
  assert.ok('errors' in unknown);
  assert.equal(formatFileError(unknown.errors[0]), 'quotas.yaml:9: teams.web: unknown field "gpus"');
  const { quotas, policies } = setUp();
  assert.equal(quotas.limits('web').runningEnvironments, 10);
  writeFileSync(join(policies, 'quotas.yaml'), quotasFile.replace('runningEnvironments: 10', 'runningEnvironments: 3'));
  assert.equal(quotas.limits('web').runningEnvironments, 3);
  writeFileSync(join(policies, 'quotas.yaml'), 'version: 1\n');
  assert.throws(() => quotas.limits('web'), (e: unknown) => e instanceof QuotaFileError && /quotas\.yaml:1: defaults: is required/.test(e.message));
});

test('the shipped quota file is valid', () => {
  const quotas = new TeamQuotas({ policyDirs: [fileURLToPath(new URL('../../../policies/', import.meta.url))] });
  quotas.validate();
  assert.ok(quotas.limits('churn-analytics').notebooks > quotas.limits('web').notebooks);
});

test('two launches of one team in their transactions take turns: the second sees the first', async () => {
  const { quotas } = setUp(quotasFile.replace('runningEnvironments: 10', 'runningEnvironments: 100'));
  await pool.query(`UPDATE environments SET desired = 'stopped', status = 'stopped' WHERE team_id = 'churn-analytics'`);
  await environment('churn-analytics');
  const launch = async (hold: Promise<void>) => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await checkQuota(c, { team: 'churn-analytics', path: repoPath }, quotas);
      await hold;
      await c.query(`INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ($1, $1, 'p', '1', 'churn-analytics', 'dana', 'requested', 'ready')`, [`e${String(++n).padStart(9, '0')}`]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  };
  let release!: () => void;
  const first = launch(new Promise((r) => (release = r)));
  await new Promise((r) => setTimeout(r, 100));
  const second = launch(Promise.resolve());
  await new Promise((r) => setTimeout(r, 100));
  release();
  const results = await Promise.allSettled([first, second]);
  assert.equal(results[0].status, 'fulfilled');
  assert.equal(results[1].status, 'rejected', 'the second launch waited for the first and saw it');
  assert.match(String((results[1] as PromiseRejectedResult).reason.message), /runs 2 of its 2 environments/);
});
