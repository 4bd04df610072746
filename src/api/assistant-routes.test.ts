import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
// First: schemas made after it get .openapi() (zod 4 adds methods as each schema is made).
import { createApi, type ApiDeps } from './app.ts';
import { createTestDatabase } from '../../test/support/database.ts';
import { shippedPolicies } from '../../test/support/policies.ts';
import { migrate } from '../infrastructure/postgres/migrate.ts';
import { DriverRegistry, type Driver } from '../drivers/driver.ts';
import { prepareJobQueue } from '../engine/orchestrator/worker.ts';
import { EventFeed } from '../engine/live/event-feed.ts';
import { seedDemoOrganisation } from '../engine/identity/demo-organisation.ts';
import { issueToken } from '../engine/identity/tokens.ts';
import { PathLibrary } from '../engine/paths/library.ts';
import { queryAudit } from '../engine/audit/log.ts';

// The whole API as the platform serves it, on a real database; paths of a scratch resource so a
// launch is recorded (the orchestrator, not started here, would provision it).
let pool: pg.Pool;
let app: ReturnType<typeof createApi>;
let dana: string;
let mei: string;
let priya: string;

const scratch: Driver = {
  type: 'scratch', target: 'local', params: z.looseObject({}), outputs: z.object({ url: z.string() }),
  provision: async () => ({ state: {}, outputs: { url: 'x' } }), status: async () => ({ healthy: true }), deprovision: async () => {},
};

before(async () => {
  const url = await createTestDatabase('assistant');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await prepareJobQueue(pool);
  await seedDemoOrganisation(pool);
  const dir = mkdtempSync(join(tmpdir(), 'gp-assistant-paths-'));
  for (const [name, title, dataClass, approval, tags] of [
    ['sandbox-experiment', 'Sandbox Experiment', 'synthetic', 'none', 'python, experimentation'],
    ['customer-insight', 'Customer Insight', 'sensitive', 'data-owner', 'customer-data, governed'],
  ]) {
    writeFileSync(join(dir, `${name}.yaml`), `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata:
  name: ${name}
  title: ${title}
  description: One scratch resource to try ideas on.
  tags: [${tags}]
  owner: platform
  audience: data
  use: experimentation
spec:
  version: 1.0.0
  dataClass: ${dataClass}
  approval: ${approval}
  extensible: false
  resources:
    pad:
      type: scratch
`);
  }
  const paths = new PathLibrary([dir], new DriverRegistry([scratch]).declarations());
  assert.deepEqual((await paths.reload()).errors, []);
  app = createApi({ pool, paths, feed: new EventFeed(url), version: 'test', policy: shippedPolicies() } as ApiDeps);
  dana = await issueToken(pool, 'dana', 'cli');
  mei = await issueToken(pool, 'mei', 'cli');
  priya = await issueToken(pool, 'priya', 'cli');
});
after(() => pool.end());

