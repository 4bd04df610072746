import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * Spend reports, without I/O: priced line items in, rows grouped one way, a total and a daily
 * series out. Each line item is rounded once, to AMOUNT_PLACES; rows, totals and days are exact
 * sums of those, so the total always equals the sum of the rows to the last digit.
 */

export const AMOUNT_PLACES = 4;
export const reportGroupings = ['resource', 'resourceType', 'user', 'path', 'environment', 'team', 'day'] as const;
export const ReportGrouping = z.enum(reportGroupings);
export type ReportGrouping = z.infer<typeof ReportGrouping>;

/** One priced piece of use: one resource's use of one kind on one UTC day, or one share of a shared service. */
export interface LineItem {
  day: string; // YYYY-MM-DD, UTC
  team: string | null;
  user: string | null;
  path: string | null;
  environment: string | null;
  environmentName: string | null;
  resourceId: string;
  resourceType: string;
  /** run, grant, storage, query, tokens-in, tokens-out, exists — or shared:<service> / idle:<service>. */
  kind: string;
  quantity: Decimal;
  unit: string;
  amount: Decimal;
  idle: boolean;
}

export const ReportRow = z.object({
  key: z.string(),
  label: z.string(),
  amount: z.string(),
  /** Null when the row adds up different units (e.g. a resource type's hours and query-seconds). */
  quantity: z.string().nullable(),
  unit: z.string().nullable(),
  idle: z.boolean(),
  team: z.string().nullable(),
  user: z.string().nullable(),
  path: z.string().nullable(),
  environment: z.string().nullable(),
  resourceType: z.string().nullable(),
});
export type ReportRow = z.infer<typeof ReportRow>;

export interface Report {
  total: string;
  rows: ReportRow[];
  daily: { day: string; amount: string }[];
}

const extra = (kind: string): string => (kind === 'query' ? '/queries' : kind === 'tokens-in' ? '/tokens-in' : kind === 'tokens-out' ? '/tokens-out' : '');

/** The row an item falls in, and how the row is named. */
function keyOf(i: LineItem, by: ReportGrouping): { key: string; label: string } {
  const shared = i.kind.startsWith('shared:') || i.kind.startsWith('idle:');
  const service = shared ? i.kind.slice(i.kind.indexOf(':') + 1) : '';
  if (i.idle) return { key: `idle/${service}`, label: `${service}: capacity nobody used (idle)` };
  const envLabel = i.environmentName ? `${i.environment} (${i.environmentName})` : (i.environment ?? '');
  switch (by) {
    case 'resource':
      return shared
        ? { key: `${i.environment}/shared:${service}`, label: `share of ${service} used by ${envLabel}` }
        : { key: `${i.environment}/${i.resourceId}${extra(i.kind)}`, label: `${i.resourceId}${extra(i.kind).replace('/', ' ')} of ${envLabel}` };
    case 'resourceType': {
      const t = shared ? `shared:${service}` : i.resourceType;
      return { key: t, label: shared ? `share of ${service}` : t };
    }
    case 'environment': return { key: i.environment ?? '-', label: envLabel || '-' };
    case 'user': return { key: i.user ?? '-', label: i.user ?? '-' };
    case 'path': return { key: i.path ?? '-', label: i.path ?? '-' };
    case 'team': return { key: i.team ?? '-', label: i.team ?? '-' };
    case 'day': return { key: i.day, label: i.day };
  }
}

const same = <T>(values: T[]): T | null => (values.every((v) => v === values[0]) ? values[0] : null);

/** Rows grouped `by`, largest first (by day: in order); the total; one point per day of `days`. */
export function buildReport(items: readonly LineItem[], by: ReportGrouping, days: readonly string[]): Report {
  const groups = new Map<string, { label: string; items: LineItem[] }>();
  for (const i of items) {
    const { key, label } = keyOf(i, by);
    const g = groups.get(key) ?? { label, items: [] };
    g.items.push(i);
    groups.set(key, g);
  }
  const zero = new Decimal(0);
  const rows = [...groups].map(([key, g]) => {
    const amount = g.items.reduce((s, i) => s.plus(i.amount), zero);
    const unit = same(g.items.map((i) => i.unit));
    const quantity = unit === null ? null : g.items.reduce((s, i) => s.plus(i.quantity), zero);
    return {
      row: {
        key, label: g.label, amount: amount.toFixed(AMOUNT_PLACES),
        quantity: quantity === null ? null : quantity.toFixed(AMOUNT_PLACES), unit,
        idle: g.items[0].idle,
        team: same(g.items.map((i) => i.team)), user: same(g.items.map((i) => i.user)), path: same(g.items.map((i) => i.path)),
        environment: same(g.items.map((i) => i.environment)), resourceType: same(g.items.map((i) => i.resourceType)),
      } satisfies ReportRow,
      amount,
    };
  });
  if (by === 'day') rows.sort((a, b) => a.row.key.localeCompare(b.row.key));
  else rows.sort((a, b) => b.amount.comparedTo(a.amount) || a.row.key.localeCompare(b.row.key));
  const total = rows.reduce((s, r) => s.plus(r.amount), zero);
  const perDay = new Map<string, Decimal>();
  for (const i of items) perDay.set(i.day, (perDay.get(i.day) ?? zero).plus(i.amount));
  return {
    total: total.toFixed(AMOUNT_PLACES),
    rows: rows.map((r) => r.row),
    daily: days.map((day) => ({ day, amount: (perDay.get(day) ?? zero).toFixed(AMOUNT_PLACES) })),
  };
}

/** The UTC days a window touches, as YYYY-MM-DD, first to last. */
export function daysOf(from: Date, to: Date): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (d < to) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** The first instant of the UTC month `at` is in. */
export const monthStart = (at: Date): Date => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
