import type { EnvironmentView, EventView } from '../../domain/environment/schema.ts';
import { coerceParameterStrings } from '../../engine/paths/parameters.ts';
import { CliError, type ApiClient } from '../client.ts';
import { bold, dim, green, red, table } from '../format.ts';

const print = (s: string) => process.stdout.write(s + '\n');

export function printEnvironment(env: EnvironmentView): void {
  print(`${bold(env.name)}  ${dim(env.id)}`);
  print(`  path ${env.path} · team ${env.team} · owner ${env.owner} · data ${env.dataClass ?? '-'} · status ${statusColor(env.status)}${env.reason ? ` (${env.reason})` : ''}`);
  for (const r of env.resources) {
    const url = typeof r.outputs.url === 'string' ? r.outputs.url : '';
    print(`  ${r.id.padEnd(10)} ${r.type.padEnd(10)} ${statusColor(r.status).padEnd(10)} ${url}${r.error ? red(` ${r.error}`) : ''}`);
  }
}

const statusColor = (s: string) => (s === 'ready' ? green(s) : s === 'failed' ? red(s) : s);

export async function launch(
  client: ApiClient,
  pathName: string,
  opts: { team?: string; name?: string; param?: string[]; reason?: string; wait?: boolean; json?: boolean },
): Promise<number> {
  const pairs: Record<string, string> = {};
  for (const p of opts.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--param ${p}: write it as key=value, e.g. --param project=churn`);
    pairs[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const path = await client.request<{ parameters: { properties?: Record<string, { type?: unknown }> } }>('GET', `/api/v1/paths/${encodeURIComponent(pathName)}`);
  const params = coerceParameterStrings(path.parameters, pairs);
  const started = performance.now();
  let env = await client.request<EnvironmentView>('POST', '/api/v1/environments', { path: pathName, team: opts.team, name: opts.name, params, reason: opts.reason });
  if (env.status === 'awaiting-approval') {
    if (opts.json) print(JSON.stringify(env, null, 2));
    else print(`${env.id} waits for the data owners' approval; nothing is provisioned until they decide.\n\`goldpath approvals --mine\` shows the requests, \`goldpath env ${env.id}\` the environment.`);
    return 0;
  }
  if (!opts.wait) {
    if (opts.json) print(JSON.stringify(env, null, 2));
    else print(`launched ${env.name} (${env.id}); follow it with \`goldpath env ${env.id}\``);
    return 0;
  }
  if (!opts.json) print(`launching ${bold(pathName)} for team ${env.team} as ${env.id}`);
  env = await follow(client, env.id, (e) => {
    if (opts.json || !e.resource) return;
    const elapsed = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
    const mark = e.type === 'resource.ready' ? green('✓') : e.type === 'resource.failed' ? red('✗') : e.type === 'resource.deleted' ? '-' : '…';
    print(`  ${dim(elapsed + 's')} ${mark} ${e.message}`);
  }, (s) => s === 'ready' || s === 'failed' || s === 'deleted');
  if (opts.json) {
    print(JSON.stringify(env, null, 2));
  } else {
    print('');
    printEnvironment(env);
    if (env.status === 'ready') print(`\nready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return env.status === 'ready' ? 0 : 1;
}

/** Follows the environment's event stream until its status satisfies `done`. */
async function follow(client: ApiClient, id: string, onEvent: (e: EventView) => void, done: (status: string) => boolean): Promise<EnvironmentView> {
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
  if (opts.json) print(JSON.stringify(environments, null, 2));
  else if (environments.length === 0) print('no environments yet: `goldpath launch data-science-experimentation --wait` makes one');
  else print(table(environments.map((e) => ({ ...e, created: e.createdAt.slice(0, 19).replace('T', ' ') })), ['id', 'name', 'path', 'team', 'owner', 'status', 'created']));
  return 0;
}

export async function showEnvironment(client: ApiClient, id: string, opts: { json?: boolean; events?: boolean }): Promise<number> {
  const env = await client.request<EnvironmentView>('GET', `/api/v1/environments/${encodeURIComponent(id)}`);
  if (opts.json) {
    print(JSON.stringify(env, null, 2));
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
    env = await follow(client, env.id, (e) => {
      if (!opts.json && e.resource) print(`  ${e.type === 'resource.ready' ? green('✓') : '-'} ${e.message}`);
    }, (s) => s === a.done || s === 'failed');
  }
  if (opts.json) print(JSON.stringify(env, null, 2));
  else if (env.status === a.done) {
    print(`${env.id} ${a.done}`);
    if (action === 'start') printEnvironment(env);
  } else print(`${a.doing} ${env.id} (status ${env.status}); \`goldpath env ${env.id}\` shows progress`);
  return env.status === 'failed' ? 1 : 0;
}
