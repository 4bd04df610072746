import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyAction } from '../../domain/policy/decision.ts';
import type { User } from '../identity/users.ts';
import { shippedPolicies, shippedPoliciesDir } from '../../../test/support/policies.ts';
import { createApi, type ApiDeps } from '../../api/app.ts';
import { PolicyEngine } from './engine.ts';
import { ask } from './guard.ts';
import type { PolicyResource } from './entities.ts';

// The shipped policies, action by action, for each kind of principal and data class. The expected
// answers are written out here rather than derived, so a change to a policy that changes who may do
// what fails this test until the table says so too.

const person = (id: string, team: string, isAdmin = false): User => ({ id, name: id, email: `${id}@example.org`, team, isAdmin });
const principals = {
  owner: person('dana', 'churn-analytics'),
  member: person('ravi', 'churn-analytics'),
  otherTeam: person('mei', 'payments'),
  admin: person('priya', 'web', true),
};
type Who = keyof typeof principals;
const dataClasses = ['', 'synthetic', 'masked', 'sensitive'] as const;

const environment = (dataClass: string): PolicyResource => ({
  type: 'Environment', id: 'e1a2b3c4d5', team: 'churn-analytics', owner: 'dana', dataClass: (dataClass || null) as never, path: 'data-science-experimentation',
});

const allowed = (engine: PolicyEngine, who: Who, action: PolicyAction, resource: PolicyResource, context?: Parameters<typeof ask>[4]) =>
  ask(engine, principals[who], action, resource, context);

test('environments: each action × principal × data class', () => {
  const engine = shippedPolicies();
  const yes = (...who: Who[]) => Object.fromEntries((Object.keys(principals) as Who[]).map((w) => [w, who.includes(w)]));
  const expected: Record<string, (dc: string) => Record<string, boolean>> = {
    read: () => yes('owner', 'member', 'admin'),
    stop: () => yes('owner', 'member', 'admin'),
    start: () => yes('owner', 'member', 'admin'),
    delete: () => yes('owner', 'member', 'admin'),
    extend: () => yes('owner', 'member'),
    // Credentials open the data: sensitive ones stay with the owner, and admins never see them.
    readCredentials: (dc) => (dc === 'sensitive' ? yes('owner') : yes('owner', 'member')),
  };
  for (const [action, want] of Object.entries(expected)) {
    for (const dc of dataClasses) {
      for (const who of Object.keys(principals) as Who[]) {
        const d = allowed(engine, who, action as PolicyAction, environment(dc));
        assert.equal(d.allowed, want(dc)[who], `${who} ${action} an environment with data class "${dc}": ${d.message}`);
        assert.ok(d.policies.length > 0, 'every decision names the policies that made it');
        assert.equal(d.team, 'churn-analytics');
      }
    }
  }
  const denied = allowed(engine, 'member', 'readCredentials', environment('sensitive'));
  assert.deepEqual(denied.policies, ['sensitive-credentials-stay-with-the-owner']);
  assert.match(denied.message, /shown to its owner only/);
  assert.deepEqual(allowed(engine, 'otherTeam', 'read', environment('')).policies, ['default-deny']);
});

test('launch: members for their own team only, admins included, whatever the data class', () => {
  const engine = shippedPolicies();
  for (const dc of dataClasses) {
    const path: PolicyResource = { type: 'Path', id: 'p', dataClass: dc || null };
    const forTeam = (team: string) => ({ team: { entity: { type: 'Team', id: team } } });
    assert.equal(allowed(engine, 'member', 'launch', path, forTeam('churn-analytics')).allowed, true);
    assert.equal(allowed(engine, 'otherTeam', 'launch', path, forTeam('churn-analytics')).allowed, false);
    assert.equal(allowed(engine, 'admin', 'launch', path, forTeam('churn-analytics')).allowed, false, 'an admin does not launch for a team they are not in');
    assert.equal(allowed(engine, 'admin', 'launch', path, forTeam('web')).allowed, true);
    assert.equal(allowed(engine, 'member', 'launch', path, forTeam('churn-analytics')).team, 'churn-analytics');
  }
});

