// Catalog benchmark through the front door, as a user meets it: 100,000 Backstage-shaped entities
// (teams, users, systems, components, APIs, resources, datasets with columns, data products,
// feature views, models) written as YAML files of 5,000, imported by the real CLI process
// (`goldpath catalog import <folder>`) into a platform started with `goldpath up`, then p50/p95 of
// the queries the portal and Backstage tooling make, over HTTP with a token.
//   npm run bench:catalog                         (100,000 entities, 20 files)
//   GOLDPATH_BENCH_ENTITIES=1000000 npm run bench:catalog
// Prints the import time of each 10,000-entity slice (the per-entity cost must stay flat: the last
// slice within 1.3x the first), the total, the server's peak RSS during the import (target
// <= 300 MB) and the machine's load. The tuning log is in bench/catalog.md.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dump } from 'js-yaml';
import { faker } from '@faker-js/faker';
import { goldpathBin, startPlatformProcess } from '../test/support/platform-process.ts';
import { localTokens } from '../test/support/local-accounts.ts';

const TOTAL = Number(process.env.GOLDPATH_BENCH_ENTITIES ?? 100_000);
faker.seed(42);

const B = 'backstage.io/v1alpha1';
const G = 'goldpath.dev/v1';
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'x';
const pick = <T>(a: T[]) => a[Math.floor(faker.number.float() * a.length)];
const some = <T>(a: T[], n: number) => Array.from({ length: n }, () => pick(a));
const techTags = ['java', 'kotlin', 'go', 'python', 'typescript', 'react', 'spring-boot', 'grpc', 'kafka', 'postgres', 'redis', 'pii', 'gdpr', 'ml', 'batch', 'streaming', 'internal', 'public', 'tier-1', 'tier-2'];
const lifecycles = ['production', 'production', 'production', 'experimental', 'deprecated'];
const subjects = ['customer', 'payment', 'card', 'account', 'loan', 'mortgage', 'fraud', 'churn', 'ledger', 'invoice', 'merchant', 'order', 'basket', 'pricing', 'identity', 'consent', 'notification', 'search', 'recommendation', 'risk', 'credit', 'savings', 'statement', 'transfer', 'kyc'];
const colTypes = ['bigint', 'text', 'numeric(12,2)', 'timestamptz', 'date', 'boolean', 'integer', 'jsonb'];

