import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentView } from '../../src/domain/environment/schema.ts';
import { isProcessAlive } from '../../src/infrastructure/jupyter/index.ts';
import { localTokens } from './local-accounts.ts';
import { outputsOf } from './outputs.ts';

/** How a program opens a workspace through the front door: an API token (of the environment's owner by default). */
export function doorAuth(platform: { home: string }, user: string): { headers: Record<string, string> } {
  const token = localTokens(platform.home)[user];
  if (!token) throw new Error(`no CLI token for ${user}`);
  return { headers: { authorization: `Bearer ${token}` } };
}

/** The notebook's stable URL and the owner's credentials for it, as runCell takes them. */
export function notebookOf(platform: { home: string }, env: EnvironmentView, user = env.owner): { url: string; auth: { headers: Record<string, string> } } {
  return { url: outputsOf(env, 'notebook').url, auth: doorAuth(platform, user) };
}

/** A request to a workspace through the front door, e.g. `api/status` of the notebook. */
export function viaDoor(platform: { home: string }, env: EnvironmentView, path: string, init: RequestInit = {}, user = env.owner): Promise<Response> {
  const nb = notebookOf(platform, env, user);
  return fetch(new URL(path, nb.url), { ...init, headers: { ...nb.auth.headers, ...(init.headers as Record<string, string> | undefined) } });
}

/** Whether the notebook's server process runs (from the platform's run file: its port is nobody's business but the door's). */
export function notebookRuns(home: string, envId: string, resourceId = 'notebook'): boolean {
  try {
    const run = JSON.parse(readFileSync(join(home, 'envs', envId, resourceId, 'run.json'), 'utf8')) as { pid: number };
    return isProcessAlive(run.pid);
  } catch {
    return false;
  }
}