const ask = async (body: unknown, token: string = dana) => {
  const res = await app.request('/api/v1/assistant', {
    method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json() };
};
const environmentCount = async () => Number((await pool.query('SELECT count(*) FROM environments')).rows[0].count);

test('a launch is only proposed; confirming it launches through the API, audited as any launch', async () => {
  const before = await environmentCount();
  const r = await ask({ text: 'launch a sandbox experiment called try-one' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.understood, { intent: 'launch', slots: { path: 'sandbox-experiment', name: 'try-one' } });
  assert.equal(r.body.proposal.action, 'launch_environment');
  assert.deepEqual(r.body.proposal.request, { path: 'sandbox-experiment', name: 'try-one' });
  assert.match(r.body.says, /Sandbox Experiment.*churn-analytics.*Confirm/);
  assert.equal(await environmentCount(), before, 'nothing is created before the confirmation');

  const done = await ask({ confirm: r.body.proposal.confirmToken });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const env = done.body.result.environment;
  assert.equal(env.name, 'try-one');
  assert.equal(env.team, 'churn-analytics');
  assert.equal(done.body.result.link, `/environments/${env.id}`);
  assert.equal(await environmentCount(), before + 1);
  const audit = await queryAudit(pool, { user: 'dana', action: 'launch', limit: 5 });
  assert.equal(audit.entries[0].decision, 'allow');
  assert.equal(audit.entries[0].resource, 'Path::"sandbox-experiment"');

  // It is now one of dana's environments: the assistant lists it and proposes to stop it by name.
  const listed = await ask({ text: 'list my environments' });
  assert.ok(listed.body.result.environments.some((e: { id: string }) => e.id === env.id));
  const stop = await ask({ text: 'delete try-one' });
  assert.deepEqual(stop.body.proposal.request, { id: env.id });
  assert.equal(stop.body.proposal.action, 'delete_environment');
});

test('a launch the policy refuses comes back refused, with the policy\'s reason, and nothing is made', async () => {
  const before = await environmentCount();
  const r = await ask({ text: 'launch a sandbox experiment for team payments' });
  assert.equal(r.body.understood.slots.team, 'payments');
  const refused = await ask({ confirm: r.body.proposal.confirmToken });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, 'denied');
  assert.match(refused.body.error.message, /dana may not launch.*only members of payments launch for it/);
  assert.equal(refused.body.understood.intent, 'launch');
  assert.equal(await environmentCount(), before);
  // …and the assistant can say why afterwards, from the audit log (the whole log, for an admin).
  const asPriya = await ask({ text: 'launch a sandbox experiment for the payments team' }, priya);
  assert.equal((await ask({ confirm: asPriya.body.proposal.confirmToken }, priya)).status, 403);
  const why = await ask({ text: 'why was my launch refused?' }, priya);
  assert.equal(why.status, 200, JSON.stringify(why.body));
  assert.equal(why.body.understood.intent, 'explainRefusal');
  assert.match(why.body.says, /Sandbox Experiment for payments .* refused by default-deny: .*only members of payments launch for it/);
  // dana reads her team's log only: she is told where the refusal is, not handed another team's log.
  const danaWhy = await ask({ text: 'why was my launch refused?' });
  assert.match(danaWhy.body.says, /another team is in that team's log/);
});

test('a proposal is confirmed only by the person it was made to', async () => {
  const r = await ask({ text: 'launch sandbox-experiment' });
  const other = await ask({ confirm: r.body.proposal.confirmToken }, mei);
  assert.equal(other.status, 400);
  assert.match(other.body.error.message, /made to someone else/);
});

test('governed data: the assistant asks why before it proposes, and the answer fills the reason', async () => {
  const r = await ask({ text: 'I need real customer data' });
  assert.equal(r.status, 200);
  assert.equal(r.body.proposal, undefined);
  assert.match(r.body.question, /Why do you need it/);
  const answered = await ask({ text: 'to forecast churn for the retention campaign', context: { pending: r.body.pending } });
  assert.equal(answered.body.proposal.request.path, 'customer-insight');
  assert.equal(answered.body.proposal.request.reason, 'to forecast churn for the retention campaign');
});

test('an unknown request gets a question and choices, never an action', async () => {
  const r = await ask({ text: 'order me a pizza' });
  assert.equal(r.status, 200);
  assert.equal(r.body.understood.intent, 'unknown');
  assert.ok(r.body.question);
  assert.ok(r.body.choices.length > 0);
  assert.equal(r.body.proposal, undefined);
});

test('bad input is a 400 that says what to send; no token is a 401', async () => {
  for (const [body, message] of [
    [{}, /send either text .* or confirm/],
    [{ text: '   ' }, /send either text/],
    [{ text: 'hi', confirm: 'x' }, /not both/],
    [{ text: 42 }, /text/],
    [{ text: 'x'.repeat(1001) }, /under 1000 characters/],
    [{ confirm: 'gpc_made-up.0123456789abcdef' }, /not a token from a proposal/],
    [{ text: 'hi', extra: true }, /extra|unrecognized/i],
    ['{not json', /not valid JSON/],
  ] as const) {
    const r = await ask(body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.error.message, message);
  }
  assert.equal((await ask({ text: 'list my environments' }, '')).status, 401);
  // A pending question sent back altered names a path that does not exist: asked again, not a failure.
  const altered = await ask({ text: 'because I must', context: { pending: { intent: 'launch', slots: { path: 'no-such-path' }, expects: 'reason' } } });
  assert.equal(altered.status, 200, JSON.stringify(altered.body));
  assert.match(altered.body.question, /no golden path "no-such-path"/);
  assert.equal(altered.body.proposal, undefined);
  const nonsense = await ask({ text: 'x', context: { pending: { intent: 'fly', slots: {}, expects: 'reason' } } });
  assert.equal(nonsense.status, 400);
  assert.match(nonsense.body.error.message, /context\.pending\.intent/);
});
