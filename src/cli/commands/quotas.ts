import type { ApiClient } from '../client.ts';
import { red, table } from '../format.ts';
import { print, printJson } from '../output.ts';

interface QuotaReport {
  team: string;
  quotas: { name: string; limit: number; used: number; unit: string }[];
}

/** `goldpath quotas [--team]`: what a team holds against each limit; full ones are shown in red. */
export async function showQuotas(client: ApiClient, opts: { team?: string; json?: boolean }): Promise<number> {
  const team = opts.team ?? (await client.request<{ team: string }>('GET', '/api/v1/me')).team;
  const report = await client.request<QuotaReport>('GET', `/api/v1/teams/${encodeURIComponent(team)}/quotas`);
  if (opts.json) {
    printJson(report);
    return 0;
  }
  print(`team ${report.team}`);
  print(table(report.quotas.map((q) => {
    const full = q.used >= q.limit;
    const used = `${q.used} of ${q.limit} ${q.unit}`;
    return { quota: q.name, used: full ? red(used) : used, left: Math.max(0, q.limit - q.used) };
  }), ['quota', 'used', 'left']));
  return 0;
}
