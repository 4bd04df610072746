import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { getRequestListener } from '@hono/node-server';
import pg from 'pg';
import { testAdminUrl } from '../../test/support/database.ts';
import { postHuge } from '../../test/support/huge-body.ts';
import { errorResponse, newApiApp } from './errors.ts';
import { jsonProblem, limitRequestBodies, MB, paramAt, rejectUnstorableText } from './request-guards.ts';
import { securityHeaders } from './security-headers.ts';

/** An app wired as createApi wires it: guards before the routes, the same error handling, over real HTTP. */
let server: Server;
let base: string;
let pool: pg.Pool;
const received: unknown[] = [];

before(async () => {
  pool = new pg.Pool({ connectionString: testAdminUrl(), max: 2 });
  const app = newApiApp();
  app.use('*', securityHeaders());
  app.use('*', limitRequestBodies({ limits: { 'POST /api/v1/import': { maxBytes: 3 * MB, hint: 'send fewer descriptors per request' } } }));
  app.use('*', rejectUnstorableText(() => app.routes));
  const Body = z.object({ user: z.string(), tags: z.array(z.string()).optional() });
  for (const path of ['/api/v1/sessions', '/api/v1/import']) {
    app.openapi(createRoute({ method: 'post', path, request: { body: { required: true, content: { 'application/json': { schema: Body } } } }, responses: { 200: { description: 'ok' } } }),
      (c) => {
        received.push(c.req.valid('json'));
        return c.json({ ok: true }, 200);
      });
  }
  app.openapi(createRoute({ method: 'post', path: '/api/v1/approvals/{id}/approve', request: { params: z.object({ id: z.string() }) }, responses: { 200: { description: 'ok' } } }),
    (c) => c.json({ id: c.req.valid('param').id }, 200));
  app.get('/api/v1/search', (c) => c.json({ q: c.req.query('q') ?? null }));
  // Straight to PostgreSQL, as a route whose guard was forgotten would.
  app.get('/api/v1/unguarded/:text', async (c) => c.json((await pool.query('SELECT $1::text AS t', [c.req.param('text')])).rows[0]));
  app.get('/api/v1/boom', () => {
    throw new Error('the database at postgres://svc:hunter22@db/x fell over');
  });
  server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await pool.end();
});

type ErrorJson = { error: { code: string; message: string; details?: { field: string; message: string }[] } };

async function errorOf(path: string, init?: RequestInit): Promise<{ status: number; body: ErrorJson }> {
  const res = await fetch(base + path, init);
  return { status: res.status, body: (await res.json()) as ErrorJson };
}

const postJson = (body: string | Uint8Array<ArrayBuffer>): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body });

test('a NUL byte in the query string, a path parameter or a JSON body is a 400 naming the field', async () => {
  const q = await errorOf('/api/v1/search?q=%00');
  assert.equal(q.status, 400);
  assert.equal(q.body.error.code, 'invalid_request');
  assert.equal(q.body.error.message, 'query parameter "q" contains a NUL byte; remove it');
  assert.deepEqual(q.body.error.details?.map((d) => d.field), ['q']);

  const id = await errorOf('/api/v1/approvals/a%00b/approve', { method: 'POST' });
  assert.equal(id.status, 400);
  assert.match(id.body.error.message, /^path parameter "id" contains a NUL byte/);
  assert.equal(id.body.error.details?.[0].field, 'id');

  const user = await errorOf('/api/v1/sessions', postJson('{"user": "dana\\u0000", "password": "x"}'));
  assert.equal(user.status, 400);
  assert.match(user.body.error.message, /^body field "user" contains a NUL byte/);

  const nested = await errorOf('/api/v1/sessions', postJson('{"user": "dana", "tags": ["ok", "bad\\u0000"]}'));
  assert.equal(nested.body.error.details?.[0].field, 'tags.1');
  const key = await errorOf('/api/v1/sessions', postJson('{"user": "dana", "x\\u0000y": 1}'));
  assert.match(key.body.error.message, /^body key "x\?y" contains a NUL byte/);
  assert.equal(received.length, 0, 'no route saw any of them');
});

