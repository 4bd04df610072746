import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { declarationOf } from '../../domain/resource/driver-contract.ts';
import { mergeExtension, Extension } from '../../domain/golden-path/extension.ts';
import { gitRepoDeclaration } from '../../drivers/local/git-repo.ts';
import { databaseDeclaration } from '../../drivers/local/database.ts';
import { cacheDeclaration } from '../../drivers/local/cache.ts';
import { formatPathError, parseGoldenPath } from './loader.ts';
import { readExtension } from './extension.ts';

/** A service type as the service driver declares it (repo, env, health); its own driver is not needed here. */
const serviceDeclaration = {
  type: 'service', target: 'local',
  params: z.strictObject({ repo: z.string(), env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(), health: z.string().optional() }),
  outputs: z.strictObject({ url: z.string() }),
};
const types = new Map([gitRepoDeclaration, databaseDeclaration, cacheDeclaration, serviceDeclaration].map((d) => [d.type, declarationOf(d)]));

const software = `apiVersion: goldpath.dev/v1
kind: GoldenPath
metadata:
  name: tiny-service
  title: Tiny service
  description: A repo, a database and a service.
  owner: platform
  audience: software
spec:
  extensible:
    resources:
      database: { max: 2 }
      cache: { max: 1 }
    parameters: [memory]
    env: [service]
  parameters:
    type: object
    properties:
      memory: { type: integer, minimum: 128, maximum: 1024, default: 256 }
      name: { type: string, default: orders }
  resources:
    repo:
      type: git-repo
    db:
      type: database
    service:
      type: service
      params:
        repo: \${resources.repo.name}
        env:
          DATABASE_URL: \${resources.db.url}
`;
const locked = software.replace('name: tiny-service', 'name: locked-data').replace('audience: software', 'audience: data')
  .replace(/  extensible:\n(    .*\n)+/, '  extensible: false\n');

const load = (text: string) => {
  const r = parseGoldenPath(text, 'p.yaml', types);
  if ('errors' in r) assert.fail(r.errors.map(formatPathError).join('\n'));
  return r.path;
};
const path = load(software);

const refusals = (input: unknown, p = path): string[] => {
  const r = readExtension(input, p, types, 'goldpath.yaml');
  return 'errors' in r ? r.errors.map(formatPathError) : [];
};

test('the rules load: true stays valid (parameters only), false is locked, and rules name what exists', () => {
  assert.deepEqual(path.spec.extensionRules, { resources: { database: { max: 2 }, cache: { max: 1 } }, parameters: ['memory'], env: ['service'] });
  assert.equal(path.spec.extensible, true);
  const open = load(software.replace(/  extensible:\n(    .*\n)+/, '  extensible: true\n'));
  assert.deepEqual(open.spec.extensionRules, { resources: {}, parameters: ['memory', 'name'], env: [] });
  assert.equal(load(locked).spec.extensionRules, null);
  const bad = parseGoldenPath(software.replace('cache: { max: 1 }', 'queue: { max: 1 }').replace('parameters: [memory]', 'parameters: [memroy]').replace('env: [service]', 'env: [svc]'), 'p.yaml', types);
  assert.ok('errors' in bad);
  assert.deepEqual(bad.errors.map(formatPathError), [
    'p.yaml:13: spec.extensible.resources.queue: unknown resource type "queue"; known types: git-repo, database, cache, service',
    'p.yaml:14: spec.extensible.parameters.0: the path has no parameter memroy; its parameters are memory, name',
    'p.yaml:15: spec.extensible.env.0: the path has no resource svc; its resources are repo, db, service',
  ]);
  const noEnv = parseGoldenPath(software.replace('env: [service]', 'env: [db]'), 'p.yaml', types);
  assert.ok('errors' in noEnv);
  assert.deepEqual(noEnv.errors.map(formatPathError), ['p.yaml:15: spec.extensible.env.0: resource db (database) takes no env param, so no variables can be added to it']);
  const wrong = parseGoldenPath(software.replace('database: { max: 2 }', 'database: { max: two }'), 'p.yaml', types);
  assert.ok('errors' in wrong);
  assert.deepEqual(wrong.errors.map(formatPathError), ['p.yaml:12: spec.extensible.resources.database.max: must be a whole number: how many resources of this type a user may add']);
});

const allowed = `apiVersion: goldpath.dev/v1
kind: Extension
resources:
  cache:
    type: cache
  reports:
    type: database
env:
  service:
    REDIS_URL: \${resources.cache.url}
    REPORTS_URL: \${resources.reports.jdbcUrl}
parameters:
  memory: 512
`;

test('an allowed extension is accepted and merged: new resources, variables in the service\'s env, wired by placeholders', () => {
  const r = readExtension(allowed, path, types, 'goldpath.yaml');
  assert.ok(!('errors' in r), JSON.stringify(r));
  assert.deepEqual(Object.keys(r.merged.spec.resources), ['repo', 'db', 'service', 'cache', 'reports']);
  assert.deepEqual(r.merged.spec.resources.service.params.env, {
    DATABASE_URL: '${resources.db.url}', REDIS_URL: '${resources.cache.url}', REPORTS_URL: '${resources.reports.jdbcUrl}',
  });
  assert.deepEqual(r.extension.parameters, { memory: 512 });
  assert.deepEqual(path.spec.resources.service.params.env, { DATABASE_URL: '${resources.db.url}' }, 'the path itself is unchanged');
  // The same as an object (the API's form).
  const asObject = readExtension({ resources: { cache: { type: 'cache' } }, env: { service: { REDIS_URL: '${resources.cache.url}' } } }, path, types);
  assert.ok(!('errors' in asObject));
});

