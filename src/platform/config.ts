import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the platform keeps its data, and on which ports it answers. */
export interface PlatformConfig {
  home: string;
  host: string;
  port: number;
  s3Port: number;
  /** External PostgreSQL for the platform's state; unset = embedded. */
  databaseUrl?: string;
  /** Extra folders of golden paths (the organisation's own). */
  pathDirs: string[];
  /** catalog-info.yaml files registered at start (source `file:catalog-dir`). */
  catalogDir: string;
  warehouseScale: number;
  /** The warehouse's data policy (classification, masking, owners); default: the repository's warehouse/policy.yaml. */
  warehousePolicy?: string;
  /** The statement time of each warehouse grant; default the warehouse's own (5 minutes). */
  warehouseStatementTimeoutMs?: number;
}

export function resolveHome(dataDir?: string): string {
  return resolve(dataDir ?? process.env.GOLDPATH_HOME ?? '.goldpath');
}

export const defaultPort = 7300;

export function platformConfig(options: { dataDir?: string; port?: number; host?: string; pathsDir?: string; scale?: number }): PlatformConfig {
  const home = resolveHome(options.dataDir);
  const port = options.port ?? (Number(process.env.GOLDPATH_PORT) || defaultPort);
  const orgPaths = options.pathsDir ?? process.env.GOLDPATH_PATHS_DIR ?? join(home, 'paths');
  return {
    home,
    host: options.host ?? '127.0.0.1',
    port,
    s3Port: Number(process.env.GOLDPATH_S3_PORT) || port + 1,
    databaseUrl: process.env.DATABASE_URL || undefined,
    pathDirs: [orgPaths],
    catalogDir: process.env.GOLDPATH_CATALOG_DIR ?? join(home, 'catalog'),
    warehouseScale: options.scale ?? (Number(process.env.GOLDPATH_WAREHOUSE_SCALE) || 1),
    warehousePolicy: process.env.GOLDPATH_WAREHOUSE_POLICY || undefined,
    warehouseStatementTimeoutMs: Number(process.env.GOLDPATH_WAREHOUSE_STATEMENT_TIMEOUT_MS) || undefined,
  };
}

/** API tokens of the local users, for the CLI on this machine (file readable by its owner only). */
export interface LocalCredentials {
  server: string;
  defaultUser: string;
  tokens: Record<string, string>;
  /** The password of the demo organisation's local accounts, for the portal's sign-in. */
  demoPassword?: string;
}

export const credentialsFile = (home: string): string => join(home, 'credentials.json');

export function readCredentials(home: string): LocalCredentials | null {
  try {
    return JSON.parse(readFileSync(credentialsFile(home), 'utf8')) as LocalCredentials;
  } catch {
    return null;
  }
}

export function writeCredentials(home: string, creds: LocalCredentials): void {
  writeFileSync(credentialsFile(home), JSON.stringify(creds, null, 2), { mode: 0o600 });
}
