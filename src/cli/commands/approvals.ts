import type { ApprovalView } from '../../engine/approvals/approvals.ts';
import type { ApiClient } from '../client.ts';
import { clock, red, table } from '../format.ts';
import { print, printJson } from '../output.ts';

export async function listApprovals(client: ApiClient, opts: { all?: boolean; mine?: boolean; json?: boolean }): Promise<number> {
  const q = new URLSearchParams();
  if (!opts.all) q.set('status', 'pending');
  if (opts.mine) q.set('mine', 'true');
  const { approvals } = await client.request<{ approvals: ApprovalView[] }>('GET', `/api/v1/approvals?${q}`);
  if (opts.json) printJson(approvals);
  else if (approvals.length === 0) print(opts.mine ? 'you have asked for no access' : 'nothing waits for your decision');
  else {
    print(table(approvals.map((a) => ({
      ...a, environment: a.environmentName, team: a.approverTeam, by: a.requestedBy, data: `${a.dataClass}: ${a.datasets.join(', ')}`,
      status: a.breakGlass ? red(`${a.status} by BREAK-GLASS (${a.decidedBy})`) : a.status, asked: clock(a.requestedAt),
    })), ['id', 'environment', 'path', 'by', 'team', 'status', 'data', 'asked']));
    for (const a of approvals.filter((x) => x.status === 'pending')) print(`\n${a.id}: ${a.requestedBy} says "${a.reason}"\n  goldpath approve ${a.id} --reason "…"   or   goldpath reject ${a.id} --reason "…"`);
  }
  return 0;
}

export async function decide(client: ApiClient, decision: 'approve' | 'reject', id: string, opts: { reason: string; json?: boolean; breakGlass?: boolean }): Promise<number> {
  const a = opts.breakGlass
    ? await client.request<ApprovalView>('POST', `/api/v1/approvals/${encodeURIComponent(id)}/break-glass`, { decision, reason: opts.reason })
    : await client.request<ApprovalView>('POST', `/api/v1/approvals/${encodeURIComponent(id)}/${decision}`, { reason: opts.reason });
  if (opts.json) printJson(a);
  else {
    const line = `${a.id} ${a.status}: ${a.requestedBy}'s access to ${a.dataClass} data (${a.datasets.join(', ')}) for environment "${a.environmentName}" (${a.environment})`;
    print(a.breakGlass ? red(`BREAK-GLASS: ${line}; team ${a.approverTeam} has been told`) : line);
  }
  return 0;
}
