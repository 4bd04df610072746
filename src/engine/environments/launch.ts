import type pg from 'pg';
import { LaunchRequest, type EnvironmentView } from '../../domain/environment/schema.ts';
import { newEnvironmentId, isEnvironmentId } from '../../domain/environment/id.ts';
import { provisioningWaves, resourceNodes } from '../../domain/golden-path/graph.ts';
import { substitute } from '../../domain/golden-path/placeholders.ts';
import { PlatformError } from '../errors.ts';
import type { PathLibrary } from '../paths/library.ts';
import { resolveParameters, ParameterError } from '../paths/parameters.ts';
import { mayActForTeam, type User } from '../identity/users.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import { inTransaction } from '../../infrastructure/postgres/transaction.ts';
import { requestApprovals, type DataOwnership } from '../approvals/approvals.ts';
import { addEvent, getEnvironmentRow, getEnvironmentView } from './store.ts';

export interface EnvironmentServiceDeps {
  pool: pg.Pool;
  paths: PathLibrary;
  /** The datasets a data class exposes and their owning teams (asked before sensitive access). */
  dataOwners?: () => Promise<DataOwnership[]>;
}

/**
 * Records a launch (desired state first, then the job that makes it so) in one transaction and
 * returns at once; the orchestrator provisions it. Everything is checked before anything is written.
 */
export async function launchEnvironment(deps: EnvironmentServiceDeps, user: User, input: unknown): Promise<EnvironmentView> {
  const parsed = LaunchRequest.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    throw new PlatformError(400, 'invalid_request', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  const req = parsed.data;
  const loaded = deps.paths.get(req.path);
  const path = loaded.path;
  const team = req.team ?? user.team;
  const { rows: teams } = await deps.pool.query('SELECT id FROM teams WHERE id = $1', [team]);
  if (teams.length === 0) throw new PlatformError(400, 'unknown_team', `no team "${team}"; use --team with one of your organisation's teams`);
  if (!mayActForTeam(user, team)) {
    throw new PlatformError(403, 'not_team_member', `${user.id} is not a member of team "${team}" and may not launch for it`);
  }
  let params: Record<string, unknown>;
  try {
    params = resolveParameters(path.spec.parameters, req.params);
  } catch (e) {
    if (e instanceof ParameterError) throw new PlatformError(400, 'invalid_parameters', e.message, e.problems);
    throw e;
  }
  const needsApproval = path.spec.approval === 'data-owner';
  if (needsApproval && !req.reason) {
    throw new PlatformError(400, 'reason_required', `${path.metadata.title} gives ${path.spec.dataClass ?? 'governed'} data and needs the data owners' approval: say why you need it (--reason "…" on the CLI, "reason" in the API)`, [{ field: 'reason', message: 'is required for this path' }]);
  }
  const owners = needsApproval ? ((await deps.dataOwners?.()) ?? []) : [];
  const id = newEnvironmentId();
  const name = req.name ?? `${path.metadata.name}-${id.slice(-4)}`;
  const waves = provisioningWaves(resourceNodes(path.spec.resources));
  const waveOf = new Map(waves.flatMap((w, i) => w.map((rid) => [rid, i] as const)));
  const pathContext = { path: { dir: loaded.dir, name: path.metadata.name, version: path.spec.version } };

  await inTransaction(deps.pool, async (client) => {
    await client.query(
      `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, data_class, params, status, desired)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'ready')`,
      [id, name, path.metadata.name, path.spec.version, team, user.id, path.spec.dataClass ?? null, JSON.stringify(params), needsApproval ? 'awaiting-approval' : 'requested'],
    );
    for (const node of resourceNodes(path.spec.resources)) {
      const spec = path.spec.resources[node.id];
      const resourceParams = substitute(spec.params, pathContext, { only: ['path'] });
      await client.query(
        'INSERT INTO resources (environment_id, id, type, params, depends_on, wave) VALUES ($1, $2, $3, $4, $5, $6)',
        [id, node.id, spec.type, JSON.stringify(resourceParams), node.dependsOn, waveOf.get(node.id)],
      );
    }
    await addEvent(client, id, null, 'environment.requested', `${user.id} launched ${path.metadata.name} for team ${team}`);
    if (needsApproval) {
      await requestApprovals(client, { environmentId: id, user, reason: req.reason!, dataClass: path.spec.dataClass ?? 'sensitive', validDays: path.spec.approvalValidDays, owners });
    } else {
      await enqueueReconcile(client, id);
    }
  });
  return (await getEnvironmentView(deps.pool, id))!;
}

export async function requireEnvironment(deps: Pick<EnvironmentServiceDeps, 'pool'>, user: User, id: string): Promise<EnvironmentView> {
  const env = isEnvironmentId(id) ? await getEnvironmentView(deps.pool, id) : null;
  if (!env) throw new PlatformError(404, 'unknown_environment', `no environment "${id}"; \`goldpath envs\` lists yours`);
  if (env.owner !== user.id && !mayActForTeam(user, env.team)) {
    throw new PlatformError(403, 'forbidden', `${user.id} may not see environment ${id} of team ${env.team}`);
  }
  return env;
}
