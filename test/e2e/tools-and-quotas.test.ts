// The tool and model registry and the quotas on the real platform: a path with a forbidden tool and
// the path that would bring a third ETL tool are refused at start, a forbidden model at the
// gateway's admission, and the launch past a team's quota with the limit and what is in use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

let platform: PlatformProcess;
const orgPaths = mkdtempSync(join(tmpdir(), 'org-paths-'));
const orgPolicies = mkdtempSync(join(tmpdir(), 'org-policies-'));

before(async () => {
  const base = readFileSync('paths/sql-data-querying.yaml', 'utf8').replace('${path.dir}/skeletons/sql-queries', `${process.cwd()}/paths/skeletons/sql-queries`);
  const withTools = (name: string, tools: string[]) => base.replace('name: sql-data-querying', `name: ${name}`).replace('  extensible: false\n', `  extensible: false\n  tools: [${tools.join(', ')}]\n`);
  writeFileSync(join(orgPaths, 'legacy-etl.yaml'), withTools('legacy-etl', ['talend-open-studio']));
  writeFileSync(join(orgPaths, 'ingest.yaml'), withTools('ingest', ['airbyte']));
  writeFileSync(join(orgPaths, 'transform.yaml'), withTools('transform', ['dbt']));
  writeFileSync(join(orgPaths, 'zz-pipelines.yaml'), withTools('zz-pipelines', ['meltano']));
  // The organisation's quotas replace the shipped file: two running environments per team.
  writeFileSync(join(orgPolicies, 'quotas.yaml'), readFileSync('policies/quotas.yaml', 'utf8').replace(/runningEnvironments: \d+/, 'runningEnvironments: 2'));
  platform = await startPlatformProcess({ args: ['--paths-dir', orgPaths], env: { GOLDPATH_POLICIES_DIR: orgPolicies } });
});
after(async () => {
  await platform?.stop();
});

const api = async (method: string, path: string) => {
  const token = (await platform.cli(['token'])).stdout.trim();
  const res = await fetch(`${platform.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() as { error?: { message: string } } & Record<string, unknown> };
};

test('a path using a tool without a support model, and the one bringing a third ETL tool, are refused at start with the policy', async () => {
  const listed = await platform.cli(['paths']);
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /ingest/);
  assert.match(listed.stdout, /transform/);
  assert.doesNotMatch(listed.stdout, /legacy-etl|zz-pipelines/);
  assert.match(listed.stderr, /not loaded: .*legacy-etl\.yaml:\d+: spec\.tools\.0: tool "talend-open-studio" .*no support model.*\(policy forbid-tools-without-support\)/);
  assert.match(listed.stderr, /not loaded: .*zz-pipelines\.yaml:\d+: spec\.tools\.0: tool "meltano" .*\(policy at-most-2-etl-tools\); etl tools other paths already use: airbyte, dbt/);
  assert.match(platform.output(), /\[paths\] .*legacy-etl\.yaml.*forbid-tools-without-support/, 'the operator sees it at start');
  const launch = await platform.cli(['launch', 'legacy-etl']);
  assert.match(launch.stderr, /no golden path named "legacy-etl".*Its file has errors: .*forbid-tools-without-support/);
});

test('the gateway\'s admission refuses a model trained on copyrighted data, with the reason', async () => {
  const refused = await api('POST', '/api/v1/models/novelist-13b/admission');
  assert.equal(refused.status, 403);
  assert.match(refused.body.error!.message, /trained on copyrighted data.*\(policy forbid-models-trained-on-copyrighted-data\)/);
  assert.equal((await api('POST', '/api/v1/models/llama-3.1-8b-instruct/admission')).status, 200);
  const models = (await api('GET', '/api/v1/models')).body.models as { id: string; allowed: boolean }[];
  assert.equal(models.find((m) => m.id === 'novelist-13b')?.allowed, false);
});

test('a launch past the team\'s quota is refused, saying which limit and what is in use', async () => {
  for (let i = 0; i < 2; i++) {
    const r = await platform.cli(['launch', 'sql-data-querying', '--json']);
    assert.equal(r.code, 0, r.stderr);
  }
  const third = await platform.cli(['launch', 'sql-data-querying']);
  assert.equal(third.code, 1);
  assert.match(third.stderr, /team \S+ runs 2 of its 2 environments \(quota runningEnvironments\); stop or delete one, or ask a platform admin to raise it in quotas\.yaml/);
  const quotas = await platform.cli(['quotas']);
  assert.equal(quotas.code, 0, quotas.stderr);
  assert.match(quotas.stdout, /runningEnvironments\s+2 of 2 environments\s+0/);
  assert.match(quotas.stdout, /warehouseConnections\s+20 of \d+ connections/);
});
