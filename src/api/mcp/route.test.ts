import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTestDatabase } from '../../../test/support/database.ts';
import { shippedPolicies } from '../../../test/support/policies.ts';
import { migrate } from '../../infrastructure/postgres/migrate.ts';
import { EventFeed } from '../../engine/live/event-feed.ts';
import { seedDemoOrganisation } from '../../engine/identity/demo-organisation.ts';
import { issueToken } from '../../engine/identity/tokens.ts';
import { createApi, type ApiDeps } from '../app.ts';

let pool: pg.Pool;
let feed: EventFeed;
let app: ReturnType<typeof createApi>;
let client: Client;

before(async () => {
  const url = await createTestDatabase('mcproute');
  pool = new pg.Pool({ connectionString: url, max: 4 });
  await migrate(pool);
  await seedDemoOrganisation(pool);
  feed = new EventFeed(url);
  await feed.start();
  app = createApi({ pool, feed, version: 'test', policy: shippedPolicies() } as ApiDeps);
  const dana = await issueToken(pool, 'dana', 'cli');
  client = new Client({ name: 'route-test', version: '1' });
  // The SDK's own HTTP client, its requests answered by the API app itself.
  await client.connect(new StreamableHTTPClientTransport(new URL('http://platform.test/mcp'), {
    requestInit: { headers: { authorization: `Bearer ${dana}` } },
    fetch: async (input, init) => app.request(String(input), init),
  }));
});
after(async () => {
  await client?.close();
  await feed.stop();
  await pool.end();
});

const auditRows = async (action: string) =>
  (await pool.query<{ actor: string; decision: string; policies: string[]; status: number }>('SELECT actor, decision, policies, status FROM audit_log WHERE action = $1 ORDER BY id', [action])).rows;

test('a tool call is decided and audited by the REST route it mirrors: a refusal is a tool error, and the audit row is the user\'s', async () => {
  const r = (await client.callTool({ name: 'list_environments', arguments: { team: 'payments' } })) as CallToolResult;
  assert.equal(r.isError, true);
  const text = r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  assert.match(text, /^403 denied: dana may not listEnvironments Team::"payments": only members of payments and platform admins see this/);
  assert.match(text, /policy: default-deny .*listEnvironments is permitted by members-see-their-teams-environments/);
  assert.deepEqual(await auditRows('listEnvironments'), [{ actor: 'dana', decision: 'deny', policies: ['default-deny'], status: 403 }]);

  const own = (await client.callTool({ name: 'list_environments', arguments: {} })) as CallToolResult;
  assert.ok(!own.isError);
  assert.deepEqual(own.structuredContent, { environments: [] });
  assert.deepEqual((await auditRows('listEnvironments')).map((row) => row.decision), ['deny', 'allow']);
});

test('bad input never reaches the platform: the schema refuses it as a tool error; an unknown environment is the route\'s 404', async () => {
  const bad = (await client.callTool({ name: 'stop_environment', arguments: { id: 'not an id' } })) as CallToolResult;
  assert.equal(bad.isError, true);
  assert.match(bad.content.map((c) => (c.type === 'text' ? c.text : '')).join(''), /an environment id looks like e1a2b3c4d5/);
  const missing = (await client.callTool({ name: 'stop_environment', arguments: { id: 'e000000000' } })) as CallToolResult;
  assert.equal(missing.isError, true);
  assert.match(missing.content.map((c) => (c.type === 'text' ? c.text : '')).join(''), /^404 /);
  const ref = (await client.callTool({ name: 'get_entity', arguments: { ref: 'no-kind-here' } })) as CallToolResult;
  assert.equal(ref.isError, true);
  assert.match(ref.content.map((c) => (c.type === 'text' ? c.text : '')).join(''), /^400 invalid_request: "no-kind-here" has no kind/);
});
