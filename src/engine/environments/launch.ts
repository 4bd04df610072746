import type pg from 'pg';
import { LaunchRequest, type EnvironmentView } from '../../domain/environment/schema.ts';
import type { PolicyAction } from '../../domain/policy/decision.ts';
import { newEnvironmentId, isEnvironmentId } from '../../domain/environment/id.ts';
import { launchResources } from '../../domain/golden-path/launch-resources.ts';
import { PlatformError } from '../errors.ts';
import type { PathLibrary } from '../paths/library.ts';
import { resolveParameters, ParameterError } from '../paths/parameters.ts';
import { teamExists, type User } from '../identity/users.ts';
import type { Guard } from '../policy/guard.ts';
import { teamRef } from '../policy/entities.ts';
import { enqueueReconcile } from '../orchestrator/jobs.ts';
import { requestApprovals, type DataOwnership } from '../approvals/approvals.ts';
import { NameTakenError, PgEnvironmentRepository } from './repository.ts';
import { checkQuota, type TeamQuotas } from '../quotas/quotas.ts';
import { extensionRecord, type Extension } from '../../domain/golden-path/extension.ts';
import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import { readExtension, type CheckedExtension } from '../paths/extension.ts';
import { formatPathError } from '../paths/loader.ts';

/** Who asks, and the policy engine's guard that decides for them. */
export interface Actor {
  user: User;
  may: Guard;
}

export interface EnvironmentServiceDeps {
  pool: pg.Pool;
  paths: PathLibrary;
  /** The datasets a data class exposes and their owning teams (asked before sensitive access). */
  dataOwners?: () => Promise<DataOwnership[]>;
  /** The platform's reason to refuse this path here (e.g. sensitive data on a host that cannot sandbox workspaces). */
  refuseLaunch?: (path: { id: string; dataClass: string | null }) => string | undefined;
  /** The teams' limits (policies/quotas.yaml), checked in the launch's own transaction. */
  quotas?: TeamQuotas;
  /** Whether the team has spent its monthly budget: handed to the policy engine, which refuses the launch then. */
  budgetExceeded?: (team: string) => Promise<boolean>;
}

/**
 * Records a launch (desired state first, then the job that makes it so) in one transaction and
 * returns at once; the orchestrator provisions it. Everything is checked before anything is written,
 * the platform's own refusal (`refuseLaunch`) and the name's uniqueness within the team included.
 */
