import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PlatformError } from '../errors.ts';
import type { User } from '../identity/users.ts';
import type { Actor } from '../environments/launch.ts';
import { notify, notifyTeamExcept } from '../notices/notices.ts';
import { noticeKinds } from '../../domain/notice/schema.ts';
import type { Queryable } from '../environments/store.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';
import { PgEnvironmentRepository, type EnvironmentRepository } from '../environments/repository.ts';
import { applyBookkeeping } from '../orchestrator/reconcile.ts';
import type { PolicyResource } from '../policy/entities.ts';

/** Who owns which dataset: the teams asked before anyone sees that data unmasked. */
export interface DataOwnership {
  dataset: string;
  owner: string;
}

export const ApprovalView = z.object({
  id: z.string(),
  environment: z.string(),
  environmentName: z.string(),
  environmentTeam: z.string(),
  path: z.string(),
  approverTeam: z.string(),
  requestedBy: z.string(),
  requestedByName: z.string(),
  reason: z.string(),
  dataClass: z.string(),
  datasets: z.array(z.string()),
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']),
  decidedBy: z.string().nullable(),
  /** Decided by a platform admin overriding the owning team (break-glass), not by a member of it. */
  breakGlass: z.boolean(),
  /** What the policies in force let the reader do with it: decide it as an owner, or break glass. */
  youMay: z.object({ decide: z.boolean(), breakGlass: z.boolean() }).optional(),
  decisionReason: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  granted: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApprovalView = z.infer<typeof ApprovalView>;

/** A request as the policy engine is asked about it: who decides it, who asked, whose environment. */
export const approvalResource = (a: Pick<ApprovalView, 'id' | 'approverTeam' | 'requestedBy' | 'environmentTeam'>): PolicyResource =>
  ({ type: 'Approval', id: a.id, approverTeam: a.approverTeam, requestedBy: a.requestedBy, environmentTeam: a.environmentTeam });

const newApprovalId = () => 'a' + randomBytes(6).toString('hex');

/** Records one request per owning team, inside the launch's transaction. */
export async function requestApprovals(
  db: Queryable,
  environments: Pick<EnvironmentRepository, 'addEvent'>,
  req: { environmentId: string; user: User; reason: string; dataClass: string; validDays: number; owners: DataOwnership[] },
): Promise<string[]> {
  const byTeam = Map.groupBy(req.owners, (o) => o.owner);
  if (byTeam.size === 0) throw new PlatformError(409, 'no_data_owner', 'no dataset owner is known to approve this access; ask a platform admin to set owners in warehouse/policy.yaml');
  for (const [team, sets] of byTeam) {
    await db.query(
      `INSERT INTO approvals (id, environment_id, approver_team, requested_by, reason, data_class, datasets, valid_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [newApprovalId(), req.environmentId, team, req.user.id, req.reason, req.dataClass, sets.map((s) => s.dataset), req.validDays],
    );
  }
  const teams = [...byTeam.keys()].sort();
  for (const [team, sets] of byTeam) {
    await notifyTeamExcept(db, team, req.user.id, { kind: noticeKinds.approvalRequested, environmentId: req.environmentId,
      message: `${req.user.name} asks your team for ${req.dataClass} data (${sets.map((s) => s.dataset).join(', ')}): ${req.reason}` });
  }
  await environments.addEvent(req.environmentId, null, { type: 'approval.requested', message: `${req.user.id} asked ${teams.join(' and ')} for ${req.dataClass} data: ${req.reason}` });
  return teams;
}

const select = `SELECT a.*, e.path_id, e.name AS environment_name, e.team_id AS environment_team, u.name AS requested_by_name FROM approvals a JOIN environments e ON e.id = a.environment_id JOIN users u ON u.id = a.requested_by`;

/**
 * What waits for (or was decided by) the user's team; with `mine`, what the user asked for; with
 * `environment`, every request of that environment. The caller filters what comes back through
 * the policy (readApproval); `otherTeams` (asked of the policy too) widens the query beyond the
 * user's own team, for those who may see every team's requests.
 */
export async function listApprovals(db: Queryable, user: User, filter: { status?: string; mine?: boolean; environment?: string; otherTeams?: boolean }): Promise<ApprovalView[]> {
  const { rows } = await db.query(
    `${select}
     WHERE ($1::text IS NULL OR a.status = $1)
       AND (CASE WHEN $6::text IS NOT NULL THEN a.environment_id = $6
                 WHEN $2 THEN a.requested_by = $3 ELSE ($4 OR a.approver_team = $5) END)
     ORDER BY a.requested_at DESC LIMIT 500`,
    [filter.status ?? null, filter.mine ?? false, user.id, filter.otherTeams ?? false, user.team, filter.environment ?? null],
  );
  return rows.map(toView);
}

/**
 * An approver of the owning team (not the requester: nobody approves their own access) approves
 * or rejects, with a reason; the policy engine decides who counts as one. With `breakGlass`, a
 * platform admin overrides the owning team: a separate action the policy must allow (it is off by
 * default), recorded as such and told to the owning team. The environment's transitions that
 * follow (every owner approved: provisioning; one rejection: failed, nothing made) are the
 * planner's, applied in the same transaction.
 */
export async function decideApproval(
  pool: pg.Pool, actor: Actor, id: string, decision: 'approve' | 'reject', reason: string, opts: { breakGlass?: boolean } = {},
): Promise<ApprovalView> {
  const { user } = actor;
  const breakGlass = opts.breakGlass ?? false;
  if (!reason.trim()) throw new PlatformError(400, 'reason_required', `say why you ${decision} it: --reason "…"`);
  await inTransaction(pool, async (client) => {
    const { rows } = await client.query(`${select} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
    const a = rows[0];
    if (!a) throw new PlatformError(404, 'unknown_approval', `no approval request "${id}"; \`goldpath approvals\` lists those waiting for you`);
    actor.may(breakGlass ? 'breakGlass' : 'decideApproval', approvalResource(toView(a)));
    if (a.status !== 'pending') throw new PlatformError(409, 'already_decided', `this request is already ${a.status}${a.decided_by ? ` by ${a.decided_by}` : ''}`);
    const status = decision === 'approve' ? 'approved' : 'rejected';
    await client.query(
      `UPDATE approvals SET status = $2, decided_by = $3, decision_reason = $4, decided_at = now(), break_glass = $5,
         expires_at = CASE WHEN $2 = 'approved' THEN now() + make_interval(days => valid_days) END
       WHERE id = $1`,
      [id, status, user.id, reason.trim(), breakGlass],
    );
    const environments = new PgEnvironmentRepository(pool, client);
    const who = breakGlass ? `${user.id} (platform admin, BREAK-GLASS for ${a.approver_team})` : `${user.id} (${a.approver_team})`;
    await environments.addEvent(a.environment_id, null, {
      type: breakGlass ? `approval.break-glass.${status}` : `approval.${status}`, message: `${who} ${status} access to ${a.datasets.join(', ')}: ${reason.trim()}`,
    });
    if (breakGlass) {
      await notify(client, {
        team: a.approver_team, kind: 'break-glass', environmentId: a.environment_id,
        message: `BREAK-GLASS: ${user.id}, a platform admin, ${status} ${a.requested_by}'s access to your data (${a.datasets.join(', ')}) for environment "${a.environment_name}" on your team's behalf: ${reason.trim()}`,
      });
    }
    await notify(client, { user: a.requested_by, kind: noticeKinds.approvalDecided, environmentId: a.environment_id,
      message: `${a.approver_team} ${status} your access to ${a.datasets.join(', ')}${breakGlass ? ' (break-glass, by a platform admin)' : ''}: ${reason.trim()}` });
    // What follows for the environment (all approved: provisioning; one rejection: failed) is the planner's rule.
    const { moreWork } = await applyBookkeeping(environments, a.environment_id, new Date());
    if (moreWork) await enqueueReconcile(client, a.environment_id);
  });
  const { rows: out } = await pool.query(`${select} WHERE a.id = $1`, [id]);
  return toView(out[0]);
}

function toView(r: Record<string, unknown> & { requested_at: Date; decided_at: Date | null; expires_at: Date | null; revoked_at: Date | null }): ApprovalView {
  return {
    id: r.id as string,
    environment: r.environment_id as string,
    environmentName: r.environment_name as string,
    path: r.path_id as string,
    approverTeam: r.approver_team as string,
    requestedBy: r.requested_by as string,
    requestedByName: r.requested_by_name as string,
    reason: r.reason as string,
    dataClass: r.data_class as string,
    datasets: r.datasets as string[],
    status: r.status as ApprovalView['status'],
    decidedBy: (r.decided_by as string | null) ?? null,
    breakGlass: (r.break_glass as boolean | undefined) ?? false,
    environmentTeam: r.environment_team as string,
    decisionReason: (r.decision_reason as string | null) ?? null,
    requestedAt: r.requested_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
    expiresAt: r.expires_at?.toISOString() ?? null,
    granted: (r.granted as string | null) ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}