function generate(total: number): unknown[] {
  const out: unknown[] = [];
  const share = (f: number) => Math.round(total * f);
  const used = new Set<string>();
  const unique = (base: string) => {
    let n = slug(base);
    for (let i = 2; used.has(n); i++) n = `${slug(base)}-${i}`;
    used.add(n);
    return n;
  };
  const domains = Array.from({ length: 20 }, () => unique(faker.commerce.department()));
  const groups = Array.from({ length: share(0.004) }, () => unique(`${pick(subjects)}-${faker.word.noun()}`));
  for (const d of domains) out.push({ apiVersion: B, kind: 'Domain', metadata: { name: d, title: d, description: faker.company.catchPhrase() }, spec: { owner: pick(groups) } });
  groups.forEach((g, i) => out.push({ apiVersion: B, kind: 'Group', metadata: { name: g, title: g.replace(/-/g, ' '), description: faker.company.catchPhrase() },
    spec: { type: 'team', parent: i > 10 ? groups[i % 10] : undefined, children: [] } }));
  Array.from({ length: share(0.06) }, () => {
    const first = faker.person.firstName(); const last = faker.person.lastName();
    const name = unique(`${first}.${last}`.replace(/[^A-Za-z.]/g, ''));
    out.push({ apiVersion: B, kind: 'User', metadata: { name }, spec: { profile: { displayName: `${first} ${last}`, email: `${name}@example.org` }, memberOf: [pick(groups)] } });
    return name;
  });
  const systems = Array.from({ length: share(0.015) }, () => {
    const name = unique(`${pick(subjects)}-${faker.word.noun()}`);
    out.push({ apiVersion: B, kind: 'System', metadata: { name, description: faker.company.catchPhrase() }, spec: { owner: pick(groups), domain: pick(domains) } });
    return name;
  });
  const apis = Array.from({ length: share(0.15) }, () => {
    const subject = pick(subjects);
    const name = unique(`${subject}-${faker.word.noun()}-api`);
    out.push({ apiVersion: B, kind: 'API', metadata: { name, title: `${faker.word.adjective()} ${subject} API`, description: `${faker.hacker.phrase()} (${subject})`, tags: some(techTags, 2).filter((t, i, a) => a.indexOf(t) === i) },
      spec: { type: pick(['openapi', 'openapi', 'grpc', 'asyncapi', 'graphql']), lifecycle: pick(lifecycles), owner: pick(groups), system: pick(systems), definition: 'openapi: 3.0.0\ninfo: {title: x, version: 1.0.0}\npaths: {}' } });
    return name;
  });
  const resources = Array.from({ length: share(0.12) }, () => {
    const name = unique(`${pick(subjects)}-${pick(['db', 'bucket', 'queue', 'cache', 'topic'])}`);
    out.push({ apiVersion: B, kind: 'Resource', metadata: { name, description: faker.lorem.sentence() }, spec: { type: pick(['database', 's3-bucket', 'queue', 'cache', 'kafka-topic']), owner: pick(groups), system: pick(systems) } });
    return name;
  });
  const products = Array.from({ length: share(0.006) }, () => {
    const name = unique(`${pick(subjects)}-${faker.word.noun()}-product`);
    out.push({ apiVersion: G, kind: 'DataProduct', metadata: { name, description: faker.company.catchPhrase() },
      spec: { owner: pick(groups), domain: pick(domains), purpose: faker.company.buzzPhrase(), termsOfUse: 'Internal analytics; masked class unless approved.' } });
    return name;
  });
  const datasets = Array.from({ length: share(0.2) }, () => {
    const subject = pick(subjects);
    const name = unique(`${subject}-${faker.word.noun()}`);
    const columns = Array.from({ length: faker.number.int({ min: 6, max: 18 }) }, (_, i) => {
      const pii = faker.number.float() < 0.15;
      return { name: i === 0 ? `${subject}_id` : slug(faker.database.column()).replace(/-/g, '_') + `_${i}`, type: pick(colTypes), description: faker.lorem.sentence({ min: 4, max: 10 }),
        classification: pii ? pick(['pii.email', 'pii.name', 'pii.phone', 'pii.address']) : null, visibleTo: pii ? ['sensitive'] : ['synthetic', 'masked', 'sensitive'] };
    });
    out.push({ apiVersion: G, kind: 'Dataset', metadata: { name, title: `${subject} ${faker.word.noun()}`, description: `${faker.lorem.sentence()} About ${subject}s.`, tags: some(techTags, 2).filter((t, i, a) => a.indexOf(t) === i) },
      spec: { type: pick(['table', 'table', 'view', 'stream']), owner: pick(groups), dataProduct: pick(products), columns } });
    return name;
  });
  const features = Array.from({ length: share(0.015) }, () => {
    const subject = pick(subjects);
    const name = unique(`${subject}-features`);
    out.push({ apiVersion: G, kind: 'FeatureView', metadata: { name, description: `Features about ${subject}s.` },
      spec: { owner: pick(groups), entities: [`${subject}_id`], features: Array.from({ length: 5 }, (_, i) => ({ name: `${subject}_f${i}`, type: 'float64' })), source: { dataset: pick(datasets) }, freshness: '24h' } });
    return name;
  });
  while (out.length < total * 0.97) {
    const subject = pick(subjects);
    if (out.length % 10 < 9) {
      const name = unique(`${subject}-${faker.hacker.noun()}-${pick(['service', 'worker', 'web', 'gateway', 'job'])}`);
      out.push({ apiVersion: B, kind: 'Component', metadata: { name, title: `${faker.word.adjective()} ${subject} ${faker.hacker.noun()}`, description: `${faker.hacker.phrase()} Handles ${subject}s.`,
          tags: some(techTags, 3).filter((t, i, a) => a.indexOf(t) === i), annotations: { 'github.com/project-slug': `acme/${name}` } },
        spec: { type: pick(['service', 'service', 'service', 'website', 'library']), lifecycle: pick(lifecycles), owner: pick(groups), system: pick(systems),
          providesApis: [pick(apis)], consumesApis: some(apis, 2).filter((t, i, a) => a.indexOf(t) === i), dependsOn: [`resource:${pick(resources)}`] } });
    } else {
      const name = unique(`${subject}-${pick(['classifier', 'forecaster', 'ranker', 'scorer'])}`);
      out.push({ apiVersion: G, kind: 'Model', metadata: { name, description: `Predicts ${subject} outcomes.`, tags: ['ml'] },
        spec: { type: 'classification', owner: pick(groups), features: [pick(features)], licence: 'proprietary', intendedUse: `Rank ${subject}s.`, limitations: 'Not for credit decisions.',
          approval: { status: pick(['approved', 'pending']) }, versions: [{ version: '1', metrics: { auc: faker.number.float({ min: 0.6, max: 0.95 }) }, trainingDatasets: some(datasets, 2) }] } });
    }
  }
  while (out.length < total) out.push({ apiVersion: B, kind: 'User', metadata: { name: unique(`${faker.person.firstName()}.${faker.person.lastName()}`.replace(/[^A-Za-z.]/g, '')) }, spec: { memberOf: [pick(groups)] } });
  return out;
}

