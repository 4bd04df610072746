// Audit completeness: every API operation that changes state leaves exactly one audit row, with
// the right actor and action, on the real platform. The fixtures table holds one valid call per
// operation; an operation of the OpenAPI document without a fixture fails the test, so a new
// route cannot go unaudited unnoticed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import type { ApprovalView } from '../../src/engine/approvals/approvals.ts';
import type { AuditRow } from '../../src/engine/audit/log.ts';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localPassword, localTokens } from '../support/local-accounts.ts';
import { query, until } from '../support/wait.ts';

let platform: PlatformProcess;
let tokens: Record<string, string>;
let passwords: Map<string, string>;

before(async () => {
  platform = await startPlatformProcess();
  tokens = localTokens(platform.home);
  passwords = new Map(Object.keys(tokens).map((user) => [user, localPassword(platform.home, user)]));
});
after(async () => {
  await platform?.stop();
});

/** One API call, as a client would make it: a bearer token (or none) and a JSON body. */
async function api(method: string, path: string, opts: { token?: string; as?: string; body?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = opts.token ?? (opts.as ? tokens[opts.as] : undefined);
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${platform.url}${path}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
}
async function apiJson<T>(method: string, path: string, opts: Parameters<typeof api>[2] = {}): Promise<T> {
  const res = await api(method, path, opts);
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}
const signIn = async (user: string) => (await apiJson<{ token: string }>('POST', '/api/v1/sessions', { body: { user, password: passwords.get(user) } })).token;

const auditDb = () => platform.adminUrl('goldpath');
const lastAuditId = async () => String((await query(auditDb(), 'SELECT coalesce(max(id), 0) AS id FROM audit_log')).rows[0].id);
/** Rows written after `after`, except the platform's own (its sweeps may run at any time). */
async function rowsAfter(after: string): Promise<{ actor: string; action: string; resource: string; decision: string; status: number; detail: string | null }[]> {
  return (await query(auditDb(), `SELECT actor, action, resource, decision, status, detail FROM audit_log WHERE id > $1 AND actor <> 'system' ORDER BY id`, [after])).rows;
}

const probeEntity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'audit-probe' }, spec: { type: 'service', lifecycle: 'experimental', owner: 'churn-analytics' } };

/** What the fixtures share: made by their `prepare` steps, which run before the audit is watched. */
const ctx: { env?: EnvironmentView; spareToken?: string; spareTokenId?: string; approvals?: ApprovalView[]; noticeId?: string; model?: string; importId?: string } = {};

/** Starts an import of dana's (outside the watched call, when a fixture needs one to act on). */
const startedImport = async () => (await apiJson<{ id: string }>('POST', '/api/v1/catalog/imports', { as: 'dana', body: { source: 'audit' } })).id;
const probeYaml = `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: audit-import-probe\nspec:\n  type: service\n  lifecycle: experimental\n  owner: churn-analytics\n`;

async function readyEnvironment(): Promise<EnvironmentView> {
  if (ctx.env) return ctx.env;
  ctx.env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'sql-data-querying', '--name', 'audited', '--wait']);
  assert.equal(ctx.env.status, 'ready');
  return ctx.env;
}
const statusOf = async (id: string) => (await apiJson<EnvironmentView>('GET', `/api/v1/environments/${id}`, { as: 'dana' })).status;
async function pendingApprovals(): Promise<ApprovalView[]> {
  if (ctx.approvals) return ctx.approvals;
  const env = await platform.cliJson<EnvironmentView>(['--as', 'dana', 'launch', 'data-science-customer-data', '--name', 'audited-data', '--reason', 'Churn model for the retention campaign']);
  ctx.approvals = (await apiJson<{ approvals: ApprovalView[] }>('GET', `/api/v1/approvals?environment=${env.id}`, { as: 'dana' })).approvals;
  assert.equal(ctx.approvals.length, 2, 'one request per owning team');
  return ctx.approvals;
}
const approvalOf = async (team: string) => (await pendingApprovals()).find((a) => a.approverTeam === team)!;

interface Fixture {
  /** Runs before the audit is watched: whatever the call needs. */
  prepare?: () => Promise<void>;
  call: () => Promise<Response>;
  actor: string;
  action: string;
  /** Most fixtures are allowed calls; a call the shipped policies refuse says so. */
  decision?: 'allow' | 'deny';
}

/**
 * One valid call per operation that changes state ("METHOD /path" as in the OpenAPI document), in
 * the order they run: a later one may use what an earlier one made. Add one for every new route.
 */
