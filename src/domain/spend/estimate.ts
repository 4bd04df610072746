import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { HOURS_PER_MONTH, type RateCard } from './rate-card.ts';

/** What a path is expected to cost per day, shown before launch. */
export const PathCost = z.object({
  currency: z.string(),
  perDay: z.string(),
  items: z.array(z.object({ resource: z.string(), type: z.string(), perDay: z.string(), basis: z.string() })),
});
export type PathCost = z.infer<typeof PathCost>;

const places = 4;
const fmt = (d: Decimal) => d.toFixed(places);

/**
 * A day of a path's resources at the card's prices: workspaces running all day at their size, a
 * warehouse grant held all day, a repository's flat monthly price per day, a bucket at the card's
 * launch estimate. Queries and tokens depend on what people do, so they are left out and said so.
 */
export function estimatePathCost(resources: Record<string, { type: string; params?: unknown }>, card: RateCard): PathCost {
  const items: PathCost['items'] = [];
  const cur = card.currency;
  for (const [id, r] of Object.entries(resources)) {
    const compute = card.compute[r.type];
    if (compute) {
      const asked = (r.params as { size?: unknown } | undefined)?.size;
      const size = typeof asked === 'string' && asked in compute.perHour ? asked : compute.defaultSize;
      const hourly = compute.perHour[size];
      items.push({ resource: id, type: r.type, perDay: fmt(new Decimal(hourly).times(24)), basis: `24 h × ${hourly} ${cur}/hour (size ${size})` });
    } else if (r.type === 'warehouse' && card.warehouse) {
      const hourly = card.warehouse.perGrantHour;
      items.push({ resource: id, type: r.type, perDay: fmt(new Decimal(hourly).times(24)), basis: `24 h of grant × ${hourly} ${cur}/hour, plus ${card.warehouse.perQuerySecond} ${cur} per query-second run` });
    } else if (r.type === 'git-repo' && card.repository) {
      const monthly = card.repository.perMonth;
      items.push({ resource: id, type: r.type, perDay: fmt(new Decimal(monthly).times(24).div(HOURS_PER_MONTH)), basis: `${monthly} ${cur}/month flat, charged per hour (${HOURS_PER_MONTH} h a month)` });
    } else if (r.type === 'bucket' && card.storage.bucket) {
      const s = card.storage.bucket;
      const perDay = new Decimal(s.perGbMonth).times(s.launchEstimateGb).times(24).div(HOURS_PER_MONTH);
      items.push({ resource: id, type: r.type, perDay: fmt(perDay), basis: `${s.launchEstimateGb} GB assumed × ${s.perGbMonth} ${cur}/GB-month; charged on what it stores` });
    } else {
      items.push({ resource: id, type: r.type, perDay: fmt(new Decimal(0)), basis: 'not on the rate card' });
    }
  }
  const perDay = items.reduce((s, i) => s.plus(i.perDay), new Decimal(0));
  return { currency: cur, perDay: fmt(perDay), items };
}
