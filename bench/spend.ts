// npm run bench:spend — a team's monthly itemised spend report through the API, on a year of usage.
// Target (issue 14): ≤ 200 ms.
//
// The generator writes a year of usage records straight into PostgreSQL with SQL (it is the
// generator, not the meter): 50 teams and 5,000 environments, each living 3 to 30 days with a
// repository, a warehouse grant and a bucket for its whole life, a notebook running 8 hours a day,
// a bucket size per day and 10 warehouse queries a day. Then a member of one team asks for last
// month's report by resource (GET /api/v1/spend, with a token) at least 100 times, and this month's
// too (the budget's month so far and the shared services' split of today are read fresh each time).
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { issueToken } from '../src/engine/identity/tokens.ts';
import { startPlatformProcess } from '../test/support/platform-process.ts';

const TEAMS = Number(process.env.BENCH_TEAMS) || 50;
const ENVIRONMENTS = Number(process.env.BENCH_ENVIRONMENTS) || 5000;
const RUNS = Math.max(100, Number(process.env.BENCH_RUNS) || 120);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
/** A year of usage for `teams` teams and `environments` environments, written with SQL; returns how many records. */
export async function generateUsage(db: pg.Pool, teams = TEAMS, environments = ENVIRONMENTS): Promise<number> {
  const [TEAMS, ENVIRONMENTS] = [teams, environments];
  await db.query(`INSERT INTO teams (id, title) SELECT 'bench-' || lpad(t::text, 2, '0'), 'Bench team ' || t FROM generate_series(1, $1) t ON CONFLICT DO NOTHING`, [TEAMS]);
  await db.query(`INSERT INTO users (id, name, email, team_id) SELECT 'bench-u' || lpad(t::text, 2, '0'), 'Bench user ' || t, 'bench' || t || '@example.org', 'bench-' || lpad(t::text, 2, '0')
                  FROM generate_series(1, $1) t ON CONFLICT DO NOTHING`, [TEAMS]);
  // Environments: a start somewhere in the last year (midnight UTC), a life of 3 to 30 days. They are
  // marked deleted so the platform's own sweepers leave them alone: the records are what reports read.
  await db.query(
    `INSERT INTO environments (id, name, path_id, path_version, team_id, owner_id, status, desired, created_at, deleted_at)
     SELECT 'bench' || lpad(i::text, 5, '0'), 'bench-env-' || i, (ARRAY['data-science-experimentation', 'sql-data-querying', 'data-science-customer-data'])[1 + i % 3], '1',
            'bench-' || lpad((1 + i % $2)::text, 2, '0'), 'bench-u' || lpad((1 + i % $2)::text, 2, '0'), 'deleted', 'deleted',
            date_trunc('day', now()) - make_interval(days => (i * 7919) % 365), NULL
       FROM generate_series(1, $1) i ON CONFLICT DO NOTHING`,
    [ENVIRONMENTS, TEAMS],
  );
  const life = `(SELECT id, team_id, owner_id, path_id, created_at AS born, created_at + make_interval(days => 3 + (substr(id, 6)::int * 31) % 28) AS dies FROM environments WHERE id LIKE 'bench%')`;
  const open = `CASE WHEN l.dies > now() THEN NULL ELSE l.dies END`;
  // A repository, a warehouse grant and a bucket's existence, each its whole life.
  await db.query(
    `INSERT INTO usage_records (environment_id, resource_id, kind, started_at, ended_at, rate, resource_type, team_id, user_id, path_id)
     SELECT l.id, r.id, r.kind, l.born, ${open}, 1, r.type, l.team_id, l.owner_id, l.path_id
       FROM ${life} l, (VALUES ('repo', 'exists', 'git-repo'), ('warehouse', 'grant', 'warehouse'), ('bucket', 'exists', 'bucket')) AS r(id, kind, type)
     ON CONFLICT DO NOTHING`,
  );
  // Each day of its life: the notebook runs 09:00–17:00, the bucket holds a little more, ten queries run.
  await db.query(
    `INSERT INTO usage_records (environment_id, resource_id, kind, started_at, ended_at, rate, resource_type, size_class, team_id, user_id, path_id)
     SELECT l.id, 'notebook', 'run', d + interval '9 hours', d + interval '17 hours', 1, 'notebook', (ARRAY['small', 'medium', 'large'])[1 + substr(l.id, 6)::int % 3], l.team_id, l.owner_id, l.path_id
       FROM ${life} l, generate_series(l.born, least(l.dies, now()) - interval '1 day', interval '1 day') d
      WHERE d + interval '17 hours' < now()
     ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO usage_records (environment_id, resource_id, kind, started_at, ended_at, rate, resource_type, team_id, user_id, path_id)
     SELECT l.id, 'bucket', 'storage', d, CASE WHEN d + interval '1 day' >= least(l.dies, now()) THEN ${open} ELSE d + interval '1 day' END,
            round((extract(epoch FROM d - l.born) / 86400 + 1) * 0.5, 3), 'bucket', l.team_id, l.owner_id, l.path_id
       FROM ${life} l, generate_series(l.born, least(l.dies, now()), interval '1 day') d
      WHERE d < least(l.dies, now())
     ON CONFLICT DO NOTHING`,
  );
  await db.query(
    `INSERT INTO usage_records (environment_id, resource_id, kind, instance, started_at, ended_at, quantity, resource_type, team_id, user_id, path_id)
     SELECT l.id, 'warehouse', 'query', (1000 + q)::text || '@bench', d + make_interval(hours => 9, mins => q * 47), d + make_interval(hours => 9, mins => q * 47), 1 + (q * 13 + substr(l.id, 6)::int) % 120,
            'warehouse', l.team_id, l.owner_id, l.path_id
       FROM ${life} l, generate_series(l.born, least(l.dies, now()), interval '1 day') d, generate_series(0, 9) q
      WHERE d + make_interval(hours => 9, mins => q * 47) < least(l.dies, now())
     ON CONFLICT DO NOTHING`,
  );
  await db.query('ANALYZE usage_records');
  await db.query('ANALYZE usage_records');
  const { rows: [count] } = await db.query<{ n: string }>('SELECT count(*) AS n FROM usage_records');
  return Number(count.n);
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const platform = await startPlatformProcess();
  const db = new pg.Pool({ connectionString: platform.adminUrl('goldpath'), max: 2 });
  try {
    const g0 = performance.now();
    const records = await generateUsage(db);
    console.log(`generated: ${TEAMS} teams, ${ENVIRONMENTS.toLocaleString()} environments, ${records.toLocaleString()} usage records in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    // The team with the most records last month asks, as its member, with a token; it has a budget.
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const { rows: [busiest] } = await db.query<{ team_id: string; owner: string; n: string }>(
      `SELECT team_id, min(user_id) AS owner, count(*) AS n FROM usage_records WHERE team_id LIKE 'bench-%' AND started_at >= $1 AND started_at < $2 GROUP BY team_id ORDER BY n DESC LIMIT 1`,
      [lastMonth, thisMonth],
    );
    await db.query(`INSERT INTO budgets (team_id, monthly, threshold) VALUES ($1, 5000, 80) ON CONFLICT DO NOTHING`, [busiest.team_id]);
    const token = await issueToken(db, busiest.owner, 'cli');
    const get = async (path: string) => {
      const s = performance.now();
      const res = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json() as { rows: unknown[]; total: string; error?: { message: string } };
      if (!res.ok) throw new Error(`${path}: ${res.status} ${body.error?.message}`);
      return { ms: performance.now() - s, body };
    };
    const day = (d: Date) => d.toISOString().slice(0, 10);
    const last = `/api/v1/spend?team=${busiest.team_id}&by=resource&from=${day(lastMonth)}&to=${day(new Date(thisMonth.getTime() - 86_400_000))}`;
    const current = `/api/v1/spend?team=${busiest.team_id}&by=resource`;
    const first = await get(last);
    console.log(`team ${busiest.team_id}: ${Number(busiest.n).toLocaleString()} records last month; its report has ${first.body.rows.length} rows, total ${first.body.total} (first call ${fmt(first.ms)})`);
    for (let i = 0; i < 5; i++) await get(last);
    const times = { last: [] as number[], current: [] as number[], me: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      times.last.push((await get(last)).ms);
      times.current.push((await get(current)).ms);
      times.me.push((await get('/api/v1/me')).ms);
    }
    const line = (xs: number[]) => `p50 ${fmt(pct(xs, 50))}, p95 ${fmt(pct(xs, 95))}, max ${fmt(Math.max(...xs))}`;
    console.log(`\nHTTP with a token, ${RUNS} each, interleaved   (target ≤ 200 ms)`);
    console.log(`  GET /api/v1/spend, last month by resource:       ${line(times.last)}`);
    console.log(`  GET /api/v1/spend, this month so far + budget:   ${line(times.current)}`);
    console.log(`  GET /api/v1/me (authentication only, the floor): ${line(times.me)}`);
  } finally {
    await db.end();
    await platform.stop();
  }
  console.log(`\nload after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

// Run as a script (npm run bench:spend); imported, it only lends its generator.
if (import.meta.main) await main();
