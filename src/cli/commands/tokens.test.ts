import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { ApiClient } from '../client.ts';
import { listTokens, revokeToken, tokenTable, type TokenInfo } from './tokens.ts';

test('the token table marks the current token and shows "-" for never used', () => {
  const tokens: TokenInfo[] = [
    { id: 'tok_aaaaaaaa', kind: 'cli', label: 'cli', createdAt: '2026-01-02T03:04:05.000Z', expiresAt: '2026-04-02T03:04:05.000Z', lastUsedAt: '2026-01-03T00:00:00.000Z', current: true },
    { id: 'tok_bbbbbbbb', kind: 'session', label: 'portal session', createdAt: '2026-01-02T10:00:00.000Z', expiresAt: '2026-01-02T22:00:00.000Z', lastUsedAt: null, current: false },
  ];
  const lines = tokenTable(tokens).split('\n');
  assert.match(lines[0], /^ID\s+KIND\s+LABEL\s+CREATED\s+EXPIRES\s+LAST USED$/);
  assert.match(lines[1], /^\* tok_aaaaaaaa\s+cli\s+cli\s+2026-01-02 03:04\s+2026-04-02 03:04\s+2026-01-03 00:00$/);
  assert.match(lines[2], /^ {2}tok_bbbbbbbb\s+session\s+portal session\s+2026-01-02 10:00\s+2026-01-02 22:00\s+-$/);
});

test('an older server without /api/v1/tokens gets a clear message, not "not found"', async (t) => {
  // What a platform from before token management answers: its catch-all 404 for unknown endpoints.
  const server = createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { code: 'not_found', message: `no such endpoint: ${req.method} ${req.url}; see /api/v1/openapi.json` } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const client = new ApiClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`, 'gpt_x');
  await assert.rejects(listTokens(client, {}), /this server does not support token management yet/);
  await assert.rejects(revokeToken(client, 'tok_aaaaaaaa', {}), /this server does not support token management yet/);
});
