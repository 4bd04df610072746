import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

// Apart from config.ts: the CLI reads credentials on every command and should not load crypto for it.
/** Settings chosen once on the first start and kept, so credentials handed out stay valid. */
export interface LocalState {
  postgresPort: number;
  postgresPassword: string;
}

export function localState(home: string, preferredPgPort: number): LocalState {
  const file = join(home, 'state.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as LocalState;
  mkdirSync(home, { recursive: true });
  const state = { postgresPort: preferredPgPort, postgresPassword: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(state, null, 2), { mode: 0o600 });
  return state;
}
