import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmToken, readConfirmToken } from './confirmation.ts';

const now = new Date('2026-12-02T12:00:00Z');
const proposal = { action: 'delete_environment' as const, request: { id: 'eaaaaaaaa1' } };

test('a confirm token gives back exactly the proposal, to the person it was made to, for ten minutes', () => {
  const t = confirmToken(proposal, 'dana', now);
  assert.deepEqual(readConfirmToken(t, 'dana', now), { proposal });
  assert.match((readConfirmToken(t, 'mei', now) as { problem: string }).problem, /someone else/);
  assert.match((readConfirmToken(t, 'dana', new Date(now.getTime() + 11 * 60_000)) as { problem: string }).problem, /10 minutes/);
});

test('a token that was changed or made up is refused', () => {
  const t = confirmToken(proposal, 'dana', now);
  const body = JSON.parse(Buffer.from(t.slice(4).split('.')[0], 'base64url').toString());
  const forged = `gpc_${Buffer.from(JSON.stringify({ ...body, request: { id: 'ecccccccc3' } })).toString('base64url')}.${t.split('.')[1]}`;
  for (const bad of [forged, 'gpc_xyz.abc', 'yes', '']) assert.ok('problem' in readConfirmToken(bad, 'dana', now), bad);
});