const fixtures: Record<string, Fixture> = {
  'POST /api/v1/sessions': {
    call: () => api('POST', '/api/v1/sessions', { body: { user: 'dana', password: passwords.get('dana') } }),
    actor: 'dana', action: 'signIn',
  },
  'DELETE /api/v1/sessions': {
    prepare: async () => { ctx.spareToken = await signIn('ravi'); },
    call: () => api('DELETE', '/api/v1/sessions', { token: ctx.spareToken }),
    actor: 'ravi', action: 'signOut',
  },
  'POST /api/v1/assistant': {
    call: () => api('POST', '/api/v1/assistant', { as: 'ravi', body: { text: 'list my environments' } }),
    actor: 'ravi', action: 'ask',
  },
  'POST /api/v1/tokens': {
    call: () => api('POST', '/api/v1/tokens', { as: 'ravi', body: { label: 'audited automation', days: 7 } }),
    actor: 'ravi', action: 'createToken',
  },
  'DELETE /api/v1/tokens/{id}': {
    prepare: async () => {
      const session = await signIn('ravi');
      ctx.spareTokenId = (await apiJson<{ tokens: { id: string; current: boolean }[] }>('GET', '/api/v1/tokens', { token: session })).tokens.find((t) => t.current)!.id;
    },
    call: () => api('DELETE', `/api/v1/tokens/${ctx.spareTokenId}`, { as: 'ravi' }),
    actor: 'ravi', action: 'revokeToken',
  },
  'POST /api/v1/environments': {
    call: () => api('POST', '/api/v1/environments', { as: 'ravi', body: { path: 'sql-data-querying', name: 'audited-launch' } }),
    actor: 'ravi', action: 'launch',
  },
  'POST /api/v1/stream-tickets': {
    prepare: async () => { await readyEnvironment(); },
    call: () => api('POST', '/api/v1/stream-tickets', { as: 'dana', body: { environmentId: ctx.env!.id } }),
    actor: 'dana', action: 'read',
  },
  'POST /api/v1/environments/{id}/sql': {
    prepare: async () => { await readyEnvironment(); },
    call: () => api('POST', `/api/v1/environments/${ctx.env!.id}/sql`, { as: 'dana', body: { sql: 'SELECT count(*) FROM customers' } }),
    actor: 'dana', action: 'queryWarehouse',
  },
  'POST /api/v1/environments/{id}/queries': {
    prepare: async () => { await readyEnvironment(); },
    call: () => api('POST', `/api/v1/environments/${ctx.env!.id}/queries`, { as: 'dana', body: { name: 'audited', sql: 'SELECT 1' } }),
    actor: 'dana', action: 'saveQuery',
  },
  'POST /api/v1/environments/{id}/extend': {
    prepare: async () => { await readyEnvironment(); },
    call: () => api('POST', `/api/v1/environments/${ctx.env!.id}/extend`, { as: 'dana', body: { by: '1d' } }),
    actor: 'dana', action: 'extend',
  },
  'POST /api/v1/environments/{id}/stop': {
    prepare: async () => { await readyEnvironment(); },
    call: () => api('POST', `/api/v1/environments/${ctx.env!.id}/stop`, { as: 'dana' }),
    actor: 'dana', action: 'stop',
  },
  'POST /api/v1/environments/{id}/start': {
    prepare: async () => { await until(() => statusOf(ctx.env!.id), (s) => s === 'stopped', 'the environment to stop'); },
    call: () => api('POST', `/api/v1/environments/${ctx.env!.id}/start`, { as: 'dana' }),
    actor: 'dana', action: 'start',
  },
  'DELETE /api/v1/environments/{id}': {
    prepare: async () => { await until(() => statusOf(ctx.env!.id), (s) => s === 'ready', 'the environment to start'); },
    call: () => api('DELETE', `/api/v1/environments/${ctx.env!.id}`, { as: 'dana' }),
    actor: 'dana', action: 'delete',
  },
  'POST /api/v1/approvals/{id}/approve': {
    prepare: async () => { await pendingApprovals(); },
    call: async () => api('POST', `/api/v1/approvals/${(await approvalOf('churn-analytics')).id}/approve`, { as: 'ravi', body: { reason: 'The retention campaign is approved' } }),
    actor: 'ravi', action: 'decideApproval',
  },
  'POST /api/v1/approvals/{id}/reject': {
    prepare: async () => { await pendingApprovals(); },
    call: async () => api('POST', `/api/v1/approvals/${(await approvalOf('payments')).id}/reject`, { as: 'olu', body: { reason: 'Card data is not needed for churn' } }),
    actor: 'olu', action: 'decideApproval',
  },
  'POST /api/v1/approvals/{id}/break-glass': {
    prepare: async () => { await pendingApprovals(); },
    // Off in the shipped policies: the admin's try is refused, and recorded as such.
    call: async () => api('POST', `/api/v1/approvals/${(await approvalOf('payments')).id}/break-glass`, { as: 'priya', body: { decision: 'approve', reason: 'Incident 4711: the regulator needs the report today' } }),
    actor: 'priya', action: 'breakGlass', decision: 'deny',
  },
  'POST /api/v1/notices/{id}/read': {
    // A notice as the platform's sweeps leave one (an environment about to expire).
    prepare: async () => {
      const { rows } = await query(auditDb(), `INSERT INTO notices (user_id, kind, message) VALUES ('dana', 'expiry-warning', 'audited expires soon') RETURNING id`);
      ctx.noticeId = String(rows[0].id);
    },
    call: () => api('POST', `/api/v1/notices/${ctx.noticeId}/read`, { as: 'dana' }),
    actor: 'dana', action: 'markNoticeRead',
  },
  'POST /api/v1/warehouse/apply': {
    call: () => api('POST', '/api/v1/warehouse/apply', { as: 'priya' }),
    actor: 'priya', action: 'applyWarehouse',
  },
  'POST /api/v1/catalog/entities': {
    call: () => api('POST', '/api/v1/catalog/entities', { as: 'dana', body: { entities: [probeEntity] } }),
    actor: 'dana', action: 'registerEntity',
  },
  'DELETE /api/v1/catalog/entities/by-ref/{kind}/{namespace}/{name}': {
    call: () => api('DELETE', '/api/v1/catalog/entities/by-ref/component/default/audit-probe', { as: 'dana' }),
    actor: 'dana', action: 'deleteEntity',
  },
  'POST /api/v1/catalog/imports': {
    call: () => api('POST', '/api/v1/catalog/imports', { as: 'dana', body: { source: 'audit' } }),
    actor: 'dana', action: 'createCatalogImport',
  },
  'POST /api/v1/catalog/imports/chunks': {
    prepare: async () => { ctx.importId = await startedImport(); },
    call: () => api('POST', '/api/v1/catalog/imports/chunks', { as: 'dana', body: { import: ctx.importId, files: [{ path: 'catalog-info.yaml', text: probeYaml }] } }),
    actor: 'dana', action: 'registerEntity',
  },
  'POST /api/v1/catalog/imports/{id}/commit': {
    call: () => api('POST', `/api/v1/catalog/imports/${ctx.importId}/commit`, { as: 'dana' }),
    actor: 'dana', action: 'commitCatalogImport',
  },
  'DELETE /api/v1/catalog/imports/{id}': {
    prepare: async () => { ctx.importId = await startedImport(); },
    call: () => api('DELETE', `/api/v1/catalog/imports/${ctx.importId}`, { as: 'dana' }),
    actor: 'dana', action: 'deleteCatalogImport',
  },
  'PUT /api/v1/budgets/{team}': {
    call: () => api('PUT', '/api/v1/budgets/churn-analytics', { as: 'priya', body: { monthly: '5000.00', threshold: 80 } }),
    actor: 'priya', action: 'setBudget',
  },
  'POST /api/v1/models/{id}/admission': {
    prepare: async () => { ctx.model = (await apiJson<{ models: { id: string; allowed: boolean }[] }>('GET', '/api/v1/models', { as: 'dana' })).models.find((m) => m.allowed)!.id; },
    call: () => api('POST', `/api/v1/models/${ctx.model}/admission`, { as: 'dana' }),
    actor: 'dana', action: 'serveModel',
  },
};