test('invalid UTF-8 and malformed percent-encoding are 400s that say what to fix', async () => {
  const malformed = await errorOf('/api/v1/search?q=%E0%A4%A');
  assert.equal(malformed.status, 400);
  assert.match(malformed.body.error.message, /^query parameter "q" has malformed percent-encoding \("%A"\); write each byte as %XX/);
  const notUtf8 = await errorOf('/api/v1/search?q=%FF%FE');
  assert.match(notUtf8.body.error.message, /^query parameter "q" is not valid UTF-8/);
  const badName = await errorOf('/api/v1/search?%C0=1');
  assert.match(badName.body.error.message, /^the name of query parameter "%C0" is not valid UTF-8/);
  const path = await errorOf('/api/v1/approvals/%E0%A4%A/approve', { method: 'POST' });
  assert.match(path.body.error.message, /^path parameter "id" has malformed percent-encoding/);
  const segment = await errorOf('/api/v%FF/search');
  assert.match(segment.body.error.message, /^the path's segment 2 is not valid UTF-8/);

  const body = await errorOf('/api/v1/sessions', postJson(new Uint8Array(Buffer.concat([Buffer.from('{"user": "d'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]))));
  assert.equal(body.status, 400);
  assert.equal(body.body.error.message, 'body field "user" is not valid UTF-8 (byte 11 of the body); send the body as UTF-8 text');
  const surrogate = await errorOf('/api/v1/sessions', postJson('{"user": "\\ud800"}'));
  assert.match(surrogate.body.error.message, /^body field "user" contains invalid Unicode/);
  assert.equal(received.length, 0);
});

test('good text passes untouched: escapes that only look like NUL, non-ASCII, encoded slashes', async () => {
  const res = await fetch(base + '/api/v1/sessions', postJson('{"user": "Zoë \\\\u0000 🙂", "tags": ["日本"]}'));
  assert.equal(res.status, 200, await res.text());
  assert.deepEqual(received.pop(), { user: 'Zoë \\u0000 🙂', tags: ['日本'] });
  assert.deepEqual(await (await fetch(base + '/api/v1/search?q=caf%C3%A9+au+lait')).json(), { q: 'café au lait' });
  assert.deepEqual(await (await fetch(base + '/api/v1/approvals/a%2Fb/approve', { method: 'POST' })).json(), { id: 'a/b' });
  const notJson = await errorOf('/api/v1/sessions', postJson('{"user": '));
  assert.equal(notJson.status, 400);
  assert.equal(notJson.body.error.message, 'the request body is not valid JSON');
});

test('PostgreSQL refusing a NUL is a 400, and any other failure a generic 500 logged without secrets', async (t) => {
  const viaDb = await errorOf('/api/v1/unguarded/caf%C3%A9');
  assert.equal(viaDb.status, 200);
  // The guard stops the NUL first; straight to PostgreSQL, its 22021 is the caller's bad input all the same.
  const direct = await pool.query('SELECT $1::text', ['a\0b']).catch((e: Error) => e);
  assert.equal((direct as { code?: string }).code, '22021');
  const fake = new OpenAPIHono();
  fake.onError(errorResponse);
  fake.get('/', () => {
    throw direct;
  });
  const mapped = await fake.request('/');
  assert.equal(mapped.status, 400);
  assert.match(((await mapped.json()) as ErrorJson).error.message, /cannot be stored \(a NUL byte or bytes that are not UTF-8\)/);

  const logged: string[] = [];
  t.mock.method(console, 'error', (m: string) => logged.push(m));
  const boom = await errorOf('/api/v1/boom');
  assert.equal(boom.status, 500);
  assert.equal(boom.body.error.code, 'internal');
  assert.doesNotMatch(JSON.stringify(boom.body), /hunter22|postgres:/);
  assert.equal(logged.length, 1);
  assert.match(logged[0], /GET \/api\/v1\/boom: Error: the database at postgres:\/\/svc:\*\*\*@db\/x fell over/);
});


test('a body over the limit is a 413 before it is read, declared or chunked, and the connection is closed', async () => {
  await fetch(base + '/api/v1/search'); // warm
  for (const declared of [true, false]) {
    const r = await postHuge(base + '/api/v1/sessions', 150 * MB, declared);
    assert.equal(r.status, 413, r.body);
    const body = JSON.parse(r.body) as ErrorJson;
    assert.equal(body.error.code, 'payload_too_large');
    assert.equal(body.error.message, 'the request body is over 1 MB; send a smaller body');
    assert.equal(r.connection, 'close');
    assert.ok(r.ms < 1000, `answered in ${r.ms.toFixed(0)} ms`);
    assert.ok(r.sent < 20 * MB, `the client had sent only ${(r.sent / MB).toFixed(1)} MB when refused`);
  }
  // A route's own limit: the import takes 2 MB, not 4.
  const two = JSON.stringify({ user: 'x'.repeat(2 * MB) });
  assert.equal((await fetch(base + '/api/v1/sessions', postJson(two))).status, 413);
  assert.equal((await fetch(base + '/api/v1/import', postJson(two))).status, 200);
  const four = await postHuge(base + '/api/v1/import', 4 * MB, false);
  assert.equal(four.status, 413);
  assert.match(four.body, /over 3 MB; send fewer descriptors per request/);
});

test('every response carries the security headers, errors included', async () => {
  for (const res of [await fetch(base + '/api/v1/search'), await fetch(base + '/api/v1/search?q=%00'), await fetch(base + '/nowhere')]) {
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self' 'unsafe-eval'(;|$)/, 'no inline or foreign scripts');
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('strict-transport-security'), null);
  }
});

test('jsonProblem and paramAt name the field', () => {
  assert.equal(jsonProblem({ a: [{ b: 'ok' }, { b: 'x\0' }] })?.field, 'a.1.b');
  assert.equal(jsonProblem({ a: 1, b: null, c: true, d: 'fine' }), null);
  const routes = [{ method: 'ALL', path: '/api/v1/*' }, { method: 'GET', path: '/api/v1/catalog/entities/by-ref/:kind/:namespace/:name' }];
  assert.equal(paramAt(routes, 'GET', ['', 'api', 'v1', 'catalog', 'entities', 'by-ref', 'component', 'x%00', 'n'], 7), 'namespace');
  assert.equal(paramAt(routes, 'GET', ['', 'api', 'v1', 'x%00'], 3), null);
});