test('launch: refused for everyone, admins included, once the team has spent its monthly budget', () => {
  const engine = shippedPolicies();
  const path: PolicyResource = { type: 'Path', id: 'p', dataClass: null };
  const context = (budgetExceeded: boolean) => ({ team: { entity: { type: 'Team', id: 'web' } }, budgetExceeded });
  assert.equal(allowed(engine, 'admin', 'launch', path, context(false)).allowed, true);
  const over = allowed(engine, 'admin', 'launch', path, context(true));
  assert.equal(over.allowed, false);
  assert.deepEqual(over.policies, ['no-launches-over-budget']);
  assert.match(over.message, /spent its monthly budget.*running environments keep running/);
});

test('budgets: only admins set a team\'s; everyone\'s spend (the platform) is for admins', () => {
  const engine = shippedPolicies();
  const team: PolicyResource = { type: 'Team', id: 'churn-analytics' };
  assert.equal(allowed(engine, 'member', 'setBudget', team).allowed, false, 'not even for their own team');
  assert.equal(allowed(engine, 'otherTeam', 'setBudget', team).allowed, false);
  assert.equal(allowed(engine, 'admin', 'setBudget', team).allowed, true);
  assert.equal(allowed(engine, 'member', 'readSpend', { type: 'Platform' }).allowed, false);
  assert.equal(allowed(engine, 'admin', 'readSpend', { type: 'Platform' }).allowed, true);
});

test('team-wide reads: environments lists, spend and the audit log', () => {
  const engine = shippedPolicies();
  const team: PolicyResource = { type: 'Team', id: 'churn-analytics' };
  for (const action of ['listEnvironments', 'readSpend', 'readAudit'] as const) {
    assert.equal(allowed(engine, 'member', action, team).allowed, true, action);
    assert.equal(allowed(engine, 'otherTeam', action, team).allowed, false, action);
    assert.equal(allowed(engine, 'admin', action, team).allowed, true, action);
  }
  assert.equal(allowed(engine, 'member', 'readAudit', { type: 'Platform' }).allowed, false, 'the whole log is for admins');
  assert.equal(allowed(engine, 'admin', 'readAudit', { type: 'Platform' }).allowed, true);
  assert.equal(allowed(engine, 'member', 'applyWarehouse', { type: 'Platform' }).allowed, false);
  assert.equal(allowed(engine, 'admin', 'applyWarehouse', { type: 'Platform' }).allowed, true);
});

test('approvals: only a member of the owning team decides, never the requester, never an admin of another team; break-glass is off', () => {
  const engine = shippedPolicies();
  // dana (churn-analytics) asked for payments data and for her own team's.
  const forPayments: PolicyResource = { type: 'Approval', id: 'a1', approverTeam: 'payments', requestedBy: 'dana', environmentTeam: 'churn-analytics' };
  const forChurn: PolicyResource = { type: 'Approval', id: 'a2', approverTeam: 'churn-analytics', requestedBy: 'dana', environmentTeam: 'churn-analytics' };
  assert.equal(allowed(engine, 'otherTeam', 'decideApproval', forPayments).allowed, true, 'mei is in payments');
  assert.equal(allowed(engine, 'member', 'decideApproval', forPayments).allowed, false, 'ravi is not');
  assert.equal(allowed(engine, 'admin', 'decideApproval', forPayments).allowed, false, 'priya is an admin of web, not a member of payments');
  assert.equal(allowed(engine, 'member', 'decideApproval', forChurn).allowed, true);
  const own = allowed(engine, 'owner', 'decideApproval', forChurn);
  assert.equal(own.allowed, false, 'dana is in churn-analytics but asked herself');
  assert.deepEqual(own.policies, ['no-approving-your-own-request']);
  for (const who of Object.keys(principals) as Who[]) {
    assert.equal(allowed(engine, who, 'breakGlass', forPayments).allowed, false, `${who}: break-glass is off by default`);
  }
  // Who sees a request: the owning team, the requester's team, and admins; nobody else.
  assert.equal(allowed(engine, 'otherTeam', 'readApproval', forPayments).allowed, true, 'the owning team');
  assert.equal(allowed(engine, 'member', 'readApproval', forPayments).allowed, true, "the requester's team");
  assert.equal(allowed(engine, 'owner', 'readApproval', forPayments).allowed, true, 'the requester');
  assert.equal(allowed(engine, 'admin', 'readApproval', forPayments).allowed, true, 'admins');
  const strangers: PolicyResource = { type: 'Approval', id: 'a3', approverTeam: 'payments', requestedBy: 'mei', environmentTeam: 'payments' };
  assert.equal(allowed(engine, 'member', 'readApproval', strangers).allowed, false, 'churn-analytics has nothing to do with it');
});

