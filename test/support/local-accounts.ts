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

/** The CLI tokens of the local accounts, by user id, as `goldpath up` wrote them to credentials.json. */
export function localTokens(home: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(home, 'credentials.json'), 'utf8')) as { tokens: Record<string, string> }).tokens;
}

export async function localAccount(platform: { url: string; home: string }, user: string): Promise<LocalAccount> {
  const res = await fetch(`${platform.url}/api/v1/me`, { headers: { authorization: `Bearer ${localTokens(platform.home)[user]}` } });
  if (!res.ok) throw new Error(`${user}: /api/v1/me answered ${res.status}`);
  const me = (await res.json()) as { name: string; team: string };
  return { id: user, name: me.name, team: me.team, password: localPassword(platform.home, user) };
}
