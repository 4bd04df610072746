// The MCP server, driven by the official SDK's client the way an AI assistant drives it: over
// streamable HTTP at /mcp with an API token, and over stdio by spawning `goldpath mcp` against a
// real platform. Both list the same tools with their hints, launch a path, see it, are refused
// another team's launch with the policy named, search the catalog, break down spend and delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { goldpathBin, startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';
import { localTokens } from '../support/local-accounts.ts';

let platform: PlatformProcess;
let tokens: Record<string, string>;
const clients: Client[] = [];

before(async () => {
  platform = await startPlatformProcess({ env: { GOLDPATH_WARM_NOTEBOOKS: '0' } });
  tokens = localTokens(platform.home);
});
after(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await platform?.stop();
});

async function overHttp(user: string): Promise<Client> {
  const client = new Client({ name: 'goldpath-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${platform.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${tokens[user]}` } } }));
  clients.push(client);
  return client;
}

async function overStdio(user: string): Promise<Client> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'GOLDPATH_HOME') env[k] = v;
  const client = new Client({ name: 'goldpath-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: goldpathBin, args: ['mcp'], env: { ...env, GOLDPATH_URL: platform.url, GOLDPATH_TOKEN: tokens[user]! }, stderr: 'pipe' }));
  clients.push(client);
  return client;
}

const callTool = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
async function structured<T>(client: Client, name: string, args: Record<string, unknown> = {}): Promise<T> {
  const r = await callTool(client, name, args);
  assert.ok(!r.isError, `${name} failed: ${textOf(r)}`);
  assert.ok(r.structuredContent, `${name} gave no structured content`);
  assert.deepEqual(JSON.parse(textOf(r)), r.structuredContent, 'the text holds the same JSON, for clients without structured output');
  return r.structuredContent as T;
}

const expectedTools = ['delete_environment', 'explain_refusal', 'get_entity', 'get_environment', 'get_path', 'launch_environment', 'list_environments',
  'list_paths', 'search_catalog', 'spend_breakdown', 'start_environment', 'stop_environment'];

/** What an assistant does on either transport, as a member of a team other than payments. */
async function scenario(client: Client, team: string, name: string): Promise<void> {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), expectedTools);
  const hints = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
  for (const readOnly of ['list_paths', 'get_path', 'get_environment', 'list_environments', 'search_catalog', 'get_entity', 'spend_breakdown', 'explain_refusal']) {
    assert.equal(hints[readOnly]?.readOnlyHint, true, `${readOnly} is read-only`);
  }
  assert.equal(hints.delete_environment?.destructiveHint, true);
  assert.equal(hints.delete_environment?.readOnlyHint, false);
  assert.equal(hints.launch_environment?.destructiveHint, false);
  assert.equal(hints.launch_environment?.idempotentHint, false);
  const launchSchema = tools.find((t) => t.name === 'launch_environment')!.inputSchema;
  assert.deepEqual(launchSchema.required, ['path'], 'the launch schema is the API\'s LaunchRequest');
  assert.ok(launchSchema.properties?.reason && launchSchema.properties.params);

  const { paths } = await structured<{ paths: { name: string }[] }>(client, 'list_paths');
  assert.ok(paths.some((p) => p.name === 'sql-data-querying'));
  const path = await structured<{ docs: string | null }>(client, 'get_path', { name: 'sql-data-querying' });
  assert.ok(path.docs && path.docs.length > 50, 'get_path gives the how-to docs');

  const launched = await structured<EnvironmentView>(client, 'launch_environment', { path: 'sql-data-querying', name });
  assert.equal(launched.status, 'ready', `ready after waiting: ${launched.reason}`);
  assert.equal(launched.team, team);
  const seen = await structured<EnvironmentView & { events: { type: string }[] }>(client, 'get_environment', { id: launched.id, events: true });
  assert.equal(seen.id, launched.id);
  assert.ok(seen.resources.some((r) => r.type === 'warehouse' && String(r.outputs.url).startsWith('postgres://')));
  assert.ok(seen.events.some((e) => e.type === 'environment.ready'), 'with its history');
  const { environments } = await structured<{ environments: EnvironmentView[] }>(client, 'list_environments');
  assert.ok(environments.some((e) => e.id === launched.id));

  // Another team's launch: refused by the policy engine, as a tool error that names the policy.
  const refused = await callTool(client, 'launch_environment', { path: 'sql-data-querying', team: 'payments' });
  assert.equal(refused.isError, true);
  assert.match(textOf(refused), /^403 denied: .*may not launch Path::"sql-data-querying": only members of payments launch for it/);
  assert.match(textOf(refused), /policy: default-deny .*launch is permitted by members-launch-for-their-team \(platform\.cedar:\d+\)/);
  // Bad input: the platform's 400, saying what to fix; and an unknown environment's 404.
  const bad = await callTool(client, 'launch_environment', { path: 'sql-data-querying', params: { nope: 1 } });
  assert.equal(bad.isError, true);
  assert.match(textOf(bad), /^400 /);
  const missing = await callTool(client, 'get_environment', { id: 'e000000000' });
  assert.equal(missing.isError, true);
  assert.match(textOf(missing), /^404 /);

  const found = await structured<{ items: { ref: string; kind: string }[] }>(client, 'search_catalog', { query: 'customers', kind: ['Dataset'] });
  assert.ok(found.items.length > 0 && found.items.every((i) => i.kind === 'Dataset'), `a dataset is found: ${JSON.stringify(found.items)}`);
  const entity = await structured<{ ref: string; relations: unknown[] }>(client, 'get_entity', { ref: found.items[0]!.ref });
  assert.equal(entity.ref, found.items[0]!.ref);

  const spend = await structured<{ team: string; total: string; rows: unknown[] }>(client, 'spend_breakdown', { by: 'path' });
  assert.equal(spend.team, team);
  assert.match(spend.total, /^\d+\.\d+$/);

  const deleted = await structured<EnvironmentView>(client, 'delete_environment', { id: launched.id });
  assert.equal(deleted.desired, 'deleted', 'the deletion is accepted: the orchestrator carries it out');
}

