import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OidcSettings } from '../engine/identity/oidc.ts';

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
  /** The built portal to serve; the shipped one when unset. */
  portalDir?: string;
  warehouseScale: number;
  /** The warehouse's data policy (classification, masking, owners); default: the repository's warehouse/policy.yaml. */
  warehousePolicy?: string;
  /** The statement time of each warehouse grant; default the warehouse's own (5 minutes). */
  warehouseStatementTimeoutMs?: number;
  /** The local organisation: teams, people, roles (default <data-dir>/organisation.yaml). */
  organisationFile: string;
  /** Sign-in through an OpenID Connect provider, when GOLDPATH_OIDC_ISSUER is set. */
  oidc?: OidcSettings;
  /**
   * Notebook servers kept warm for any launch (GOLDPATH_WARM_NOTEBOOKS; 0 turns the pool off);
   * unset, each golden path's `warm:` says how many it keeps for its own launches.
   */
  warmNotebooks: number | undefined;
}

/** GOLDPATH_WARM_NOTEBOOKS: each warm server holds ~60 MB and a uid until a launch takes it. */
function warmNotebooks(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 100) throw new Error(`GOLDPATH_WARM_NOTEBOOKS "${value}" must be a whole number from 0 (none kept warm) to 100`);
  return n;
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
    // Another build of the portal (a developer's, or one per test run) can be served instead of the shipped one.
    portalDir: process.env.GOLDPATH_PORTAL_DIR ? resolve(process.env.GOLDPATH_PORTAL_DIR) : undefined,
    warehouseScale: options.scale ?? (Number(process.env.GOLDPATH_WAREHOUSE_SCALE) || 1),
    warehousePolicy: process.env.GOLDPATH_WAREHOUSE_POLICY || undefined,
    warehouseStatementTimeoutMs: Number(process.env.GOLDPATH_WAREHOUSE_STATEMENT_TIMEOUT_MS) || undefined,
    organisationFile: resolve(process.env.GOLDPATH_ORGANISATION_FILE || join(home, 'organisation.yaml')),
    oidc: oidcFromEnvironment(`http://${options.host ?? '127.0.0.1'}:${port}`),
    warmNotebooks: warmNotebooks(process.env.GOLDPATH_WARM_NOTEBOOKS),
  };
}

/** The OIDC settings from GOLDPATH_OIDC_*; none without an issuer. A half-given setting is an error, not a silent local-only start. */
export function oidcFromEnvironment(publicUrl: string, env: NodeJS.ProcessEnv = process.env): OidcSettings | undefined {
  const issuer = env.GOLDPATH_OIDC_ISSUER;
  if (!issuer) {
    if (env.GOLDPATH_OIDC_CLIENT_ID) throw new Error('GOLDPATH_OIDC_CLIENT_ID is set but GOLDPATH_OIDC_ISSUER is not: set the issuer URL of your identity provider too');
    return undefined;
  }
  if (!env.GOLDPATH_OIDC_CLIENT_ID) throw new Error('GOLDPATH_OIDC_ISSUER is set but GOLDPATH_OIDC_CLIENT_ID is not: set the client id registered at your identity provider');
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new Error(`GOLDPATH_OIDC_ISSUER "${issuer}" is not a URL: give the issuer, e.g. https://accounts.google.com`);
  }
  // Plain http only to this machine (a provider started for tests or a trial); anything else would send codes in clear.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))) {
    throw new Error(`GOLDPATH_OIDC_ISSUER "${issuer}" must be https (plain http only for a provider on this machine)`);
  }
  return {
    issuer,
    clientId: env.GOLDPATH_OIDC_CLIENT_ID,
    clientSecret: env.GOLDPATH_OIDC_CLIENT_SECRET || undefined,
    groupsClaim: env.GOLDPATH_OIDC_GROUPS_CLAIM || 'groups',
    adminGroup: env.GOLDPATH_OIDC_ADMIN_GROUP || 'goldpath-admins',
    displayName: env.GOLDPATH_OIDC_NAME || 'single sign-on',
    redirectUri: env.GOLDPATH_OIDC_REDIRECT_URI || `${publicUrl.replace(/\/$/, '')}/api/v1/auth/oidc/callback`,
  };
}

/** API tokens of the local users, for the CLI on this machine (file readable by its owner only). */
export interface LocalCredentials {
  server: string;
  defaultUser: string;
  tokens: Record<string, string>;
  /** Only in installs from before individual passwords, when every local account shared this one; replaced at the next start. */
  demoPassword?: string;
}

export const credentialsFile = (home: string): string => join(home, 'credentials.json');
/** The local accounts' own passwords, for the operator to hand out (mode 0600). */
export const localAccountsFile = (home: string): string => join(home, 'local-accounts.txt');

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