export async function launchEnvironment(deps: EnvironmentServiceDeps, actor: Actor, input: unknown): Promise<EnvironmentView> {
  const { user } = actor;
  const parsed = LaunchRequest.safeParse(input);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message }));
    throw new PlatformError(400, 'invalid_request', details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  const req = parsed.data;
  const loaded = deps.paths.get(req.path);
  const team = req.team ?? user.team;
  if (!(await teamExists(deps.pool, team))) throw new PlatformError(400, 'unknown_team', `no team "${team}"; use --team with one of your organisation's teams`);
  const budgetExceeded = (await deps.budgetExceeded?.(team)) ?? false;
  const pathResource = { type: 'Path', id: loaded.path.metadata.name, dataClass: loaded.path.spec.dataClass ?? null } as const;
  // With an extension, what is launched is the path as extended (its resources, its variables, its parameters).
  const extended = req.extension === undefined ? null : checkedExtension(deps, loaded.path, req.extension);
  if (extended) actor.may('applyExtension', pathResource, { team: teamRef(team) });
  // Asked last, so the launch is what the audit trail records for this request.
  actor.may('launch', pathResource, { team: teamRef(team), budgetExceeded });
  const path = extended?.merged ?? loaded.path;
  let params: Record<string, unknown>;
  try {
    params = resolveParameters(path.spec.parameters, { ...(extended?.extension.parameters ?? {}), ...req.params });
  } catch (e) {
    if (e instanceof ParameterError) throw new PlatformError(400, 'invalid_parameters', e.message, e.problems);
    throw e;
  }
  const needsApproval = path.spec.approval === 'data-owner';
  if (needsApproval && !req.reason) {
    throw new PlatformError(400, 'reason_required', `${path.metadata.title} gives ${path.spec.dataClass ?? 'governed'} data and needs the data owners' approval: say why you need it (--reason "…" on the CLI, "reason" in the API)`, [{ field: 'reason', message: 'is required for this path' }]);
  }
  const refusal = deps.refuseLaunch?.({ id: path.metadata.name, dataClass: path.spec.dataClass ?? null });
  if (refusal) throw new PlatformError(409, 'unavailable_here', refusal);
  const owners = needsApproval ? ((await deps.dataOwners?.()) ?? []) : [];
  const resources = launchResources(path, loaded.dir);
  const environments = new PgEnvironmentRepository(deps.pool);
  const taken = (name: string) => new PlatformError(409, 'name_taken', `team ${team} already has an environment named "${name}"; choose another --name or delete it`);
  if (req.name && (await environments.nameTaken(team, req.name))) throw taken(req.name);

  // A generated name is the path's name and the id's tail; on the rare clash another id is drawn.
  for (let attempt = 1; ; attempt++) {
    const id = newEnvironmentId();
    const name = req.name ?? `${path.metadata.name}-${id.slice(-4)}`;
    if (!req.name && attempt < 5 && (await environments.nameTaken(team, name))) continue;
    try {
      await environments.atomically(async (repo, db) => {
        if (deps.quotas) await checkQuota(db, { team, path }, deps.quotas);
        await repo.create({
          id, name, pathId: path.metadata.name, pathVersion: path.spec.version, team, owner: user.id, dataClass: path.spec.dataClass ?? null,
          params, status: needsApproval ? 'awaiting-approval' : 'requested', resources, ttlMs: path.spec.lifetime.ttl,
          event: { type: 'environment.requested', message: `${user.id} launched ${path.metadata.name} for team ${team}${extended ? ` extended with ${describeExtension(extended.extension)}` : ''}` },
        });
        if (extended) await db.query('UPDATE environments SET extension = $2 WHERE id = $1', [id, JSON.stringify(extensionRecord(extended.extension, 'launch'))]);
        if (needsApproval) {
          await requestApprovals(db, repo, { environmentId: id, user, reason: req.reason!, dataClass: path.spec.dataClass ?? 'sensitive', validDays: path.spec.approvalValidDays, owners });
        } else {
          await enqueueReconcile(db, id);
        }
      });
    } catch (e) {
      if (!(e instanceof NameTakenError)) throw e;
      if (req.name || attempt >= 5) throw taken(name);
      continue;
    }
    return (await environments.view(id))!;
  }
}

/** The extension checked against the path, or a 400 that lists each refusal with its rule (and line, for YAML). */
function checkedExtension(deps: EnvironmentServiceDeps, path: GoldenPath, input: unknown): CheckedExtension {
  const result = readExtension(input, path, deps.paths.types, 'extension');
  if ('errors' in result) {
    const details = result.errors.map((e) => ({ field: e.field ? `extension.${e.field}` : 'extension', message: `${e.line ? `line ${e.line}: ` : ''}${e.message}` }));
    throw new PlatformError(400, 'extension_refused', result.errors.map(formatPathError).join('; '), details);
  }
  return result;
}

/** "cache (cache), 1 variable, 1 parameter": what an extension adds, for the launch's event. */
export function describeExtension(e: Extension): string {
  const parts = [
    ...Object.entries(e.resources).map(([id, r]) => `${id} (${r.type})`),
    ...(Object.keys(e.env).length ? [`${Object.values(e.env).reduce((n, v) => n + Object.keys(v).length, 0)} variable(s)`] : []),
    ...(Object.keys(e.parameters).length ? [`parameters ${Object.keys(e.parameters).join(', ')}`] : []),
  ];
  return parts.join(', ') || 'nothing';
}

/**
 * The environment, if the policy lets the actor do `action` on it (read, by default). Its
 * credentials are hidden unless the policy also lets them read those.
 */
export async function requireEnvironment(deps: Pick<EnvironmentServiceDeps, 'pool'>, actor: Pick<Actor, 'may'>, id: string, action: PolicyAction = 'read'): Promise<EnvironmentView> {
  const env = isEnvironmentId(id) ? await new PgEnvironmentRepository(deps.pool).view(id) : null;
  if (!env) throw new PlatformError(404, 'unknown_environment', `no environment "${id}"; \`goldpath envs\` lists yours`);
  actor.may(action, { type: 'Environment', ...env });
  return env;
}
