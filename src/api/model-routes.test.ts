import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Decision } from '../domain/policy/decision.ts';
import { PathLibrary } from '../engine/paths/library.ts';
import { PolicyEngine } from '../engine/policy/engine.ts';
import { newApiApp } from './errors.ts';
import { registerModelRoutes } from './model-routes.ts';
import type { Env } from './openapi.ts';

const shippedPolicies = fileURLToPath(new URL('../../policies/', import.meta.url));

/** The routes as createApi mounts them, with a signed-in member of churn-analytics and the given policy folders. */
function apiWith(dirs: string[]) {
  const policy = PolicyEngine.load(dirs, { log: () => {} });
  const decisions: Decision[] = [];
  const app = newApiApp<Env>();
  app.use('*', async (c, next) => {
    c.set('policy', policy);
    c.set('user', { id: 'dana', name: 'Dana', email: 'dana@example.org', team: 'churn-analytics', isAdmin: false });
    await next();
    const d = c.get('decision');
    if (d) decisions.push(d);
  });
  registerModelRoutes(app, { paths: new PathLibrary([], new Map()) });
  const call = async (method: string, path: string) => {
    const res = await app.request(path, { method });
    return { status: res.status, body: await res.json() };
  };
  return { call, decisions };
}

test('a model trained on copyrighted data is refused at the admission route, with the policy and its reason', async () => {
  const { call, decisions } = apiWith([shippedPolicies]);
  const r = await call('POST', '/api/v1/models/novelist-13b/admission');
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'denied');
  assert.match(r.body.error.message, /dana may not be served model novelist-13b: the model was trained on copyrighted data .*\(policy forbid-models-trained-on-copyrighted-data\)/);
  assert.deepEqual(decisions.map((d) => [d.action, d.resource, d.allowed, d.policies]), [['serveModel', 'Model::"novelist-13b"', false, ['forbid-models-trained-on-copyrighted-data']]], 'the decision is left for the audit trail');
});

test('an allowed model is admitted, and an unknown one is a 404 naming the registry\'s models', async () => {
  const { call } = apiWith([shippedPolicies]);
  const ok = await call('POST', '/api/v1/models/llama-3.1-8b-instruct/admission');
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { model: 'llama-3.1-8b-instruct', allowed: true, policies: ['registered-models-may-be-served'] });
  const unknown = await call('POST', '/api/v1/models/gpt-nothing/admission');
  assert.equal(unknown.status, 404);
  assert.match(unknown.body.error.message, /no model "gpt-nothing" in the registry; models listed there: llama-3\.1-8b-instruct, /);
});

test('the model list says for each model whether the caller would be served it and why', async () => {
  const { call, decisions } = apiWith([shippedPolicies]);
  const r = await call('GET', '/api/v1/models');
  assert.equal(r.status, 200);
  const byId = new Map(r.body.models.map((m: { id: string }) => [m.id, m]));
  assert.deepEqual((({ allowed, policies }) => ({ allowed, policies }))(byId.get('llama-3.1-8b-instruct') as { allowed: boolean; policies: string[] }), { allowed: true, policies: ['registered-models-may-be-served'] });
  const refused = byId.get('novelist-13b') as { allowed: boolean; reason: string; trainedOnCopyrightedData: boolean };
  assert.equal(refused.allowed, false);
  assert.equal(refused.trainedOnCopyrightedData, true);
  assert.match(refused.reason, /copyrighted data/);
  assert.equal(decisions.length, 0, 'a listing is not a request to be served');
});

test('an organisation\'s registry replaces the shipped one, and an edit applies at the next request', async () => {
  const org = mkdtempSync(join(tmpdir(), 'gp-org-policies-'));
  const registry = (copyrighted: boolean) => `version: 1
models:
  house-model:
    licence: internal
    support: internal
    trainedOnCopyrightedData: ${copyrighted}
    trainingData: Our own documents.
`;
  writeFileSync(join(org, 'registry.yaml'), registry(false));
  for (const f of readdirSync(shippedPolicies)) if (f.endsWith('.cedarschema')) copyFileSync(join(shippedPolicies, f), join(org, f));
  const { call } = apiWith([shippedPolicies, org]);
  assert.equal((await call('POST', '/api/v1/models/house-model/admission')).status, 200);
  assert.equal((await call('POST', '/api/v1/models/llama-3.1-8b-instruct/admission')).status, 404);
  writeFileSync(join(org, 'registry.yaml'), `${registry(true)}\n# flagged after review\n`);
  assert.equal((await call('POST', '/api/v1/models/house-model/admission')).status, 403);
});

test('the tool list gives each tool\'s licence, support model and category', async () => {
  const { call } = apiWith([shippedPolicies]);
  const r = await call('GET', '/api/v1/tools');
  assert.equal(r.status, 200);
  const talend = r.body.tools.find((t: { id: string }) => t.id === 'talend-open-studio');
  assert.deepEqual([talend.category, talend.support, talend.usedBy], ['etl', 'none', []]);
  assert.deepEqual(r.body.tools.find((t: { id: string }) => t.id === 'jupyter').provides, ['notebook']);
});
