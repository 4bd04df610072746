import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A local account of a platform started by `goldpath up`, as its operator knows it: the password
 * from the local accounts file, the name and team from the API (through the account's CLI token).
 */
export interface LocalAccount {
  id: string;
  name: string;
  team: string;
  password: string;
}

export function localPassword(home: string, user: string): string {
  for (const line of readFileSync(join(home, 'local-accounts.txt'), 'utf8').split('\n')) {
    const cols = line.split('\t');
    if (cols[0] === user && cols.length >= 4) return cols[3];
  }
  throw new Error(`no local account "${user}" in ${join(home, 'local-accounts.txt')}`);
}

/** What `goldpath up` wrote to credentials.json: the CLI's default user and each local account's CLI token. */
export function localCredentials(home: string): { defaultUser: string; tokens: Record<string, string> } {
  return JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as { defaultUser: string; tokens: Record<string, string> };
}

/** The CLI tokens of the local accounts, by user id. */
export const localTokens = (home: string): Record<string, string> => localCredentials(home).tokens;

/** A session of a local account, signed in with its password as a person would: its token. */
export async function localSession(platform: { url: string; home: string }, user: string): Promise<string> {
  const res = await fetch(`${platform.url}/api/v1/sessions`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, password: localPassword(platform.home, user) }),
  });
  assert.equal(res.status, 201);
  return ((await res.json()) as { token: string }).token;
}

export async function localAccount(platform: { url: string; home: string }, user: string): Promise<LocalAccount> {
  const res = await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${localTokens(platform.home)[user]}` } });
  if (!res.ok) throw new Error(`${user}: /api/v1/me answered ${res.status}`);
  const me = (await res.json()) as { name: string; team: string };
  return { id: user, name: me.name, team: me.team, password: localPassword(platform.home, user) };
}
