import { readFileSync, statSync } from 'node:fs';
import type { GoldenPath } from '../../domain/golden-path/schema.ts';
import { DEFAULT_CONNECTION_LIMIT } from '../../infrastructure/warehouse/access.ts';
import type { Queryable } from '../audit/log.ts';
import { PlatformError } from '../errors.ts';
import { formatFileError, governanceFileIn, parseYamlWithSchema, type FileError } from '../tools/yaml-schema.ts';
import { QuotaFile, quotaNames, type Limits, type QuotaName, type Usage } from './schema.ts';
import { storageBytes, type StorageDirs } from './storage.ts';

export type { Limits, Usage, QuotaName };

/** Thrown when quotas.yaml cannot be used, with its lines; a launch is refused rather than let through unchecked. */
export class QuotaFileError extends Error {
  readonly errors: FileError[];
  constructor(errors: FileError[]) {
    super(`the quota file has ${errors.length} error${errors.length > 1 ? 's' : ''}:\n${errors.map(formatFileError).join('\n')}`);
    this.errors = errors;
  }
}

export function parseQuotaFile(text: string, file: string): { quotas: QuotaFile } | { errors: FileError[] } {
  const parsed = parseYamlWithSchema(QuotaFile, text, file);
  return 'errors' in parsed ? parsed : { quotas: parsed.value };
}

/** Each quota's usage: in the units of its limit. */
const units: Record<QuotaName, [string, string]> = {
  runningEnvironments: ['environment', 'environments'],
  notebooks: ['notebook', 'notebooks'],
  warehouseConnections: ['warehouse connection', 'warehouse connections'],
  storageMb: ['MB of storage', 'MB of storage'],
};

/**
 * The teams' quotas: limits from quotas.yaml in the policy folders (the last folder that has one;
 * read again when it changes) and usage measured from the platform's state and, for storage, the disk.
 */
export class TeamQuotas {
  readonly policyDirs: readonly string[];
  readonly storage?: StorageDirs;
  #cache?: { file: string; mtimeMs: number; size: number; quotas: QuotaFile };
  /** Storage measured recently, per team: a burst of launches pays for one `du`, not one each under the team's lock. */
  #storage = new Map<string, { at: number; bytes: number }>();
  static readonly storageFreshMs = 10_000;

  /** Without `storage` (no local target), storage counts as 0 MB in use. */
  constructor(opts: { policyDirs: readonly string[]; storage?: StorageDirs }) {
    this.policyDirs = opts.policyDirs;
    this.storage = opts.storage;
  }

  get file(): string {
    return governanceFileIn(this.policyDirs, 'quotas.yaml');
  }

  #read(): QuotaFile {
    const file = this.file;
    let stat;
    try {
      stat = statSync(file);
    } catch (e) {
      throw new QuotaFileError([{ file, line: null, field: null, message: `cannot be read (${(e as NodeJS.ErrnoException).code}); it sets what each team may hold at once` }]);
    }
    const hit = this.#cache;
    if (hit && hit.file === file && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.quotas;
    const parsed = parseQuotaFile(readFileSync(file, 'utf8'), file);
    if ('errors' in parsed) throw new QuotaFileError(parsed.errors);
    this.#cache = { file, mtimeMs: stat.mtimeMs, size: stat.size, quotas: parsed.quotas };
    return parsed.quotas;
  }

