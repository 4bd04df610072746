import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { createTestDatabase } from '../../../test/support/database.ts';
import { actorFor } from '../../../test/support/policies.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { DriverRegistry, type Driver, type ProvisionInput } from '../../drivers/driver.ts';
import { cacheDeclaration } from '../../drivers/local/cache.ts';
import { databaseDeclaration } from '../../drivers/local/database.ts';
import { PlatformError } from '../errors.ts';
import { seedDemoOrganisation } from '../identity/demo-organisation.ts';
import type { User } from '../identity/users.ts';
import { PathLibrary } from '../paths/library.ts';
import { prepareJobQueue } from '../orchestrator/worker.ts';
import { reconcileEnvironment } from '../orchestrator/reconcile.ts';
import { launchEnvironment } from './launch.ts';
import { extendEnvironment } from './extend-environment.ts';
import { PgEnvironmentRepository } from './repository.ts';

let pool: pg.Pool;
let paths: PathLibrary;
let drivers: DriverRegistry;
const priya: User = { id: 'priya', name: 'Priya Raman', email: 'priya@example.org', team: 'payments', isAdmin: false };
const dana: User = { id: 'dana', name: 'Dana Whitfield', email: 'dana@example.org', team: 'churn-analytics', isAdmin: false };

/** What each fake driver was asked, in order: the engine's side of extensions is what is tested here. */
const calls: string[] = [];
const fake = (decl: { type: string; params: z.ZodType<Record<string, unknown>>; outputs: z.ZodType<Record<string, unknown>> }, outputs: (i: ProvisionInput) => Record<string, string | number>, stoppable = false): Driver => ({
  type: decl.type, target: 'local', params: decl.params, outputs: decl.outputs as Driver['outputs'],
  provision: async (i) => {
    calls.push(`provision ${i.resourceId} ${JSON.stringify(i.params)}`);
    return { state: { made: true }, outputs: outputs(i) };
  },
  status: async () => ({ healthy: true }),
  deprovision: async (r) => void calls.push(`deprovision ${r.resourceId}`),
  ...(stoppable ? { stop: async (r: { resourceId: string }) => void calls.push(`stop ${r.resourceId}`) } : {}),
});

before(async () => {
  pool = new pg.Pool({ connectionString: await createTestDatabase('extend'), max: 8 });
  await migrate(pool);
  await prepareJobQueue(pool);
  await seedDemoOrganisation(pool);
  drivers = new DriverRegistry([
    fake({ type: 'git-repo', params: z.looseObject({}), outputs: z.object({ name: z.string(), url: z.string() }) }, (i) => ({ name: `${i.environmentId}-${i.resourceId}`, url: 'http://git' })),
    fake(databaseDeclaration, (i) => ({ url: `postgres://${i.resourceId}`, host: 'h', port: 1, database: i.resourceId, username: 'u', password: 'p', jdbcUrl: `jdbc:postgresql://h:1/${i.resourceId}` })),
    fake(cacheDeclaration, () => ({ url: 'redis://:pw@127.0.0.1:7', host: '127.0.0.1', port: 7, password: 'pw' })),
    fake({ type: 'svc', params: z.strictObject({ repo: z.string(), env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}) }), outputs: z.object({ url: z.string() }) }, () => ({ url: 'http://svc' }), true),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'gp-extend-paths-'));
  writeFileSync(join(dir, 'kit.yaml'), `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata: { name: kit, title: Kit, description: A service kit., owner: platform, audience: software }
spec:
  extensible:
    resources: { database: { max: 1 }, cache: { max: 1 } }
    parameters: [tier]
    env: [service]
  parameters:
    type: object
    properties:
      tier: { type: string, enum: [small, large], default: small }
  resources:
    repo: { type: git-repo }
    db: { type: database }
    service:
      type: svc
      params:
        repo: \${resources.repo.name}
        env:
          DATABASE_URL: \${resources.db.url}
          TIER: \${params.tier}
`);
  writeFileSync(join(dir, 'locked.yaml'), `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata: { name: locked-data, title: Locked, description: A data path., owner: platform, audience: data }
spec:
  dataClass: synthetic
  extensible: false
  resources:
    repo: { type: git-repo }
`);
  paths = new PathLibrary([dir], drivers.declarations());
  const { errors } = await paths.reload();
  assert.deepEqual(errors, []);
});
after(() => pool.end());

const deps = () => ({ pool, paths });
const count = async () => Number((await pool.query('SELECT count(*) FROM environments')).rows[0].count);
async function refusal(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof PlatformError) return e;
    throw e;
  }
  assert.fail('expected a refusal');
}

const withCache = `apiVersion: goldpath.dev/v1
kind: Extension
resources:
  cache: { type: cache }
env:
  service:
    REDIS_URL: \${resources.cache.url}
parameters: { tier: large }
`;