test('break-glass, once an organisation allows it, is for admins, and never for their own request', () => {
  const org = mkdtempSync(join(tmpdir(), 'gp-policies-'));
  writeFileSync(join(org, 'break-glass.cedar'), '@id("admins-may-break-glass")\npermit (principal, action == Action::"breakGlass", resource) when { principal.admin };\n');
  const engine = PolicyEngine.load([shippedPoliciesDir, org], { log: () => {} });
  const forPayments: PolicyResource = { type: 'Approval', id: 'a1', approverTeam: 'payments', requestedBy: 'dana', environmentTeam: 'churn-analytics' };
  assert.deepEqual(allowed(engine, 'admin', 'breakGlass', forPayments).policies, ['admins-may-break-glass']);
  assert.equal(allowed(engine, 'member', 'breakGlass', forPayments).allowed, false);
  const ownRequest: PolicyResource = { ...forPayments, requestedBy: 'priya' } as PolicyResource;
  assert.equal(allowed(engine, 'admin', 'breakGlass', ownRequest).allowed, false);
});

test('catalog: an entity belongs to its owner and its source', () => {
  const engine = shippedPolicies();
  const api = { source: 'api' };
  const churnService: PolicyResource = { type: 'CatalogEntity', ref: 'component:default/churn-model', owner: 'group:default/churn-analytics', source: 'api' };
  const danasOwn: PolicyResource = { type: 'CatalogEntity', ref: 'component:default/notes', owner: 'user:default/dana', source: 'api' };
  const fromAFile: PolicyResource = { type: 'CatalogEntity', ref: 'component:default/storefront', owner: 'group:default/churn-analytics', source: 'file:backstage' };
  for (const action of ['registerEntity', 'replaceEntity', 'deleteEntity'] as const) {
    assert.equal(allowed(engine, 'member', action, churnService, api).allowed, true, action);
    assert.equal(allowed(engine, 'otherTeam', action, churnService, api).allowed, false, action);
    assert.equal(allowed(engine, 'admin', action, churnService, api).allowed, true, action);
    assert.equal(allowed(engine, 'owner', action, danasOwn, api).allowed, true, action);
    assert.equal(allowed(engine, 'member', action, danasOwn, api).allowed, false, `${action}: dana's own entity is hers`);
  }
  for (const action of ['replaceEntity', 'deleteEntity'] as const) {
    for (const who of ['member', 'admin'] as const) {
      const d = allowed(engine, who, action, fromAFile, api);
      assert.equal(d.allowed, false, `${who} ${action} an entity of another source`);
      assert.deepEqual(d.policies, ['an-entity-belongs-to-its-source']);
    }
  }
});

test('no token: every operation but sign-in, health and the API description is a 401 before any policy is asked', async () => {
  const app = createApi({ version: 'test', policy: shippedPolicies() } as ApiDeps);
  const doc = (await (await app.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown[] }>> };
  let checked = 0;
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!op.security?.length) continue;
      const url = path.replace(/\{[^}]+\}/g, 'x1');
      const res = await app.request(url, { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: method === 'get' ? undefined : '{}' });
      assert.equal(res.status, 401, `${method.toUpperCase()} ${path} without a token`);
      checked++;
    }
  }
  assert.ok(checked >= 20, `checked ${checked} operations`);
});
