import { readFileSync, statSync } from 'node:fs';
import type { EnvironmentView } from '../../domain/environment/schema.ts';
import { coerceParameterStrings } from '../../engine/paths/parameters.ts';
import { CliError, type ApiClient } from '../client.ts';
import { bold, dim, green, red } from '../format.ts';
import { print, printJson } from '../output.ts';
import { follow, printEnvironment } from './environments.ts';

/** `goldpath launch`: its own module, as only it needs the parameter coercion (and its JSON Schema library). */
export async function launch(
  client: ApiClient,
  pathName: string,
  opts: { team?: string; name?: string; param?: string[]; reason?: string; extend?: string; wait?: boolean; json?: boolean },
): Promise<number> {
  const extension = opts.extend === undefined ? undefined : readExtensionFile(opts.extend);
  const pairs: Record<string, string> = {};
  for (const p of opts.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliError(`--param ${p}: write it as key=value, e.g. --param project=churn`);
    pairs[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const path = await client.request<{ parameters: { properties?: Record<string, { type?: unknown }> } }>('GET', `/api/v1/paths/${encodeURIComponent(pathName)}`);
  const params = coerceParameterStrings(path.parameters, pairs);
  const started = performance.now();
  let env = await client.request<EnvironmentView>('POST', '/api/v1/environments', { path: pathName, team: opts.team, name: opts.name, params, reason: opts.reason, extension });
  if (env.status === 'awaiting-approval') {
    if (opts.json) printJson(env);
    else print(`${env.id} waits for the data owners' approval; nothing is provisioned until they decide.\n\`goldpath approvals --mine\` shows the requests, \`goldpath env ${env.id}\` the environment.`);
    return 0;
  }
  if (!opts.wait) {
    if (opts.json) printJson(env);
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
    printJson(env);
  } else {
    print('');
    printEnvironment(env);
    if (env.status === 'ready') print(`\nready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return env.status === 'ready' ? 0 : 1;
}

/** The extension file's text, sent as it is: the platform checks it and names the line of each problem. */
function readExtensionFile(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`--extend ${file}: not a file; give the path of an Extension YAML file such as goldpath.yaml`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`--extend ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of an Extension YAML file such as goldpath.yaml`);
  }
  if (size > 100_000) throw new CliError(`--extend ${file}: ${size} bytes; an extension is at most 100 kB`);
  const text = readFileSync(file, 'utf8');
  if (!text.trim()) throw new CliError(`--extend ${file}: the file is empty; write what to add, e.g.\n  resources:\n    cache: { type: cache }`);
  return text;
}
