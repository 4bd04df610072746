import type pg from 'pg';
import type { EnvironmentView } from '../../domain/environment/schema.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';
import { parseDuration } from '../../domain/time/duration.ts';
import { PgEnvironmentRepository } from '../environments/repository.ts';
import { PlatformError } from '../errors.ts';
import type { User } from '../identity/users.ts';
import type { LifetimeOf } from './lifetimes.ts';
import { extension } from './rules.ts';

export interface ExtendDeps {
  pool: pg.Pool;
  lifetimeOf: LifetimeOf;
  clock?: Clock;
}

/**
 * Moves an environment's expiry later, `by` (e.g. "2d") or one more ttl, never past its path's
 * limit (launch + maxTtl). The caller has already asked the policy whether the user may extend it.
 * A new expiry earns a new warning.
 */
export async function extendEnvironment(deps: ExtendDeps, user: Pick<User, 'id'>, id: string, by?: string): Promise<EnvironmentView> {
  let byMs: number | undefined;
  if (by !== undefined) {
    const parsed = parseDuration(by);
    if (parsed === null) {
      throw new PlatformError(400, 'invalid_duration', `"${by}" is not a duration: write a whole number and m, h or d, e.g. 12h or 2d`, [{ field: 'by', message: 'must be a duration such as 12h or 2d' }]);
    }
    byMs = parsed;
  }
  const now = (deps.clock ?? systemClock).now();
  const environments = new PgEnvironmentRepository(deps.pool);
  await environments.atomically(async (repo) => {
    await repo.lock(id);
    const snapshot = await repo.load(id);
    if (!snapshot) throw new PlatformError(404, 'unknown_environment', `no environment "${id}"; \`goldpath envs\` lists yours`);
    const e = snapshot.environment;
    if (e.status === 'deleted' || e.desired === 'deleted') {
      throw new PlatformError(409, 'cannot_extend', `environment ${id} is ${e.status === 'deleted' ? 'deleted' : 'being deleted'}; launch a new one`);
    }
    const result = extension({ id, createdAt: e.created_at, expiresAt: e.expires_at }, deps.lifetimeOf(e.path_id), byMs, now);
    if (result.kind === 'refused') throw new PlatformError(409, 'beyond_lifetime_limit', result.message);
    await repo.setExpiry(id, result.expiresAt, { type: 'environment.extended', message: `${user.id} extended it: it now expires at ${result.expiresAt.toISOString()}` });
  });
  return (await environments.view(id))!;
}