const RUNS = Number(process.env.GOLDPATH_BENCH_RUNS ?? 200);
const PER_FILE = 5000;
const SLICE = 10_000;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

console.log(`machine: ${cpus().length} cores, load ${load()}`);
let t = performance.now();
// Shuffled (seeded): every file, and so every 10,000-entity slice, has the same mix of kinds, so that
// slices compare (a slice of datasets with columns costs ~3x one of users).
const descriptors = faker.helpers.shuffle(generate(TOTAL) as { kind: string; metadata: { name: string }; spec: Record<string, unknown> }[]);
const folder = join(mkdtempSync(join(tmpdir(), 'goldpath-bench-catalog-')), 'catalog');
mkdirSync(folder);
for (let i = 0, n = 0; i < descriptors.length; i += PER_FILE, n++) {
  const docs = descriptors.slice(i, i + PER_FILE).map((d) => dump(d, { lineWidth: -1, noRefs: true }));
  writeFileSync(join(folder, `entities-${String(n).padStart(3, '0')}.yaml`), docs.join('---\n'));
}
console.log(`generated ${descriptors.length.toLocaleString('en')} descriptors in ${Math.ceil(descriptors.length / PER_FILE)} YAML files in ${((performance.now() - t) / 1000).toFixed(1)} s (not part of the import)`);

