import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import type { ApprovalView } from '../../src/engine/approvals/approvals.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { query, until } from '../support/wait.ts';

let platform: PlatformProcess;
before(async () => {
  // A fast sweep, so that an expired approval is noticed within the test.
  platform = await startPlatformProcess({ env: { GOLDPATH_SWEEP_MS: '300' } });
});
after(async () => {
  await platform?.stop();
});

const as = (user: string, args: string[]) => platform.cliJson<unknown>(['--as', user, ...args]);
const warehouseOf = (env: EnvironmentView) => env.resources.find((r) => r.type === 'warehouse')!.outputs as { url: string; username: string };

test('customer data waits for every owning team, then sees raw rows; the grant ends when the approval does', async () => {
  const noReason = await platform.cli(['launch', 'data-science-customer-data']);
  assert.match(noReason.stderr, /needs the data owners' approval: say why you need it \(--reason/);

  const env = (await platform.cliJson<EnvironmentView>(['launch', 'data-science-customer-data', '--reason', 'Churn model for the Q3 retention campaign', '--wait'])) as EnvironmentView;
  assert.equal(env.status, 'awaiting-approval');
  assert.ok(env.resources.every((r) => r.status === 'pending'), 'nothing is provisioned before approval');
  const roles = await query(platform.adminUrl('warehouse'), `SELECT 1 FROM pg_roles WHERE rolname LIKE $1`, [`gp_${env.id}%`]);
  assert.equal(roles.rowCount, 0);

  const forChurn = (await as('ravi', ['approvals'])) as ApprovalView[];
  const churnReq = forChurn.find((a) => a.environment === env.id)!;
  assert.equal(churnReq.approverTeam, 'churn-analytics');
  assert.deepEqual(churnReq.datasets.sort(), ['customers', 'products']);
  const own = await platform.cli(['--as', 'dana', 'approve', churnReq.id, '--reason', 'me']);
  assert.match(own.stderr, /cannot approve or reject your own request/);
  const stranger = await platform.cli(['--as', 'sam', 'approve', churnReq.id, '--reason', 'sure']);
  assert.match(stranger.stderr, /sam may not decideApproval .*only members of churn-analytics, which owns this data/);
  // An admin of another team is no approver either, and break-glass is off unless a policy allows it.
  const admin = await platform.cli(['--as', 'priya', 'approve', churnReq.id, '--reason', 'I am an admin']);
  assert.match(admin.stderr, /priya may not decideApproval/);
  const glass = await platform.cli(['--as', 'priya', 'break-glass', churnReq.id, '--approve', '--reason', 'incident 42 needs this data right now']);
  assert.match(glass.stderr, /priya may not breakGlass .*not allowed by the policies in force/);

  await as('ravi', ['approve', churnReq.id, '--reason', 'Campaign approved by the churn steering group']);
  assert.equal(((await platform.cliJson<EnvironmentView>(['env', env.id])) as EnvironmentView).status, 'awaiting-approval', 'payments has not decided yet');
  const payReq = ((await as('olu', ['approvals'])) as ApprovalView[]).find((a) => a.environment === env.id)!;
  assert.deepEqual(payReq.datasets.sort(), ['accounts', 'cards', 'transactions']);
  await as('olu', ['approve', payReq.id, '--reason', 'DPIA 2026-114 covers this use']);

  const ready = await until(() => platform.cliJson<EnvironmentView>(['env', env.id]), (e) => e.status === 'ready');
  assert.deepEqual(ready.resources.map((r) => r.status), ready.resources.map(() => 'ready'), 'every resource was provisioned');
  const approvedAt = Math.max(...((await as('dana', ['approvals', '--mine', '--all'])) as ApprovalView[]).filter((a) => a.environment === env.id).map((a) => Date.parse(a.decidedAt!)));
  assert.ok(Date.parse(ready.readyAt!) >= approvedAt, 'provisioning waited for the last approval');
  const wh = warehouseOf(ready);
  const raw = await query(wh.url, 'SELECT full_name, email FROM customers LIMIT 1');
  assert.ok(raw.rows[0].full_name !== '[redacted]' && raw.rows[0].email.includes('@'), 'sensitive sees raw values');

  const history = (await as('dana', ['approvals', '--mine', '--all'])) as ApprovalView[];
  const mine = history.filter((a) => a.environment === env.id);
  assert.equal(mine.length, 2);
  for (const a of mine) {
    assert.equal(a.status, 'approved');
    assert.equal(a.requestedBy, 'dana');
    assert.equal(a.requestedByName, 'Dana Whitfield');
    assert.equal(a.reason, 'Churn model for the Q3 retention campaign');
    assert.ok(a.decidedBy && a.decisionReason && a.decidedAt && a.expiresAt);
    assert.match(a.granted!, new RegExp(`${wh.username} \\(sensitive\\)`));
  }

  // A teammate who is neither requester nor approver sees the environment's requests too.
  const token = (await platform.cliJson<{ token: string }>(['--as', 'ravi', 'token'])).token;
  const byEnv = await fetch(`${platform.url}/api/v1/approvals?environment=${env.id}`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(((await byEnv.json()) as { approvals: ApprovalView[] }).approvals.length, 2);
  const samToken = (await platform.cliJson<{ token: string }>(['--as', 'sam', 'token'])).token;
  const notHis = await fetch(`${platform.url}/api/v1/approvals?environment=${env.id}`, { headers: { authorization: `Bearer ${samToken}` } });
  assert.equal(notHis.status, 403);

  // The approval runs out: the grant is revoked by the platform on its own, and it is recorded.
  await query(platform.adminUrl('goldpath'), `UPDATE approvals SET expires_at = now() - interval '1 second' WHERE environment_id = $1`, [env.id]);
  const revoked = await until(() => platform.cliJson<EnvironmentView>(['env', env.id]), (e) => warehouseOf(e) && e.resources.find((r) => r.type === 'warehouse')!.status === 'deleted');
  assert.equal(revoked.status, 'ready', 'only the grant goes; the environment stays');
  assert.deepEqual(revoked.resources.filter((r) => r.type !== 'warehouse').map((r) => r.status), revoked.resources.filter((r) => r.type !== 'warehouse').map(() => 'ready'));
  await assert.rejects(query(wh.url, 'SELECT 1'), /password authentication failed|does not exist/);
  const after = ((await as('dana', ['approvals', '--mine', '--all'])) as ApprovalView[]).filter((a) => a.environment === env.id);
  assert.ok(after.every((a) => a.revokedAt), 'revocation is recorded');
  const events = await platform.cli(['env', env.id, '--events']);
  assert.match(events.stdout, /asked churn-analytics and payments for sensitive data/);
  assert.match(events.stdout, /approval expired: warehouse access revoked/);
});

test('one rejection ends the launch with nothing provisioned', async () => {
  const env = (await platform.cliJson<EnvironmentView>(['launch', 'data-science-customer-data', '--reason', 'curiosity'])) as EnvironmentView;
  const req = ((await as('mei', ['approvals'])) as ApprovalView[]).find((a) => a.environment === env.id)!;
  const rejected = (await as('mei', ['reject', req.id, '--reason', 'Not a purpose our DPIA covers'])) as ApprovalView;
  assert.equal(rejected.status, 'rejected');
  const after = (await platform.cliJson<EnvironmentView>(['env', env.id])) as EnvironmentView;
  assert.equal(after.status, 'failed');
  assert.match(after.reason!, /rejected by mei: Not a purpose our DPIA covers/);
  const again = await platform.cli(['--as', 'ravi', 'approve', ((await as('ravi', ['approvals'])) as ApprovalView[]).find((a) => a.environment === env.id)?.id ?? 'none', '--reason', 'x']);
  assert.notEqual(again.code, 0, 'the other request was cancelled with the launch');
});

test('break-glass: off until a policy file allows it (picked up live), then an admin decides for the owning team, in red, and the team is told', async () => {
  const env = (await platform.cliJson<EnvironmentView>(['launch', 'data-science-customer-data', '--name', 'incident-42', '--reason', 'Incident 42: fraud ring'])) as EnvironmentView;
  const pending = ((await as('priya', ['approvals'])) as ApprovalView[]).filter((a) => a.environment === env.id);
  assert.equal(pending.length, 2, 'an admin sees the requests');
  assert.ok(pending.every((a) => a.environmentName === 'incident-42'), 'lists name the environment');
  assert.ok(pending.every((a) => a.youMay && !a.youMay.decide && !a.youMay.breakGlass), 'and may do nothing with them yet');
  const glass = ['--as', 'priya', 'break-glass', pending[0].id, '--approve', '--reason', 'Incident 42: fraud ring active now, owners unreachable'];
  assert.match((await platform.cli(glass)).stderr, /not allowed by the policies in force/);

  writeFileSync(join(platform.home, 'policies', 'break-glass.cedar'), '@id("admins-may-break-glass")\npermit (principal, action == Action::"breakGlass", resource) when { principal.admin };\n');
  const offered = await until(() => as('priya', ['approvals']) as Promise<ApprovalView[]>, (list) => list.some((a) => a.environment === env.id && a.youMay?.breakGlass));
  assert.ok(offered.filter((a) => a.environment === env.id).every((a) => !a.youMay!.decide), 'break-glass is not an ordinary approval');
  assert.equal((await platform.cli(['--as', 'priya', 'break-glass', pending[0].id, '--approve', '--reason', 'too short'])).code, 1, 'a real reason is required');
  const done = await platform.cli(glass);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stdout, /BREAK-GLASS: .* approved: dana's access .* "incident-42"/);
  const decided = ((await as('dana', ['approvals', '--mine', '--all'])) as ApprovalView[]).find((a) => a.id === pending[0].id)!;
  assert.equal(decided.breakGlass, true);
  assert.equal(decided.decidedBy, 'priya');

  // The owning team is told, and the history says it in so many words.
  const owners = pending[0].approverTeam === 'churn-analytics' ? 'ravi' : 'mei';
  const token = (await platform.cliJson<{ token: string }>(['--as', owners, 'token'])).token;
  const notices = (await (await fetch(`${platform.url}/api/v1/notices`, { headers: { authorization: `Bearer ${token}` } })).json()) as { notices: { kind: string; message: string }[] };
  assert.ok(notices.notices.some((n) => n.kind === 'break-glass' && /BREAK-GLASS: priya, a platform admin, approved dana's access .* "incident-42"/.test(n.message)), JSON.stringify(notices));
  assert.match((await platform.cli(['env', env.id, '--events'])).stdout, /BREAK-GLASS for/);
  rmSync(join(platform.home, 'policies', 'break-glass.cedar'));
  await platform.cli(['delete', env.id]);
});

test('SQL Data Querying gives masked rows and a saved-queries repo, and no notebook', async () => {
  const env = (await platform.cliJson<EnvironmentView>(['launch', 'sql-data-querying', '--wait'])) as EnvironmentView;
  assert.equal(env.status, 'ready');
  assert.deepEqual(env.resources.map((r) => r.type).sort(), ['git-repo', 'ide', 'warehouse']);
  const { rows } = await query(warehouseOf(env).url, 'SELECT full_name, email, phone FROM customers LIMIT 5');
  for (const r of rows) {
    assert.equal(r.full_name, '[redacted]');
    assert.ok(!r.email.includes('@'), 'e-mail is hashed');
  }
  const joined = await query(warehouseOf(env).url, `SELECT count(*)::int AS n FROM customers c JOIN accounts a ON a.customer_id = c.customer_id`);
  assert.ok(joined.rows[0].n > 0);
  await assert.rejects(query(warehouseOf(env).url, 'SELECT * FROM sensitive.customers'), /permission denied/);
});

test('the data dictionary lists every dataset with its columns and who may see them', async () => {
  const token = (await platform.cliJson<{ token: string }>(['token'])).token;
  const res = await fetch(`${platform.url}/api/v1/datasets/sensitive/customers`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const ds = (await res.json()) as { owner: string; columns: { name: string; classification: string | null; visibleTo: string[] }[] };
  assert.equal(ds.owner, 'churn-analytics');
  const email = ds.columns.find((c) => c.name === 'email')!;
  assert.equal(email.classification, 'pii.email');
  assert.deepEqual(email.visibleTo, ['sensitive']);
  const missing = await fetch(`${platform.url}/api/v1/datasets/sensitive/nope`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(missing.status, 404);
});
