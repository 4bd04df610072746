import { Decimal } from 'decimal.js';

/**
 * A shared service's cost for one period, split across those who used it in proportion to their
 * use (OpenCost's "weighted" sharing). What nobody used (capacity left over) is its own idle share,
 * never spread over the users. Shares are rounded to `places`; the idle share takes the remainder,
 * so users' shares plus idle equal the rounded cost exactly.
 */
export function splitShared<K>(
  cost: Decimal,
  uses: ReadonlyMap<K, Decimal>,
  capacity: Decimal,
  places = 4,
): { shares: Map<K, Decimal>; idle: Decimal; total: Decimal } {
  const total = cost.toDecimalPlaces(places);
  const used = [...uses.values()].reduce((s, u) => s.plus(u), new Decimal(0));
  // More use than capacity: everyone pays in proportion and nothing is idle.
  const denominator = Decimal.max(used, capacity);
  const shares = new Map<K, Decimal>();
  if (denominator.isZero()) return { shares, idle: total, total };
  for (const [k, u] of uses) shares.set(k, cost.times(u).div(denominator).toDecimalPlaces(places, Decimal.ROUND_DOWN));
  let idle = total.minus([...shares.values()].reduce((s, v) => s.plus(v), new Decimal(0)));
  if (used.gte(capacity) && idle.gt(0) && shares.size > 0) {
    // Fully used: the rounding remainder goes to the largest user rather than an idle row.
    const [bigK] = [...shares.entries()].sort((a, b) => b[1].comparedTo(a[1]))[0];
    shares.set(bigK, shares.get(bigK)!.plus(idle));
    idle = new Decimal(0);
  }
  return { shares, idle, total };
}
