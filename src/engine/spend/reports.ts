import { Decimal } from 'decimal.js';
import type { Queryable } from '../audit/log.ts';
import { priceFor, HOURS_PER_MONTH, type RateCard, type SharedService, type UsageKind } from '../../domain/spend/rate-card.ts';
import { AMOUNT_PLACES, buildReport, daysOf, monthStart, type LineItem, type Report, type ReportGrouping } from '../../domain/spend/report.ts';
import { splitShared } from '../../domain/spend/split.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';

/**
 * Spend from the usage records (docs/spend.md): each record's use inside the window, day by day
 * (UTC), priced with the rate card in force, plus each environment's share of the shared services.
 * Amounts are decimals from the database's exact numerics to the rounded line items.
 */

/** UTC midnights, whatever the session's time zone: date_bin counts whole days from this origin. */
const ORIGIN = `TIMESTAMPTZ '2000-01-01 00:00:00+00'`;

interface UseRow {
  environment_id: string; resource_id: string; resource_type: string; kind: string; size_class: string | null;
  team_id: string; user_id: string; path_id: string; env_name: string | null; day: string;
  /** Intervals: rate × seconds inside the window and the day; counted records: the quantity. */
  amount: string; interval: boolean;
}

/**
 * The records of a window ($2 to $3) that `where` picks, as a CTE `u`: counted ones that start in it,
 * intervals that end after its start, intervals still open; three index ranges (migration 011)
 * rather than every record that started before the window's end.
 */
const windowRecords = (where: string) => `u AS (
  SELECT * FROM usage_records WHERE ${where} AND rate IS NULL AND started_at >= $2 AND started_at < $3
  UNION ALL
  SELECT * FROM usage_records WHERE ${where} AND rate IS NOT NULL AND ended_at > $2 AND started_at < $3
  UNION ALL
  SELECT * FROM usage_records WHERE ${where} AND ended_at IS NULL AND rate IS NOT NULL AND started_at < $3)`;

/** Each record's use in the window per UTC day: intervals as rate-seconds, counted records as they are. */
async function usesIn(db: Queryable, window: { team: string | null; from: Date; to: Date }): Promise<UseRow[]> {
  const { rows } = await db.query<UseRow>(
    `WITH ${windowRecords(window.team === null ? '$1::text IS NULL' : 'team_id = $1')}
     SELECT u.environment_id, u.resource_id, u.resource_type, u.kind, u.size_class, u.team_id, u.user_id, u.path_id, e.name AS env_name,
            to_char(d.day AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
            sum(u.rate * greatest(0, extract(epoch FROM least(coalesce(u.ended_at, $3), $3, d.day + interval '24 hours') - greatest(u.started_at, $2, d.day))))::text AS amount,
            true AS interval
       FROM u LEFT JOIN environments e ON e.id = u.environment_id
       CROSS JOIN LATERAL generate_series(date_bin('1 day', greatest(u.started_at, $2), ${ORIGIN}),
                                          least(coalesce(u.ended_at, $3), $3) - interval '1 microsecond', interval '24 hours') AS d(day)
      WHERE u.rate IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
     UNION ALL
     SELECT u.environment_id, u.resource_id, u.resource_type, u.kind, u.size_class, u.team_id, u.user_id, u.path_id, e.name,
            to_char(date_bin('1 day', u.started_at, ${ORIGIN}) AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
            sum(u.quantity)::text, false
       FROM u LEFT JOIN environments e ON e.id = u.environment_id
      WHERE u.rate IS NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10`,
    [window.team, window.from, window.to],
  );
  return rows;
}

/** What each shared service is split by, in the records' kinds, and how a row's amount becomes that use. */
const splitKinds: Record<SharedService['splitBy'], string[]> = {
  'warehouse-query-seconds': ['query'],
  'bucket-gb-hours': ['storage'],
  tokens: ['tokens-in', 'tokens-out'],
};
const useOf = (r: UseRow): Decimal => (r.interval ? new Decimal(r.amount).div(3600) : new Decimal(r.amount));

export interface SpendReport extends Report {
  currency: string;
  team: string | null;
  from: string;
  to: string;
  by: ReportGrouping;
}

