import type { EnvironmentView, EventView } from '../../domain/environment/schema.ts';
import type { ApiClient } from '../client.ts';
import { bold, clock, dim, green, red, table } from '../format.ts';
import { print, printJson } from '../output.ts';
import { describeSpan } from '../../domain/time/duration.ts';

export function printEnvironment(env: EnvironmentView): void {
  print(`${bold(env.name)}  ${dim(env.id)}`);
  print(`  path ${env.path} · team ${env.team} · owner ${env.owner} · data ${env.dataClass ?? '-'} · status ${statusColor(env.status)}${env.reason ? ` (${env.reason})` : ''}`);
  const lifetime = lifetimeLine(env);
  if (lifetime) print(`  ${lifetime}`);
  if (env.extension) print(`  ${extensionLine(env.extension)}`);
  for (const r of env.resources) {
    const url = typeof r.outputs.url === 'string' ? r.outputs.url : '';
    print(`  ${r.id.padEnd(10)} ${r.type.padEnd(10)} ${statusColor(r.status).padEnd(10)} ${url}${r.error ? red(` ${r.error}`) : ''}`);
  }
}

/** What a developer added to a software path, e.g. "extended (goldpath.yaml at 1a2b3c4d5e6f): cache (cache), service +REDIS_URL". */
function extensionLine(e: NonNullable<EnvironmentView['extension']>): string {
  const added = [
    ...Object.entries(e.resources).map(([id, r]) => `${id} (${r.type})`),
    ...Object.entries(e.env).map(([id, vars]) => `${id} ${Object.keys(vars).map((k) => `+${k}`).join(' ')}`),
    ...Object.entries(e.parameters).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`),
  ];
  const from = e.from === 'repository' ? `goldpath.yaml${e.commit ? ` at ${e.commit.slice(0, 12)}` : ''}` : 'at launch';
  return `extended (${from}): ${added.join(', ') || 'nothing'}`;
}

/** When it expires and when its workspace was last used, e.g. "expires 2026-05-02 10:00 UTC (in 3 days) · last activity 12 minutes ago". */
function lifetimeLine(env: EnvironmentView, now = Date.now()): string {
  const parts: string[] = [];
  if (env.expiresAt && env.status !== 'deleted') {
    const left = Date.parse(env.expiresAt) - now;
    parts.push(`expires ${clock(env.expiresAt)} UTC (${left > 0 ? `in ${describeSpan(left)}` : 'now'}; \`goldpath extend ${env.id}\` for more)`);
  }
  if (env.lastActivityAt) parts.push(`last activity ${describeSpan(now - Date.parse(env.lastActivityAt))} ago`);
  return parts.join(' · ');
}

const statusColor = (s: string) => (s === 'ready' ? green(s) : s === 'failed' ? red(s) : s);

/** Follows the environment's event stream until its status satisfies `done`. */
export async function follow(client: ApiClient, id: string, onEvent: (e: EventView) => void, done: (status: string) => boolean): Promise<EnvironmentView> {
  let last: EnvironmentView | undefined;
  await client.stream(`/api/v1/environments/${id}/stream`, (type, data) => {
    if (type === 'event') onEvent(data as EventView);
    if (type === 'environment') {
      last = data as EnvironmentView;
      return done(last.status);
    }
    return false;
  });
  return last ?? (await client.request<EnvironmentView>('GET', `/api/v1/environments/${id}`));
}

export async function listEnvironments(client: ApiClient, opts: { team?: string; mine?: boolean; all?: boolean; json?: boolean }): Promise<number> {
  const q = new URLSearchParams();
  if (opts.team) q.set('team', opts.team);
  if (opts.mine) q.set('mine', 'true');
  if (opts.all) q.set('includeDeleted', 'true');
  const { environments } = await client.request<{ environments: EnvironmentView[] }>('GET', `/api/v1/environments?${q}`);
  if (opts.json) printJson(environments);
  else if (environments.length === 0) print('no environments yet: `goldpath launch data-science-experimentation --wait` makes one');
  else print(table(environments.map((e) => ({ ...e, created: clock(e.createdAt, { seconds: true }) })), ['id', 'name', 'path', 'team', 'owner', 'status', 'created']));
  return 0;
}

export async function showEnvironment(client: ApiClient, id: string, opts: { json?: boolean; events?: boolean }): Promise<number> {
  const env = await client.request<EnvironmentView>('GET', `/api/v1/environments/${encodeURIComponent(id)}`);
  if (opts.json) {
    printJson(env);
    return 0;
  }
  printEnvironment(env);
  if (opts.events) {
    const { events } = await client.request<{ events: EventView[] }>('GET', `/api/v1/environments/${env.id}/events`);
    print('');
    for (const e of events) print(`  ${dim(e.at.slice(11, 23))} ${e.message}`);
  }
  return 0;
}

const actions = {
  delete: { method: 'DELETE', suffix: '', done: 'deleted', doing: 'deleting' },
  stop: { method: 'POST', suffix: '/stop', done: 'stopped', doing: 'stopping' },
  start: { method: 'POST', suffix: '/start', done: 'ready', doing: 'starting' },
} as const;

/** delete, stop or start: ask, then (with --wait) follow the environment until it gets there. */
export async function changeEnvironment(client: ApiClient, action: keyof typeof actions, id: string, opts: { wait?: boolean; json?: boolean }): Promise<number> {
  const a = actions[action];
  let env = await client.request<EnvironmentView>(a.method, `/api/v1/environments/${encodeURIComponent(id)}${a.suffix}`);
  if (opts.wait && env.status !== a.done) {
    // The stream starts with the environment's whole history; show only what this request set off
    // (it was stamped with the same server time as the change), not each resource's earlier story again.
    const since = env.updatedAt;
    env = await follow(client, env.id, (e) => {
      if (!opts.json && e.resource && e.at >= since) print(`  ${e.type === 'resource.ready' ? green('✓') : '-'} ${e.message}`);
    }, (s) => s === a.done || s === 'failed');
  }
  if (opts.json) printJson(env);
  else if (env.status === a.done) {
    print(`${env.id} ${a.done}`);
    if (action === 'start') printEnvironment(env);
  } else print(`${a.doing} ${env.id} (status ${env.status}); \`goldpath env ${env.id}\` shows progress`);
  return env.status === 'failed' ? 1 : 0;
}