test('a launch with an extension provisions the extended path and records what was added', async () => {
  const env = await launchEnvironment(deps(), actorFor(priya), { path: 'kit', extension: withCache });
  assert.deepEqual(env.extension, { resources: { cache: { type: 'cache', params: {}, dependsOn: [] } }, env: { service: { REDIS_URL: '${resources.cache.url}' } }, parameters: { tier: 'large' }, from: 'launch' });
  assert.deepEqual(env.params, { tier: 'large' });
  calls.length = 0;
  await reconcileEnvironment({ pool, drivers }, env.id);
  const ready = (await new PgEnvironmentRepository(pool).view(env.id))!;
  assert.equal(ready.status, 'ready');
  assert.deepEqual(ready.resources.map((r) => `${r.id}:${r.status}`).sort(), ['cache:ready', 'db:ready', 'repo:ready', 'service:ready']);
  const service = calls.find((c) => c.startsWith('provision service'))!;
  assert.ok(calls.indexOf(service) > calls.findIndex((c) => c.startsWith('provision cache')), 'the service comes after the cache it uses');
  assert.match(service, /"REDIS_URL":"redis:\/\/:pw@127\.0\.0\.1:7"/);
  assert.match(service, /"TIER":"large"/);
});

test('a refused extension creates nothing: 400 extension_refused naming the rule and the line', async () => {
  const before = await count();
  const e = await refusal(launchEnvironment(deps(), actorFor(priya), { path: 'kit', extension: 'resources:\n  mq:\n    type: queue\n' }));
  assert.equal(e.status, 400);
  assert.equal(e.code, 'extension_refused');
  assert.equal(e.message, 'extension:3: resources.mq.type: resource "mq" of type queue is not allowed by kit: it allows database (max 1), cache (max 1)');
  assert.deepEqual(e.details, [{ field: 'extension.resources.mq.type', message: 'line 3: resource "mq" of type queue is not allowed by kit: it allows database (max 1), cache (max 1)' }]);
  const tooMany = await refusal(launchEnvironment(deps(), actorFor(priya), { path: 'kit', extension: { resources: { a: { type: 'database' }, b: { type: 'database' } } } }));
  assert.match(tooMany.message, /2 resources of type database \(a, b\), but kit allows at most 1 \(extensible\.resources\.database\.max\)/);
  const badValue = await refusal(launchEnvironment(deps(), actorFor(priya), { path: 'kit', extension: { parameters: { tier: 'huge' } } }));
  assert.equal(badValue.code, 'invalid_parameters');
  assert.equal(await count(), before);
});

test('a data path refuses every extension, with the reason, and creates nothing', async () => {
  const before = await count();
  const e = await refusal(launchEnvironment(deps(), actorFor(dana), { path: 'locked-data', extension: 'resources:\n  cache: { type: cache }\n' }));
  assert.equal(e.message, 'extension: locked-data is locked (extensible: false): data golden paths are not extended');
  assert.equal(await count(), before);
});

test('extending a ready environment adds its resources and provisions the changed service again, staying ready', async () => {
  const env = await launchEnvironment(deps(), actorFor(priya), { path: 'kit' });
  await reconcileEnvironment({ pool, drivers }, env.id);
  calls.length = 0;
  const outcome = await extendEnvironment(deps(), actorFor(priya), env.id, withCache, { from: 'repository', commit: 'abc123' });
  assert.deepEqual(outcome, { kind: 'extended', added: ['cache'], changed: ['service'] });
  const repo = new PgEnvironmentRepository(pool);
  assert.equal((await repo.view(env.id))!.status, 'ready');
  await reconcileEnvironment({ pool, drivers }, env.id);
  const after = (await repo.view(env.id))!;
  assert.equal(after.status, 'ready');
  assert.equal(after.extension?.from, 'repository');
  assert.deepEqual(after.params, { tier: 'large' });
  // Provisioned again with its new params: converging on them (a restart, gracefully or not) is the driver's.
  assert.deepEqual(calls.map((c) => c.split(' ').slice(0, 2).join(' ')), ['provision cache', 'provision service']);
  assert.match(calls[1], /"REDIS_URL":"redis:/);
  // The same file pushed again changes nothing.
  assert.deepEqual(await extendEnvironment(deps(), actorFor(priya), env.id, withCache, { from: 'repository', commit: 'def456' }), { kind: 'unchanged' });
  const events = (await repo.events(env.id)).map((e) => e.type);
  assert.equal(events.filter((t) => t === 'environment.extended').length, 1);
});

test('a refused extension of a live environment changes nothing; another team may not extend it', async () => {
  const env = await launchEnvironment(deps(), actorFor(priya), { path: 'kit' });
  await reconcileEnvironment({ pool, drivers }, env.id);
  const repo = new PgEnvironmentRepository(pool);
  const before = await repo.view(env.id);
  const e = await refusal(extendEnvironment(deps(), actorFor(priya), env.id, 'resources:\n  cache: { type: cache }\n  c2: { type: cache }\n', { from: 'repository' }));
  assert.match(e.message, /^goldpath\.yaml:3: resources\.c2: 2 resources of type cache/);
  const denied = await refusal(extendEnvironment(deps(), actorFor(dana), env.id, withCache, { from: 'repository' }));
  assert.equal(denied.status, 403);
  assert.deepEqual(await repo.view(env.id), before);
});