export class SpendReports {
  readonly #db: Queryable;
  readonly #card: () => RateCard;
  readonly #clock: Clock;
  /** Every team's use per day of days that ended long ago (no record of them changes any more), per kind set. */
  #settledDays = new Map<string, Map<string, Decimal>>();

  constructor(opts: { db: Queryable; card: () => RateCard; clock?: Clock }) {
    this.#db = opts.db;
    this.#card = opts.card;
    this.#clock = opts.clock ?? systemClock;
  }

  get clock(): Clock {
    return this.#clock;
  }

  /** The priced line items of a window: a team's, or every team's (with the shared services' idle rows) when team is null. */
  async items(window: { team: string | null; from: Date; to: Date }): Promise<LineItem[]> {
    const card = this.#card();
    const to = new Date(Math.min(window.to.getTime(), this.#clock.now().getTime()));
    if (to <= window.from) return [];
    const uses = await usesIn(this.#db, { team: window.team, from: window.from, to });
    const items: LineItem[] = [];
    for (const r of uses) {
      const price = priceFor(card, r.kind as UsageKind, r.resource_type, r.size_class);
      if (price.unitPrice === null) continue;
      const quantity = useOf(r).div(price.divisor);
      items.push({
        day: r.day, team: r.team_id, user: r.user_id, path: r.path_id, environment: r.environment_id, environmentName: r.env_name,
        resourceId: r.resource_id, resourceType: r.resource_type, kind: r.kind, unit: price.unit,
        quantity, amount: quantity.times(price.unitPrice).toDecimalPlaces(AMOUNT_PLACES), idle: false,
      });
    }
    for (const [name, service] of Object.entries(card.shared)) items.push(...(await this.#shares(name, service, window.team, window.from, to, uses)));
    return items.filter((i) => !i.amount.isZero() || !i.quantity.isZero());
  }

  /**
   * A shared service's cost per day of the window, split over every environment that used it that
   * day (all teams: a share is use over everyone's use, or over capacity when that is larger).
   */
  async #shares(name: string, service: SharedService, team: string | null, from: Date, to: Date, teamUses: UseRow[]): Promise<LineItem[]> {
    const kinds = splitKinds[service.splitBy];
    const mine = teamUses.filter((u) => kinds.includes(u.kind));
    const everyone = await this.#dailyUse(kinds, from, to);
    const out: LineItem[] = [];
    for (const day of daysOf(from, to)) {
      const dayStart = new Date(`${day}T00:00:00Z`);
      const dayEnd = new Date(dayStart.getTime() + 86_400_000);
      const hours = new Decimal(Math.min(dayEnd.getTime(), to.getTime()) - Math.max(dayStart.getTime(), from.getTime())).div(3_600_000);
      if (hours.lte(0)) continue;
      const cost = new Decimal(service.perMonth).times(hours).div(HOURS_PER_MONTH);
      const capacity = hours.times(service.capacityPerHour);
      const dayUses = mine.filter((u) => u.day === day);
      const byEnv = new Map<string, Decimal>();
      for (const u of dayUses) byEnv.set(u.environment_id, (byEnv.get(u.environment_id) ?? new Decimal(0)).plus(useOf(u)));
      const totalUse = everyone.get(day) ?? new Decimal(0);
      // Everyone's use stands in as one user beside this team's, so the team's shares are its part of the whole.
      const others = totalUse.minus([...byEnv.values()].reduce((s, v) => s.plus(v), new Decimal(0)));
      const uses = new Map<string, Decimal>(byEnv);
      if (others.gt(0)) uses.set('\u0000others', others);
      const { shares, idle } = splitShared(cost, uses, capacity, AMOUNT_PLACES);
      for (const [env, share] of shares) {
        if (env === '\u0000others') continue;
        const u = dayUses.find((x) => x.environment_id === env)!;
        out.push({
          day, team: u.team_id, user: u.user_id, path: u.path_id, environment: env, environmentName: u.env_name,
          resourceId: name, resourceType: `shared:${name}`, kind: `shared:${name}`, unit: shareUnit[service.splitBy],
          quantity: byEnv.get(env)!, amount: share, idle: false,
        });
      }
      if (team === null && !idle.isZero()) {
        out.push({
          day, team: null, user: null, path: null, environment: null, environmentName: null,
          resourceId: name, resourceType: `shared:${name}`, kind: `idle:${name}`, unit: shareUnit[service.splitBy],
          quantity: Decimal.max(capacity.minus(totalUse), 0), amount: idle, idle: true,
        });
      }
    }
    return out;
  }

  /** Every team's use of `kinds` per UTC day of the window; days that ended over an hour ago are kept. */
  async #dailyUse(kinds: string[], from: Date, to: Date): Promise<Map<string, Decimal>> {
    const cacheKey = kinds.join(',');
    const settled = this.#settledDays.get(cacheKey) ?? new Map<string, Decimal>();
    this.#settledDays.set(cacheKey, settled);
    const settledBefore = new Date(this.#clock.now().getTime() - 3_600_000);
    const days = daysOf(from, to);
    const out = new Map<string, Decimal>();
    const missing = days.filter((d) => {
      const whole = new Date(`${d}T00:00:00Z`) >= from && new Date(new Date(`${d}T00:00:00Z`).getTime() + 86_400_000) <= to;
      const hit = whole ? settled.get(d) : undefined;
      if (hit) out.set(d, hit);
      return !hit;
    });
    if (missing.length === 0) return out;
    const qFrom = new Date(Math.max(from.getTime(), new Date(`${missing[0]}T00:00:00Z`).getTime()));
    const qTo = new Date(Math.min(to.getTime(), new Date(`${missing.at(-1)}T00:00:00Z`).getTime() + 86_400_000));
    const { rows } = await this.#db.query<{ day: string; seconds: string | null; counted: string | null }>(
      `WITH ${windowRecords('kind = ANY($1)')}
       SELECT day, sum(seconds)::text AS seconds, sum(counted)::text AS counted FROM (
         SELECT to_char(d.day AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                u.rate * greatest(0, extract(epoch FROM least(coalesce(u.ended_at, $3), $3, d.day + interval '24 hours') - greatest(u.started_at, $2, d.day))) AS seconds,
                NULL::numeric AS counted
           FROM u CROSS JOIN LATERAL generate_series(date_bin('1 day', greatest(u.started_at, $2), ${ORIGIN}),
                                                     least(coalesce(u.ended_at, $3), $3) - interval '1 microsecond', interval '24 hours') AS d(day)
          WHERE u.rate IS NOT NULL
         UNION ALL
         SELECT to_char(date_bin('1 day', u.started_at, ${ORIGIN}) AT TIME ZONE 'UTC', 'YYYY-MM-DD'), NULL, u.quantity
           FROM u WHERE u.rate IS NULL) x
       GROUP BY day`,
      [kinds, qFrom, qTo],
    );
    for (const r of rows) {
      const use = new Decimal(r.seconds ?? 0).div(3600).plus(r.counted ?? 0);
      out.set(r.day, use);
      const dayEnd = new Date(new Date(`${r.day}T00:00:00Z`).getTime() + 86_400_000);
      const whole = new Date(`${r.day}T00:00:00Z`) >= from && dayEnd <= to;
      if (whole && dayEnd <= settledBefore) settled.set(r.day, use);
    }
    return out;
  }

  /** The report: rows grouped `by`, the total (the exact sum of the rows), one point per day. */
  async report(window: { team: string | null; from: Date; to: Date; by: ReportGrouping }): Promise<SpendReport> {
    const items = await this.items(window);
    const to = new Date(Math.min(window.to.getTime(), this.#clock.now().getTime()));
    const report = buildReport(items, window.by, daysOf(window.from, to > window.from ? to : window.from));
    return { currency: this.#card().currency, team: window.team, from: window.from.toISOString(), to: window.to.toISOString(), by: window.by, ...report };
  }

  /** What a team has spent this (UTC) month so far: what its budget is held against. */
  async spentThisMonth(team: string): Promise<Decimal> {
    const now = this.#clock.now();
    const items = await this.items({ team, from: monthStart(now), to: now });
    return items.reduce((s, i) => s.plus(i.amount), new Decimal(0));
  }
}

const shareUnit: Record<SharedService['splitBy'], string> = {
  'warehouse-query-seconds': 'query-second', 'bucket-gb-hours': 'GB-hour', tokens: 'token',
};
