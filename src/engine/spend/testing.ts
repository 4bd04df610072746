import type pg from 'pg';
import { RateCard } from '../../domain/spend/rate-card.ts';

/**
 * Test fixtures for spend: a small rate card with round prices, and environments whose lifecycle
 * events are written at the test clock's times (as the orchestrator writes them at the real clock's).
 */
export const testRateCard = RateCard.parse({
  version: 1,
  currency: 'EUR',
  compute: { notebook: { defaultSize: 'small', perHour: { small: '0.12', large: '0.40' } } },
  storage: { bucket: { perGbMonth: '0.73', launchEstimateGb: 10 } },
  warehouse: { perGrantHour: '0.02', perQuerySecond: '0.001' },
  repository: { perMonth: '7.30' },
  shared: { 'warehouse-server': { perMonth: '73.00', splitBy: 'warehouse-query-seconds', capacityPerHour: 3600 } },
});

export async function createEnvironment(db: pg.Pool, env: { id: string; team: string; owner: string; path?: string; resources: { id: string; type: string; params?: Record<string, unknown>; state?: Record<string, unknown> }[] }): Promise<void> {
  await db.query(
    `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired) VALUES ($1, $2, $3, '1', $4, $5, 'ready', 'ready')`,
    [env.id, `${env.path ?? 'data-science-experimentation'}-${env.id.slice(-4)}`, env.path ?? 'data-science-experimentation', env.team, env.owner],
  );
  for (const [wave, r] of env.resources.entries()) {
    await db.query('INSERT INTO resources (environment_id, id, type, params, wave, status, state) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [env.id, r.id, r.type, JSON.stringify(r.params ?? {}), wave, 'ready', JSON.stringify(r.state ?? {})]);
  }
}

/** An event at a given time: what the orchestrator writes, with the test clock's time. */
export async function eventAt(db: pg.Pool, envId: string, resourceId: string | null, type: string, at: Date): Promise<void> {
  await db.query('INSERT INTO events (environment_id, resource_id, type, message, at) VALUES ($1, $2, $3, $4, $5)', [envId, resourceId, type, type, at]);
}
