// The spend API's shapes, from the generated schema. Amounts are exact decimal strings
// ("12.3400"): the API adds them up with decimal arithmetic, and the portal only formats them,
// never sums them.
import type { components } from '../api/schema.ts';
import type { GoldenPath } from '../api/client.ts';

export type SpendReport = components['schemas']['SpendReport'];
export type SpendRow = SpendReport['rows'][number];
export type SpendBudget = NonNullable<SpendReport['budget']>;
export type SpendGrouping = SpendReport['by'];
/** A path's estimated cost per day; null while the platform's rate card has errors. */
export type PathCost = NonNullable<GoldenPath['cost']>;

/** The `team` that asks for every team's spend, the shared services' idle rows included (admins). */
export const ALL_TEAMS = '*';
