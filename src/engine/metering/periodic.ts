import type pg from 'pg';
import { checkBudgets } from '../spend/budgets.ts';
import type { SpendReports } from '../spend/reports.ts';
import type { Meter } from './meter.ts';

/** How often each part of the meter runs, in milliseconds. */
export interface MeterSchedule {
  lifecycleMs: number;
  warehouseMs: number;
  storageMs: number;
  budgetsMs: number;
}

export const defaultSchedule: MeterSchedule = {
  lifecycleMs: 15_000,
  // Short queries between two samples are missed: the shorter, the closer the query-seconds.
  warehouseMs: 5_000,
  storageMs: 10 * 60_000,
  budgetsMs: 60_000,
};

/**
 * Runs the meter's passes and the budget check on timers, each after the one before has finished
 * (a slow pass is never overlapped by the next). Every pass is safe to repeat, so a failed one is
 * logged and the next simply tries again.
 */
export function startMetering(deps: { pool: pg.Pool; meter: Meter; reports: SpendReports; schedule?: Partial<MeterSchedule>; log?: (m: string) => void }): { stop: () => void; runAll: () => Promise<void> } {
  // GOLDPATH_METER_MS runs the frequent passes that often (tests), GOLDPATH_METER_STORAGE_MS the storage samples.
  const often = Number(process.env.GOLDPATH_METER_MS) || undefined;
  const fromEnv: Partial<MeterSchedule> = often ? { lifecycleMs: often, warehouseMs: often, budgetsMs: often } : {};
  if (Number(process.env.GOLDPATH_METER_STORAGE_MS)) fromEnv.storageMs = Number(process.env.GOLDPATH_METER_STORAGE_MS);
  const schedule = { ...defaultSchedule, ...fromEnv, ...deps.schedule };
  const log = deps.log ?? ((m: string) => console.error(m));
  const timers: NodeJS.Timeout[] = [];
  const passes: [string, () => Promise<unknown>, number][] = [
    ['lifecycle', () => deps.meter.recordLifecycle(), schedule.lifecycleMs],
    ['warehouse', () => deps.meter.sampleWarehouse(), schedule.warehouseMs],
    ['storage', () => deps.meter.sampleStorage(), schedule.storageMs],
    ['budgets', () => checkBudgets(deps.pool, deps.reports), schedule.budgetsMs],
  ];
  const running = new Map<string, Promise<unknown>>();
  const run = (name: string, pass: () => Promise<unknown>) => {
    const prev = running.get(name) ?? Promise.resolve();
    const next = prev.then(pass).catch((e) => log(`[meter] ${name} pass failed (the next one tries again): ${(e as Error).message}`));
    running.set(name, next);
    return next;
  };
  for (const [name, pass, every] of passes) {
    const t = setInterval(() => void run(name, pass), every);
    t.unref();
    timers.push(t);
  }
  return {
    stop: () => timers.forEach((t) => clearInterval(t)),
    runAll: async () => {
      for (const [name, pass] of passes) await run(name, pass);
    },
  };
}
