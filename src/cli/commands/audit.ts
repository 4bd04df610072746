import type { AuditPage } from '../../engine/audit/log.ts';
import type { ApiClient } from '../client.ts';
import { clock, dim, red, table } from '../format.ts';
import { print, printJson } from '../output.ts';

export interface AuditOptions { user?: string; team?: string; action?: string; since?: string; limit?: string; cursor?: string; json?: boolean }

/** The audit log, newest first; denied rows in red. */
export async function showAudit(client: ApiClient, opts: AuditOptions): Promise<number> {
  const q = new URLSearchParams();
  for (const key of ['user', 'team', 'action', 'since', 'limit', 'cursor'] as const) if (opts[key] !== undefined) q.set(key, opts[key]!);
  const page = await client.request<AuditPage>('GET', `/api/v1/audit${q.size ? `?${q}` : ''}`);
  if (opts.json) {
    printJson(page.entries);
    return 0;
  }
  if (page.entries.length === 0) {
    print('no audit rows match');
    return 0;
  }
  const rows = page.entries.map((e) => ({
    ...e,
    at: clock(e.at, { seconds: true }),
    team: e.team ?? '',
    policies: e.policies.join(', '),
    status: e.status ?? '',
    detail: e.detail ?? '',
  }));
  print(table(rows, ['at', 'actor', 'action', 'resource', 'team', 'decision', 'policies', 'status', 'detail'], (i) => (page.entries[i]!.decision === 'deny' ? red : undefined)));
  if (page.next) print(dim(`older rows: add --cursor ${page.next}`));
  return 0;
}