test('every API operation that changes state leaves exactly one audit row with its actor and action', async (t) => {
  const doc = await apiJson<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/v1/openapi.json');
  const changing = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops).filter((m) => !['get', 'head', 'options', 'parameters'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`));
  assert.ok(changing.length >= 10, `the document lists the API's operations: ${changing.join(', ')}`);
  const missing = changing.filter((op) => !fixtures[op]);
  assert.deepEqual(missing, [], 'each of these operations needs a fixture in test/e2e/audit.test.ts (one valid call, its actor and action)');
  for (const op of Object.keys(fixtures).filter((o) => !changing.includes(o))) t.diagnostic(`fixture without an operation (not in this API yet, or gone): ${op}`);

  const problems: string[] = [];
  for (const [op, f] of Object.entries(fixtures)) {
    if (!changing.includes(op)) continue;
    await f.prepare?.();
    const before = await lastAuditId();
    const res = await f.call();
    const body = await res.text();
    const wanted = f.decision ?? 'allow';
    if (wanted === 'allow' && !res.ok) {
      problems.push(`${op}: the fixture's call failed (${res.status} ${body.slice(0, 300)}); fix the fixture`);
      continue;
    }
    const rows = await rowsAfter(before);
    const got = rows.map((r) => `${r.actor} ${r.action} ${r.decision} ${r.status}`);
    if (rows.length !== 1) problems.push(`${op}: ${rows.length} audit rows, not 1: ${JSON.stringify(got)}`);
    else if (rows[0]!.actor !== f.actor || rows[0]!.action !== f.action || rows[0]!.decision !== wanted || rows[0]!.status !== res.status) {
      problems.push(`${op}: the row says ${got[0]}; expected ${f.actor} ${f.action} ${wanted} ${res.status}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('no secret reaches the audit log: no password, no token, no query string', async () => {
  const dump = (await query(auditDb(), 'SELECT string_agg(audit_log::text, E\'\\n\') AS all FROM audit_log')).rows[0].all as string;
  for (const [user, password] of passwords) assert.ok(!dump.includes(password), `${user}'s password is in the audit log`);
  for (const [user, token] of Object.entries(tokens)) assert.ok(!dump.includes(token), `${user}'s token is in the audit log`);
  assert.doesNotMatch(dump, /\?|gpt_/);
  assert.match(dump, /login: dana/, 'a sign-in names the login tried');
});

test('a refused sign-in and a change without a token are recorded as denials', async () => {
  const before = await lastAuditId();
  assert.equal((await api('POST', '/api/v1/sessions', { body: { user: 'priya', password: 'a guess' } })).status, 401);
  assert.equal((await api('POST', '/api/v1/environments', { body: { path: 'sql-data-querying' } })).status, 401);
  const rows = await rowsAfter(before);
  assert.deepEqual(rows.map((r) => [r.actor, r.action, r.decision, r.status, r.detail]), [
    ['anonymous', 'signIn', 'deny', 401, 'login: priya'],
    ['anonymous', 'launch', 'deny', 401, null],
  ]);
});

test('the audit log is append-only on the running platform too', async () => {
  await assert.rejects(query(auditDb(), 'DELETE FROM audit_log'), /append-only/);
  await assert.rejects(query(auditDb(), `UPDATE audit_log SET decision = 'allow'`), /append-only/);
});

test('goldpath audit --json: an admin reads the whole log, filtered; a member only their team\'s', async () => {
  const launches = await platform.cliJson<AuditRow[]>(['--as', 'priya', 'audit', '--user', 'ravi', '--action', 'launch', '--since', '1h']);
  assert.ok(launches.length >= 1, 'ravi\'s launch is there');
  assert.ok(launches.every((r) => r.actor === 'ravi' && r.action === 'launch'));

  const everything = await platform.cliJson<AuditRow[]>(['--as', 'priya', 'audit', '--limit', '500']);
  const times = everything.map((r) => Date.parse(r.at));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
  assert.ok(everything.some((r) => r.decision === 'deny' && r.action === 'breakGlass'), 'the refused break-glass is there');

  const member = await platform.cli(['--as', 'dana', 'audit', '--json']);
  assert.equal(member.code, 1);
  assert.match(member.stderr, /readAudit|may not/, 'a member may not read the whole log');
  const own = await platform.cliJson<AuditRow[]>(['--as', 'dana', 'audit', '--team', 'churn-analytics']);
  assert.ok(own.length > 0 && own.every((r) => r.team === 'churn-analytics'));
  const theirs = await platform.cli(['--as', 'dana', 'audit', '--team', 'payments', '--json']);
  assert.equal(theirs.code, 1, 'another team\'s log is theirs');
  const reads = await platform.cliJson<AuditRow[]>(['--as', 'priya', 'audit', '--action', 'readAudit']);
  assert.ok(reads.some((r) => r.actor === 'dana' && r.decision === 'deny' && r.resource === 'Team::"payments"'), 'reading the log is recorded too, refusals included');

  const table = await platform.cli(['--as', 'priya', 'audit', '--action', 'breakGlass']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^AT\s+ACTOR\s+ACTION\s+RESOURCE/m);
  assert.match(table.stdout, /priya\s+breakGlass\s+Approval::/);

  const bad = await platform.cli(['--as', 'priya', 'audit', '--since', 'yesterday']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /since must be a duration back from now like 30m/);
});
