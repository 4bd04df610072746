import { Decimal } from 'decimal.js';
import { z } from 'zod';

/**
 * The rate card (policies/rate-card.yaml): a price per unit for each resource type and size class,
 * in one named currency. Prices are decimal strings or numbers; they are read as decimals (never
 * floats), so "0.10" and 0.10 are the same price. Types come from here.
 */

/** A month of use, in hours: a year's 8,760 over twelve. Monthly prices are charged per hour of it. */
export const HOURS_PER_MONTH = 730;

const price = z.union([z.string(), z.number()], { error: 'must be a price, like "0.12"' })
  .transform((v) => String(v))
  .refine((v) => /^\d+(\.\d+)?$/.test(v), { message: 'must be a price: a number of 0 or more, like "0.12"' });
const sizeName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a size class name like small');

const Compute = z.strictObject({
  /** The size a resource runs at when its path does not say (params.size). */
  defaultSize: sizeName,
  perHour: z.record(sizeName, price).refine((m) => Object.keys(m).length > 0, 'must name at least one size class'),
}).refine((c) => c.defaultSize in c.perHour, { message: 'defaultSize must be one of the sizes in perHour', path: ['defaultSize'] });

const Storage = z.strictObject({
  perGbMonth: price,
  /** What a new bucket is assumed to hold, for the cost shown before launch. */
  launchEstimateGb: z.number().min(0, 'must be 0 or more').default(0),
});

const Shared = z.strictObject({
  perMonth: price,
  /** Which use the cost is split by: each environment pays in proportion to its share of it. */
  splitBy: z.enum(['warehouse-query-seconds', 'bucket-gb-hours', 'tokens'], { error: 'must be warehouse-query-seconds, bucket-gb-hours or tokens' }),
  /** How much of that use the service can give in an hour; what nobody used of it is the idle row. */
  capacityPerHour: z.number({ error: 'must be a number' }).positive('must be more than 0'),
});

export const RateCard = z.strictObject({
  version: z.literal(1, { error: 'must be 1' }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code, like EUR'),
  /** Workspaces (notebook, ide, …), per hour while they run, by size class. */
  compute: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a resource type'), Compute).default({}),
  /** Buckets, per GB-month stored (sampled). */
  storage: z.strictObject({ bucket: Storage }).partial().default({}),
  /** Warehouse grants per hour granted, and per second of queries run. */
  warehouse: z.strictObject({ perGrantHour: price, perQuerySecond: price }).optional(),
  /** Repositories: a flat price per month each, charged per hour it exists. */
  repository: z.strictObject({ perMonth: price }).optional(),
  /** The LLM gateway, per 1,000 tokens in and out. */
  llm: z.strictObject({ per1kTokensIn: price, per1kTokensOut: price }).optional(),
  /** Services every environment shares, split by use. */
  shared: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a service name like warehouse-server'), Shared).default({}),
});
export type RateCard = z.infer<typeof RateCard>;
export type SharedService = z.infer<typeof Shared>;

/** What a record measures, and what a unit of it is priced at. */
export type UsageKind = 'run' | 'grant' | 'exists' | 'storage' | 'query' | 'tokens-in' | 'tokens-out';

export interface Priced {
  /** The price of one unit, or null when the card does not price this use (it then costs nothing). */
  unitPrice: Decimal | null;
  /** The unit the quantity is shown in. */
  unit: string;
  /** What the record's use (hours × rate for intervals, the count for counted records) is divided by to give units. */
  divisor: Decimal;
}

const ONE = new Decimal(1);

/**
 * How the card prices one kind of use of one resource type. Interval quantities arrive in hours
 * (times the rate: GB for storage), counted ones as they are (seconds, tokens).
 */
export function priceFor(card: RateCard, kind: UsageKind, resourceType: string, sizeClass: string | null): Priced {
  switch (kind) {
    case 'run': {
      const c = card.compute[resourceType];
      const p = c ? c.perHour[sizeClass ?? c.defaultSize] ?? c.perHour[c.defaultSize] : undefined;
      return { unitPrice: p === undefined ? null : new Decimal(p), unit: 'hour', divisor: ONE };
    }
    case 'grant':
      return { unitPrice: card.warehouse ? new Decimal(card.warehouse.perGrantHour) : null, unit: 'hour', divisor: ONE };
    case 'exists':
      return resourceType === 'git-repo' && card.repository
        ? { unitPrice: new Decimal(card.repository.perMonth), unit: 'month', divisor: new Decimal(HOURS_PER_MONTH) }
        : { unitPrice: null, unit: 'hour', divisor: ONE };
    case 'storage': {
      const s = card.storage.bucket;
      return { unitPrice: s ? new Decimal(s.perGbMonth) : null, unit: 'GB-month', divisor: new Decimal(HOURS_PER_MONTH) };
    }
    case 'query':
      return { unitPrice: card.warehouse ? new Decimal(card.warehouse.perQuerySecond) : null, unit: 'query-second', divisor: ONE };
    case 'tokens-in':
      return { unitPrice: card.llm ? new Decimal(card.llm.per1kTokensIn) : null, unit: '1k tokens', divisor: new Decimal(1000) };
    case 'tokens-out':
      return { unitPrice: card.llm ? new Decimal(card.llm.per1kTokensOut) : null, unit: '1k tokens', divisor: new Decimal(1000) };
  }
}

/** Which kind of use each resource type's lifecycle records: workspaces run, grants are held, repositories and buckets exist. */
export function lifecycleKind(resourceType: string, card: RateCard): UsageKind {
  if (resourceType in card.compute || resourceType === 'notebook' || resourceType === 'ide') return 'run';
  if (resourceType === 'warehouse') return 'grant';
  return 'exists';
}