  async #storageOf(team: string, repos: string[], buckets: string[]): Promise<number> {
    const seen = this.#storage.get(team);
    if (seen && Date.now() - seen.at < TeamQuotas.storageFreshMs) return seen.bytes;
    const bytes = await storageBytes(this.storage!, { repos, buckets });
    this.#storage.set(team, { at: Date.now(), bytes });
    return bytes;
  }

  /** Throws QuotaFileError with lines: the platform checks the file at start. */
  validate(): void {
    this.#read();
  }

  limits(team: string): Limits {
    const q = this.#read();
    return { ...q.defaults, ...q.teams[team] };
  }

  async usage(db: Queryable, team: string): Promise<Usage> {
    // Running: the owner wants it ready and it has not ended (awaiting approval counts: it will run).
    // Warehouse grants and storage last until the environment is deleted, stopped or not.
    const { rows } = await db.query<{ running: string; notebooks: string; grants: string; repos: string[]; buckets: string[] }>(
      `SELECT count(DISTINCT e.id) FILTER (WHERE e.desired = 'ready' AND e.status NOT IN ('deleted', 'failed')) AS running,
              count(r.id) FILTER (WHERE r.type = 'notebook' AND e.desired = 'ready' AND e.status NOT IN ('deleted', 'failed') AND r.status <> 'deleted') AS notebooks,
              count(r.id) FILTER (WHERE r.type = 'warehouse' AND r.status NOT IN ('deleted', 'failed')) AS grants,
              coalesce(array_agg(r.state->>'repo') FILTER (WHERE r.type = 'git-repo' AND r.state ? 'repo'), '{}') AS repos,
              coalesce(array_agg(r.state->>'bucket') FILTER (WHERE r.type = 'bucket' AND r.state ? 'bucket'), '{}') AS buckets
         FROM environments e LEFT JOIN resources r ON r.environment_id = e.id
        WHERE e.team_id = $1 AND e.status NOT IN ('deleted', 'failed')`,
      [team],
    );
    const row = rows[0];
    const bytes = this.storage ? await this.#storageOf(team, row.repos, row.buckets) : 0;
    return {
      runningEnvironments: Number(row.running),
      notebooks: Number(row.notebooks),
      warehouseConnections: Number(row.grants) * DEFAULT_CONNECTION_LIMIT,
      storageMb: Math.ceil(bytes / (1024 * 1024)),
    };
  }
}

/** What launching `path` adds to each quota's usage. Storage grows after the launch; it is checked as it stands. */
export function launchNeeds(path: GoldenPath): Usage {
  const types = Object.values(path.spec.resources).map((r) => r.type);
  return {
    runningEnvironments: 1,
    notebooks: types.filter((t) => t === 'notebook').length,
    warehouseConnections: types.filter((t) => t === 'warehouse').length * DEFAULT_CONNECTION_LIMIT,
    storageMb: 0,
  };
}

const amount = (name: QuotaName, n: number) => `${n} ${units[name][n === 1 ? 0 : 1]}`;

const verbs: Record<QuotaName, string> = { runningEnvironments: 'runs', notebooks: 'runs', warehouseConnections: 'is granted', storageMb: 'stores' };

const advice: Record<QuotaName, string> = {
  runningEnvironments: 'stop or delete one',
  notebooks: 'stop or delete an environment with a notebook',
  warehouseConnections: 'delete an environment with a warehouse grant',
  storageMb: 'delete an environment or large files from its repository or bucket',
};

/**
 * Refuses a launch that would take the team over any of its quotas (409 quota_exceeded), naming
 * the limit, what is in use and what to do. Called by launch in its transaction, before the environment is written.
 */
export async function checkQuota(db: Queryable, request: { team: string; path: GoldenPath }, quotas: TeamQuotas): Promise<{ limits: Limits; usage: Usage }> {
  const limits = quotas.limits(request.team);
  // Inside the launch's transaction, two launches of one team take turns from here to the commit,
  // so both cannot see the last free place. Outside one, the lock ends with the statement.
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('goldpath.quota'), hashtext($1))`, [request.team]);
  const usage = await quotas.usage(db, request.team);
  const needs = launchNeeds(request.path);
  for (const name of quotaNames) {
    const over = name === 'storageMb' ? usage[name] >= limits[name] : needs[name] > 0 && usage[name] + needs[name] > limits[name];
    if (!over) continue;
    const wants = name !== 'runningEnvironments' && needs[name] > 0 ? `; ${request.path.metadata.name} needs ${amount(name, needs[name])} more` : '';
    throw new PlatformError(409, 'quota_exceeded',
      `team ${request.team} ${verbs[name]} ${usage[name]} of its ${amount(name, limits[name])} (quota ${name})${wants}; ${advice[name]}, or ask a platform admin to raise it in quotas.yaml`);
  }
  return { limits, usage };
}
