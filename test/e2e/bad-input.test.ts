import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process.ts';

let platform: PlatformProcess;
let token = '';
before(async () => {
  platform = await startPlatformProcess();
  token = (await platform.cliJson<{ token: string }>(['token'])).token;
});
after(async () => {
  await platform?.stop();
});

const weirdIds = ['x', '..%2F..%2Fetc%2Fpasswd', '%00', 'e' + 'a'.repeat(5000), '🙂', "e1'; DROP TABLE environments; --", 'E123456789'];
const weirdBodies: (string | undefined)[] = [
  undefined, '', '{', 'null', '[]', '"text"', '42', '{"path": 5}', '{"path": "data-science-experimentation", "params": []}',
  '{"path": "data-science-experimentation", "params": {"project": {"$gt": ""}}}', JSON.stringify({ path: 'x'.repeat(100_000) }),
  '{"reason": null}', '{"entities": "no"}', '{"user": "dana", "password": 7}', '{"__proto__": {"admin": true}}',
];

/** Every operation of the OpenAPI document, with its path parameters filled with something odd. */
async function operations(): Promise<{ method: string; path: string }[]> {
  const doc = (await (await fetch(`${platform.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const ops: { method: string; path: string }[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      if (path.endsWith('/stream')) continue; // an open stream by design; covered by its own tests
      for (const id of weirdIds) ops.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, encodeURIComponent(id)) });
    }
  }
  return ops;
}

test('no request, however odd, gets a 5xx or a reply that is not a JSON error for people', async () => {
  const problems: string[] = [];
  const ops = await operations();
  assert.ok(ops.length > 50);
  for (const op of ops) {
    for (const body of op.method === 'GET' || op.method === 'DELETE' ? [undefined] : weirdBodies) {
      for (const auth of [true, false]) {
        const res = await fetch(platform.url + op.path, {
          method: op.method,
          headers: { ...(auth ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          body,
        });
        const text = await res.text();
        const where = `${op.method} ${op.path.slice(0, 80)} ${auth ? '' : '(no token) '}${(body ?? '').slice(0, 40)}`;
        if (res.status >= 500) problems.push(`${where} → ${res.status} ${text.slice(0, 200)}`);
        else if (res.status >= 400) {
          const parsed = JSON.parse(text) as { error?: { message?: string } };
          if (!parsed.error?.message) problems.push(`${where} → ${res.status} without a message: ${text.slice(0, 200)}`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
  // And the platform is still fine afterwards.
  assert.equal((await fetch(`${platform.url}/api/v1/health`)).status, 200);
});

test('odd query strings are refused clearly', async () => {
  for (const q of ['limit=-1', 'limit=abc', 'limit=100000', 'cursor=%FF%FE', 'kind=' + 'k'.repeat(10_000), 'relation=nonsense', 'fields=metadata.%00', 'after=-5', 'includeDeleted=maybe', 'team=%27']) {
    for (const path of ['/api/v1/catalog/entities', '/api/v1/environments', '/api/v1/approvals', '/api/v1/catalog/facets']) {
      const res = await fetch(`${platform.url}${path}?${q}`, { headers: { authorization: `Bearer ${token}` } });
      assert.ok(res.status < 500, `${path}?${q} → ${res.status} ${await res.text()}`);
    }
  }
});
