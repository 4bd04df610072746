// What a dataset page shows everybody: statistics and preview rows computed on the dataset's
// synthetic copy (same tables and columns, no real person in it), so nothing of the sensitive or
// masked rows leaks through a page anyone may open. Real rows come only through a viewer's own
// grant (see ../sql-console). Statistics are cached: the data changes with a policy apply or a
// daily refresh, not between two page views.
import type pg from 'pg';
import { withClient } from '../../infrastructure/warehouse/index.ts';

export interface RelationRef {
  schema: string;
  name: string;
  dataset: string;
  columns: { name: string; type: string; classification: string | null }[];
}

export interface ColumnStats {
  name: string;
  type: string;
  nulls: number;
  distinct: number | null;
  min: string | null;
  max: string | null;
}

export interface DatasetStats {
  /** The relation the figures were computed on: always the synthetic copy. */
  computedOn: string;
  rowCount: number;
  columns: ColumnStats[];
  freshness: {
    /** The latest date in the data (its time columns, personal dates left out). */
    dataUntil: string | null;
    /** When the masked copy was last refreshed from the raw rows (masked relations only). */
    maskedRefreshedOn: string | null;
  };
  computedAt: string;
}

const SYNTHETIC = 'synthetic';
const CACHE_MS = 10 * 60_000;
const PREVIEW_ROWS = 20;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
// Types without a meaningful order or equality: no min/max (and no distinct for json).
const unordered = /^(boolean|json|jsonb|bytea|xml|point|.*\[\])$/;
const noEquality = /^(json|xml|point)$/;
const timeType = /^(date|timestamp)/;

const textParsers = { getTypeParser: () => (v: string) => v } as unknown as pg.CustomTypesConfig;

export class DatasetInsight {
  private readonly cache = new Map<string, { at: number; stats: Promise<DatasetStats> }>();

  private readonly warehouseUrl: string;

  constructor(warehouseUrl: string) {
    this.warehouseUrl = warehouseUrl;
  }

  /** Row count, freshness and per-column nulls, distinct values and min/max, from the synthetic copy; cached for 10 minutes. */
  stats(relation: RelationRef, syntheticColumns: RelationRef['columns']): Promise<DatasetStats> {
    const key = `${relation.schema}.${relation.name}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.stats;
    const stats = this.compute(relation, syntheticColumns);
    this.cache.set(key, { at: Date.now(), stats });
    stats.catch(() => this.cache.delete(key));
    return stats;
  }

  /** The first rows of the synthetic copy, in the columns this relation shows. */
  async syntheticPreview(relation: RelationRef, syntheticColumns: RelationRef['columns']): Promise<{ columns: string[]; rows: (string | null)[][] }> {
    const present = new Set(syntheticColumns.map((c) => c.name));
    const columns = relation.columns.map((c) => c.name).filter((n) => present.has(n));
    if (columns.length === 0) return { columns, rows: [] };
    const order = syntheticColumns[0]!.name;
    return this.withClient(async (c) => {
      const r = await c.query({ text: `SELECT ${columns.map(quote).join(', ')} FROM ${SYNTHETIC}.${quote(relation.dataset)} ORDER BY ${quote(order)} LIMIT ${PREVIEW_ROWS}`, rowMode: 'array' });
      return { columns, rows: r.rows as (string | null)[][] };
    });
  }

  private async compute(relation: RelationRef, syntheticColumns: RelationRef['columns']): Promise<DatasetStats> {
    const present = new Map(syntheticColumns.map((c) => [c.name, c]));
    const columns = relation.columns.filter((c) => present.has(c.name)).map((c) => present.get(c.name)!);
    const parts = ['count(*)::text'];
    for (const col of columns) {
      const q = quote(col.name);
      parts.push(`count(${q})::text`);
      parts.push(noEquality.test(col.type) ? 'NULL' : `count(DISTINCT ${q})::text`);
      parts.push(unordered.test(col.type) ? 'NULL, NULL' : `min(${q})::text, max(${q})::text`);
    }
    // Personal dates (a birth date) say nothing about freshness and are left out.
    const times = columns.filter((c) => timeType.test(c.type) && !c.classification?.startsWith('pii.')).map((c) => `max(${quote(c.name)})`);
    parts.push(times.length ? `greatest(${times.join(', ')})::date::text` : 'NULL');
    return this.withClient(async (c) => {
      const r = await c.query({ text: `SELECT ${parts.join(', ')} FROM ${SYNTHETIC}.${quote(relation.dataset)}`, rowMode: 'array' });
      const v = r.rows[0] as (string | null)[];
      const rowCount = Number(v[0]);
      let at = 1;
      const stats: ColumnStats[] = columns.map((col) => {
        const nonNull = Number(v[at++]);
        const distinct = v[at++];
        const min = v[at++] ?? null;
        const max = v[at++] ?? null;
        return { name: col.name, type: col.type, nulls: rowCount - nonNull, distinct: distinct === null ? null : Number(distinct), min, max };
      });
      const dataUntil = v[at] ?? null;
      let maskedRefreshedOn: string | null = null;
      if (relation.schema === 'masked') {
        const m = await c.query<{ value: string }>(`SELECT value FROM gp_warehouse.meta WHERE key = 'masked_refreshed_on'`).catch(() => ({ rows: [] as { value: string }[] }));
        maskedRefreshedOn = m.rows[0]?.value ?? null;
      }
      return { computedOn: `${SYNTHETIC}.${relation.dataset}`, rowCount, columns: stats, freshness: { dataUntil, maskedRefreshedOn }, computedAt: new Date().toISOString() };
    });
  }

  private withClient<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    return withClient(this.warehouseUrl, fn, { types: textParsers, application_name: 'goldpath dataset pages', statement_timeout: 20_000 });
  }
}
