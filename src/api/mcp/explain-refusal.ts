import { z } from 'zod';
import { EventView, type EnvironmentView } from '../../domain/environment/schema.ts';
import type { ApprovalView } from '../../engine/approvals/approvals.ts';
import type { AuditRow } from '../../engine/audit/log.ts';
import type { PlatformCall } from './tools.ts';

const PolicyCited = z.object({
  id: z.string(),
  effect: z.enum(['permit', 'forbid']).nullable(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  reason: z.string().nullable(),
});

const Refusal = z.object({
  at: z.string(),
  action: z.string(),
  resource: z.string(),
  team: z.string().nullable(),
  status: z.number().nullable(),
  policies: z.array(PolicyCited),
});

/** What explain_refusal answers: a summary a person reads, and the facts it comes from. */
export const Explanation = z.object({
  summary: z.string(),
  environment: z.object({ id: z.string(), name: z.string(), path: z.string(), team: z.string(), status: z.string(), reason: z.string().nullable() }).nullable(),
  approvals: z.array(z.object({ approverTeam: z.string(), status: z.string(), decidedBy: z.string().nullable(), decisionReason: z.string().nullable(), breakGlass: z.boolean() })),
  events: z.array(EventView),
  refusals: z.array(Refusal),
});
export type Explanation = z.infer<typeof Explanation>;

interface PolicyView { id: string; effect: 'permit' | 'forbid'; file: string; line: number; reason: string | null; text: string }
interface Me { id: string; team: string; isAdmin: boolean }

/** Events that tell why: failures, rollbacks, approvals asked, refused or run out. */
const telling = /fail|rollback|reject|denied|expired|revok|refus|approval/;

/**
 * Why a launch was refused, from the platform's own records, read through the API as the user (so
 * only what the policies let them read): an environment's status, approvals and events, or the
 * audit log's refused launches with the policies that decided, cited from the policies in force.
 */
export async function explainRefusal(call: PlatformCall, environment: string | undefined): Promise<Explanation> {
  return environment ? explainEnvironment(call, environment) : explainRecentLaunches(call);
}

async function explainEnvironment(call: PlatformCall, id: string): Promise<Explanation> {
  const env = await call.request<EnvironmentView>('GET', `/api/v1/environments/${encodeURIComponent(id)}`);
  const [{ approvals }, { events }] = await Promise.all([
    call.request<{ approvals: ApprovalView[] }>('GET', `/api/v1/approvals?environment=${encodeURIComponent(id)}`),
    call.request<{ events: EventView[] }>('GET', `/api/v1/environments/${encodeURIComponent(id)}/events`),
  ]);
  const rejected = approvals.filter((a) => a.status === 'rejected');
  const pending = approvals.filter((a) => a.status === 'pending');
  const lines: string[] = [];
  if (rejected.length) {
    for (const a of rejected) lines.push(`The data owners refused it: ${a.decidedBy ?? 'a member'} of ${a.approverTeam}${a.breakGlass ? ' (a platform admin, break-glass)' : ''} rejected the request: "${a.decisionReason ?? ''}".`);
  }
  if (env.status === 'failed') lines.push(`${env.name} failed: ${env.reason ?? 'no reason was recorded'}.`);
  else if (env.status === 'awaiting-approval') lines.push(`${env.name} is not refused: it waits for the data owners' approval (${pending.map((a) => a.approverTeam).join(', ')}); a member of each team other than the requester decides.`);
  else if (!rejected.length) lines.push(`${env.name} was not refused: it is ${env.status}${env.reason ? ` (${env.reason})` : ''}.`);
  const expired = approvals.filter((a) => a.status === 'approved' && a.expiresAt && Date.parse(a.expiresAt) < Date.now());
  if (expired.length) lines.push(`Its data access ran out (${expired.map((a) => a.approverTeam).join(', ')}): launch again to ask anew.`);
  return {
    summary: lines.join('\n'),
    environment: { id: env.id, name: env.name, path: env.path, team: env.team, status: env.status, reason: env.reason },
    approvals: approvals.map((a) => ({ approverTeam: a.approverTeam, status: a.status, decidedBy: a.decidedBy, decisionReason: a.decisionReason, breakGlass: a.breakGlass })),
    events: events.filter((e) => telling.test(e.type) || telling.test(e.message)).slice(-20),
    refusals: [],
  };
}

async function explainRecentLaunches(call: PlatformCall): Promise<Explanation> {
  const me = await call.request<Me>('GET', '/api/v1/me');
  const base = new URLSearchParams({ user: me.id, action: 'launch', limit: '100' });
  const teamScope = `your team (${me.team}); refusals for another team are in its log, which its members and platform admins read, and the error you were given names the policy`;
  // The whole log is for admins (asking for it otherwise would only add a denial to the log); a member reads their team's.
  let rows: AuditRow[] | null = null;
  let scope = 'every team';
  if (me.isAdmin) {
    try {
      rows = (await call.request<{ entries: AuditRow[] }>('GET', `/api/v1/audit?${base}`)).entries;
    } catch (e) {
      if ((e as { status?: number }).status !== 403) throw e;
    }
  }
  if (rows === null) {
    base.set('team', me.team);
    scope = teamScope;
    rows = (await call.request<{ entries: AuditRow[] }>('GET', `/api/v1/audit?${base}`)).entries;
  }
  const refused = rows.filter((r) => r.decision === 'deny').slice(0, 5);
  const { policies } = await call.request<{ policies: PolicyView[] }>('GET', '/api/v1/policies');
  const cite = (id: string, action: string): z.infer<typeof PolicyCited> => {
    const p = policies.find((x) => x.id === id);
    if (p) return { id, effect: p.effect, file: p.file, line: p.line, reason: p.reason };
    if (id !== 'default-deny') return { id, effect: null, file: null, line: null, reason: null };
    // Nothing permitted it: say which policies permit this action, and so when it would be allowed.
    const permits = policies.filter((x) => x.effect === 'permit' && x.text.includes(`Action::"${action}"`)).map((x) => `${x.id} (${x.file}:${x.line})`);
    return { id, effect: null, file: null, line: null, reason: `no policy in force permits it${permits.length ? `; ${action} is permitted only by ${permits.join(', ')}` : ''}` };
  };
  const refusals = refused.map((r) => ({ at: r.at, action: r.action, resource: r.resource, team: r.team, status: r.status, policies: r.policies.map((id) => cite(id, r.action)) }));
  const said = (p: z.infer<typeof PolicyCited>) => `${p.id}${p.file ? ` (${p.effect}, ${p.file}:${p.line})` : ''}${p.reason ? `: ${p.reason}` : ''}`;
  const lines = refusals.map((r) => `${r.at}: launch of ${r.resource}${r.team ? ` for ${r.team}` : ''} refused by ${r.policies.map(said).join('; ') || 'the policy engine'}.`);
  return {
    summary: lines.length ? lines.join('\n') : `No refused launch of yours in the audit log of ${scope}.`,
    environment: null,
    approvals: [],
    events: [],
    refusals,
  };
}