const table: { name: string; extension: string | object; expect: string[]; on?: 'locked' }[] = [
  {
    name: 'a type the path does not allow',
    extension: 'resources:\n  mq:\n    type: kafka\n',
    expect: ['goldpath.yaml:3: resources.mq.type: resource "mq" of type kafka is not allowed by tiny-service: it allows database (max 2), cache (max 1)'],
  },
  {
    name: 'too many of an allowed type',
    extension: 'resources:\n  a:\n    type: database\n  b:\n    type: database\n  c:\n    type: database\n',
    expect: ['goldpath.yaml:6: resources.c: 3 resources of type database (a, b, c), but tiny-service allows at most 2 (extensible.resources.database.max)'],
  },
  {
    name: 'a resource id the path already has',
    extension: 'resources:\n  db:\n    type: database\n',
    expect: ['goldpath.yaml:2: resources.db: resource "db" is already part of tiny-service (a database); give the new resource another name'],
  },
  {
    name: 'a param the driver does not take',
    extension: 'resources:\n  cache:\n    type: cache\n    params:\n      maxmemory: 10gb\n',
    expect: ['goldpath.yaml:5: resources.cache.params.maxmemory: the cache driver takes no param "maxmemory"; it takes no params'],
  },
  {
    name: 'a parameter the path does not let users override',
    extension: 'parameters:\n  name: billing\n',
    expect: ['goldpath.yaml:2: parameters.name: parameter "name" may not be overridden: tiny-service allows memory (extensible.parameters)'],
  },
  {
    name: 'a parameter the path does not have',
    extension: 'parameters:\n  cpu: 4\n',
    expect: ['goldpath.yaml:2: parameters.cpu: tiny-service has no parameter "cpu"; its parameters are memory, name'],
  },
  {
    name: 'variables for a resource the rules do not open',
    extension: 'env:\n  db:\n    X: "1"\n',
    expect: ['goldpath.yaml:2: env.db: tiny-service lets you add environment variables only to service (extensible.env), not to "db"'],
  },
  {
    name: 'replacing a variable the path sets',
    extension: 'env:\n  service:\n    DATABASE_URL: postgres://elsewhere\n',
    expect: ['goldpath.yaml:3: env.service.DATABASE_URL: service\'s DATABASE_URL is set by tiny-service and cannot be replaced; add a variable of another name'],
  },
  {
    name: 'a placeholder typo, on its own line',
    extension: 'resources:\n  cache:\n    type: cache\nenv:\n  service:\n    A: plain\n    REDIS_URL: ${resources.cache.uri}\n',
    expect: ['goldpath.yaml:7: ${resources.cache.uri}: resource cache (cache) has no output uri; it has url, host, port, password'],
  },
  {
    name: 'a placeholder to a resource that does not exist',
    extension: 'env:\n  service:\n    REDIS_URL: ${resources.redis.url}\n',
    expect: ['goldpath.yaml:3: ${resources.redis.url}: there is no resource redis in this path; its resources are repo, db, service'],
  },
  {
    name: 'a placeholder to the platform\'s files',
    extension: 'resources:\n  cache:\n    type: cache\nenv:\n  service:\n    SKELETON: ${path.dir}\n',
    expect: ['goldpath.yaml:6: ${path.dir}: an extension cannot use ${path.…}: it names files of the platform, for the path\'s own resources'],
  },
  {
    name: 'an unknown field, on its line',
    extension: 'apiVersion: goldpath.dev/v1\nkind: Extension\nresource:\n  cache: { type: cache }\n',
    expect: ['goldpath.yaml:3: unknown field "resource"'],
  },
  {
    name: 'YAML that does not parse',
    extension: 'resources:\n  cache: { type: cache\n',
    expect: ['goldpath.yaml:3: not valid YAML: Flow map must end with a } but found nothing'],
  },
  {
    name: 'any extension of a locked data path',
    extension: 'resources:\n  cache:\n    type: cache\n',
    on: 'locked',
    expect: ['goldpath.yaml: locked-data is locked (extensible: false): data golden paths are not extended'],
  },
];

for (const row of table) {
  test(`refused, naming the rule and the line: ${row.name}`, () => {
    const got = refusals(row.extension, row.on === 'locked' ? load(locked) : path);
    if (row.name.startsWith('YAML')) assert.match(got[0], /^goldpath\.yaml:\d+: not valid YAML/);
    else assert.deepEqual(got, row.expect);
  });
}

test('merging leaves the path as it was and adds variables beside the path\'s own', () => {
  const ext = Extension.parse({ env: { service: { FEATURE: true } } });
  const merged = mergeExtension(path, ext);
  assert.deepEqual(merged.spec.resources.service.params.env, { DATABASE_URL: '${resources.db.url}', FEATURE: true });
  assert.equal(path.spec.resources.service.params.env && (path.spec.resources.service.params.env as Record<string, unknown>).FEATURE, undefined);
});
