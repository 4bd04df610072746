import type { EnvironmentView } from '../../domain/environment/schema.ts';
import { describeSpan } from '../../domain/time/duration.ts';
import type { ApiClient } from '../client.ts';
import { clock } from '../format.ts';
import { print, printJson } from '../output.ts';

/** `goldpath extend <id> [--by 2d]`: a later expiry, within the path's limit (the server says the limit otherwise). */
export async function extend(client: ApiClient, id: string, opts: { by?: string; json?: boolean }): Promise<number> {
  const env = await client.request<EnvironmentView>('POST', `/api/v1/environments/${encodeURIComponent(id)}/extend`, opts.by ? { by: opts.by } : {});
  if (opts.json) printJson(env);
  else if (env.expiresAt) print(`${env.id} now expires at ${clock(env.expiresAt)} UTC (in ${describeSpan(Date.parse(env.expiresAt) - Date.now())})`);
  return 0;
}