test('over HTTP at /mcp with an API token: tools with hints, launch, see, a refusal naming the policy, catalog, spend, delete', async () => {
  await scenario(await overHttp('dana'), 'churn-analytics', 'mcp-http');
});

test('explain_refusal tells why an environment is not ready: the data owners\' pending approval, then their rejection with its reason', async () => {
  const client = await overHttp('dana');
  const env = await structured<EnvironmentView>(client, 'launch_environment', { path: 'data-science-customer-data', name: 'mcp-governed', reason: 'Churn model for the retention campaign' });
  assert.equal(env.status, 'awaiting-approval');
  type Why = { summary: string; approvals: { approverTeam: string; status: string }[]; events: { type: string }[] };
  const pending = await structured<Why>(client, 'explain_refusal', { environment: env.id });
  assert.match(pending.summary, /waits for the data owners' approval/);
  assert.ok(pending.approvals.length > 0 && pending.approvals.every((a) => a.status === 'pending'));
  // A member of an owning team rejects it (through the REST API, as the portal would).
  const memberOf: Record<string, string> = { payments: 'mei', web: 'sam', 'churn-analytics': 'ravi' };
  const approvals = (await (await fetch(`${platform.url}/api/v1/approvals?environment=${env.id}`, { headers: { authorization: `Bearer ${tokens.dana}` } })).json()) as { approvals: { id: string; approverTeam: string }[] };
  const first = approvals.approvals[0]!;
  const decided = await fetch(`${platform.url}/api/v1/approvals/${first.id}/reject`, {
    method: 'POST', headers: { authorization: `Bearer ${tokens[memberOf[first.approverTeam]!]}`, 'content-type': 'application/json' },
    body: JSON.stringify({ reason: 'Use the masked customer data instead' }),
  });
  assert.equal(decided.status, 200, await decided.text());
  const rejected = await structured<Why>(client, 'explain_refusal', { environment: env.id });
  assert.match(rejected.summary, new RegExp(`The data owners refused it: ${memberOf[first.approverTeam]} of ${first.approverTeam} rejected the request: "Use the masked customer data instead"`));
  assert.ok(rejected.events.some((e) => /reject|fail/.test(e.type)), JSON.stringify(rejected.events));
  // Without an environment, a member reads their own team's log: her refusal for payments is in payments' log, and the answer says so.
  const recent = await structured<{ summary: string; refusals: unknown[] }>(client, 'explain_refusal');
  assert.deepEqual(recent.refusals, []);
  assert.match(recent.summary, /No refused launch of yours in the audit log of your team \(churn-analytics\); refusals for another team are in its log/);
});

test('over stdio, goldpath mcp acts with the user\'s token: the same tools, and explain_refusal cites the policy from the audit log', async () => {
  // priya is a platform admin (team web): she reads the whole audit log, her refusal for payments included.
  const client = await overStdio('priya');
  await scenario(client, 'web', 'mcp-stdio');
  const why = await structured<{ summary: string; refusals: { resource: string; team: string; policies: { id: string }[] }[] }>(client, 'explain_refusal');
  assert.equal(why.refusals[0]?.team, 'payments');
  assert.equal(why.refusals[0]?.policies[0]?.id, 'default-deny');
  assert.match(why.summary, /launch of Path::"sql-data-querying" for payments refused by default-deny: no policy in force permits it; launch is permitted only by members-launch-for-their-team/);
});

test('/mcp refuses a request without a valid token, and answers only POST (it is stateless)', async () => {
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const anonymous = await fetch(`${platform.url}/mcp`, { method: 'POST', headers, body: JSON.stringify(init) });
  assert.equal(anonymous.status, 401);
  assert.match(((await anonymous.json()) as { error: { message: string } }).error.message, /Authorization: Bearer/);
  const wrong = await fetch(`${platform.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: 'Bearer nope' }, body: JSON.stringify(init) });
  assert.equal(wrong.status, 401);
  const get = await fetch(`${platform.url}/mcp`, { headers: { authorization: `Bearer ${tokens.dana}`, accept: 'text/event-stream' } });
  assert.equal(get.status, 405);
  const garbage = await fetch(`${platform.url}/mcp`, { method: 'POST', headers: { ...headers, authorization: `Bearer ${tokens.dana}` }, body: '{not json' });
  assert.equal(garbage.status, 400);
  assert.equal(((await garbage.json()) as { error: { code: number } }).error.code, -32700);
});