const platform = await startPlatformProcess();
const db = new pg.Pool({ connectionString: platform.adminUrl('goldpath'), max: 2 });
db.on('error', () => {});
try {
  const token = localTokens(platform.home).priya; // an admin: the bench's entities belong to many teams
  const before = Number((await db.query('SELECT count(*)::int AS n FROM catalog_facts')).rows[0].n);

  // The import, by the CLI. Progress is watched from the database (entities of the source, every
  // 100 ms) and the server's RSS from /proc: neither slows the import measurably.
  const samples: [number, number][] = [[0, 0]];
  let peakRss = 0;
  let watching = true;
  const rss = () => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${platform.process.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    } catch {
      return 0;
    }
  };
  const idleRss = rss();
  const t0 = performance.now();
  const watcher = (async () => {
    while (watching) {
      const n = Number((await db.query(`SELECT count(*)::int AS n FROM catalog_facts WHERE source = 'api:import:catalog'`)).rows[0].n);
      samples.push([performance.now() - t0, n]);
      peakRss = Math.max(peakRss, rss());
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const cli = await new Promise<{ code: number; stdout: string; stderr: string }>((res) => {
    const env: Record<string, string | undefined> = { ...process.env, GOLDPATH_HOME: platform.home, NO_COLOR: '1' };
    delete env.GOLDPATH_URL;
    delete env.GOLDPATH_TOKEN;
    execFile(goldpathBin, ['--as', 'priya', 'catalog', 'import', folder, '--json'], { env, maxBuffer: 64 * 1024 * 1024 },
      (e, stdout, stderr) => res({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
  const importMs = performance.now() - t0;
  watching = false;
  await watcher;
  if (cli.code !== 0) throw new Error(`goldpath catalog import failed (${cli.code}): ${cli.stderr.slice(0, 2000)} ${cli.stdout.slice(0, 2000)}`);
  const result = JSON.parse(cli.stdout) as { entities: number; written: number; files: number };
  // When each 10,000th entity was committed, interpolated between the samples around it.
  const at = (n: number) => {
    const i = samples.findIndex(([, c]) => c >= n);
    if (i <= 0) return i === 0 ? 0 : importMs;
    const [ta, ca] = samples[i - 1];
    const [tb, cb] = samples[i];
    return ta + ((tb - ta) * (n - ca)) / Math.max(1, cb - ca);
  };
  const slices: number[] = [];
  for (let n = SLICE; n <= result.entities; n += SLICE) slices.push(at(n) - at(n - SLICE));
  console.log(`\nIMPORT through \`goldpath catalog import <folder>\` (the CLI process, HTTP, the server parsing): ${result.entities.toLocaleString('en')} entities from ${result.files} files`);
  console.log(`  total ${(importMs / 1000).toFixed(1)} s ${importMs <= 30_000 || TOTAL > 100_000 ? '' : '(over the 30 s target)'}, ${Math.round(result.entities / (importMs / 1000)).toLocaleString('en')} entities/s`);
  if (TOTAL <= 200_000) console.log(`  per 10,000-entity slice (s): ${slices.map((s) => (s / 1000).toFixed(1)).join(' ')}`);
  else console.log(`  per 10,000-entity slice (s), every 10th: ${slices.filter((_, i) => i % 10 === 0 || i === slices.length - 1).map((s) => (s / 1000).toFixed(1)).join(' ')}`);
  const firstSlices = slices.slice(0, 2);
  const lastSlices = slices.slice(-2);
  const ratio = lastSlices.reduce((a, b) => a + b, 0) / Math.max(1, firstSlices.reduce((a, b) => a + b, 0));
  console.log(`  last slices / first slices: ${ratio.toFixed(2)}x ${ratio <= 1.3 ? '(flat: target <= 1.3x)' : '(over the 1.3x target)'}`);
  console.log(`  server peak RSS during the import: ${Math.round(peakRss / 1024 / 1024)} MB ${peakRss <= 300 * 1024 * 1024 ? '' : '(over the 300 MB target)'} (${Math.round(idleRss / 1024 / 1024)} MB before it); load ${load()}`);
  if (before) console.log(`  (the catalog held ${before} platform entities before)`);

  // The import's commit ran ANALYZE (part of the import time). VACUUM (autovacuum's job in service,
  // soon after a bulk write) sets the visibility map that index-only scans need.
  t = performance.now();
  for (const table of ['catalog_facts', 'catalog_heads', 'catalog_entities', 'catalog_relations']) await db.query(`VACUUM ${table}`);
  console.log(`  VACUUM after the import, as autovacuum would: ${((performance.now() - t) / 1000).toFixed(1)} s (not part of the import)`);

  // ---- queries over HTTP, with a token ----
  const byKind = (k: string) => descriptors.filter((d) => d.kind === k).map((d) => d.metadata.name);
  const components = byKind('Component');
  const groups = byKind('Group');
  const kindTypes: [string, string][] = [['Component', 'service'], ['Component', 'website'], ['Component', 'library'], ['API', 'openapi'], ['API', 'grpc'], ['API', 'asyncapi'],
    ['API', 'graphql'], ['Resource', 'database'], ['Resource', 'queue'], ['Resource', 'cache'], ['Dataset', 'table'], ['Dataset', 'view'], ['Dataset', 'stream']];
  const words = [...subjects, 'payment gateway', 'customer churn', 'fraud', 'ledger', 'kyc service', 'email', 'card api', 'mortgage', 'risk scorer', 'recommendation'];
  const get = async (path: string) => {
    const res = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  };
  const results: { label: string; p95: number; goal: number }[] = [];
  const measure = async (label: string, goal: number, path: (i: number) => string) => {
    for (let i = 0; i < 10; i++) await get(path(i)); // warm, as a running platform is
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      await get(path(i));
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    results.push({ label, p95, goal });
    console.log(`  ${label.padEnd(62)} p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms ${p95 <= goal ? '' : `  (over the ${goal} ms goal)`}`);
  };
  const q = encodeURIComponent;
  const goal = TOTAL > 200_000 ? 25 : 12;
  console.log(`\nQUERIES over HTTP with a token, ${RUNS} calls each (load ${load()}); answers are cached per catalog generation, so repeated identical queries are cache hits`);
  await measure('health (fixed cost of a request)', 2, () => '/api/v1/health');
  await measure('filtered list kind + spec.type, with facets (as the portal asks)', goal, (i) => `/api/v1/catalog/entities?kind=${kindTypes[i % kindTypes.length][0]}&spec.type=${kindTypes[i % kindTypes.length][1]}&limit=20`);
  await measure('filtered list kind + spec.type, facets=false', goal, (i) => `/api/v1/catalog/entities?kind=${kindTypes[i % kindTypes.length][0]}&spec.type=${kindTypes[i % kindTypes.length][1]}&limit=20&facets=false`);
  await measure('search q= (ranked, +count, facets)', goal, (i) => `/api/v1/catalog/entities?q=${q(words[i % words.length])}&limit=20`);
  await measure('facets of a kind', goal, (i) => `/api/v1/catalog/facets?kind=${kindTypes[i % kindTypes.length][0]}`);
  await measure('by-ref with relations', TOTAL > 200_000 ? 25 : 2, (i) => `/api/v1/catalog/entities/by-ref/component/default/${components[(i * 7919) % components.length]}`);
  await measure('by-ref of a team (hundreds of relations)', goal, (i) => `/api/v1/catalog/entities/by-ref/group/default/${groups[i % groups.length]}`);
  await measure('Backstage GET /api/catalog/entities/by-query (kind, spec.type)', goal, (i) => `/api/catalog/entities/by-query?filter=${q(`kind=${kindTypes[i % kindTypes.length][0].toLowerCase()},spec.type=${kindTypes[i % kindTypes.length][1]}`)}&limit=20`);
  await measure('Backstage GET /api/catalog/entities/by-name/component/default/…', TOTAL > 200_000 ? 25 : 2, (i) => `/api/catalog/entities/by-name/component/default/${components[(i * 7919) % components.length]}`);
  await measure('Backstage GET /api/catalog/entity-facets (spec.type, owner) of components', goal, () => `/api/catalog/entity-facets?facet=spec.type&facet=relations.ownedBy&filter=${q('kind=component')}`);
  const missed = results.filter((r) => r.p95 > r.goal);
  console.log(missed.length ? `\nover the goal: ${missed.map((r) => r.label).join('; ')}` : '\nevery query within its goal');
  console.log(`load at the end: ${load()}`);
} finally {
  await db.end();
  await platform.stop();
  rmSync(join(folder, '..'), { recursive: true, force: true });
}
