/**
 * Each workspace's browser traffic is served from an origin of its own, on the platform's port:
 * `http://<resource>--<environment>.<workspace domain>:<port>`. Workspace pages run the tenant's
 * JavaScript; on an origin of their own the browser keeps them away from the portal's storage and
 * API, and from every other workspace's cookies (docs/front-door.md).
 */

export interface WorkspaceOrigins {
  /** The platform's own origin, e.g. http://127.0.0.1:7300 (the stable URLs live there). */
  platformOrigin: string;
  /** e.g. localhost (browsers resolve *.localhost to the loopback) or a wildcard DNS name. */
  domain: string;
}

export interface WorkspaceKey {
  environmentId: string;
  resourceId: string;
}

/** The default: `localhost` when the platform listens on the loopback; elsewhere a wildcard DNS name must be configured. */
export function workspaceDomainFor(host: string, configured: string | undefined): string {
  if (configured) return configured.replace(/^\.+|\.+$/g, '').toLowerCase();
  return 'localhost';
}

export function originOf(o: WorkspaceOrigins, key: WorkspaceKey): string {
  const u = new URL(o.platformOrigin);
  return `${u.protocol}//${key.resourceId}--${key.environmentId}.${o.domain}${u.port ? `:${u.port}` : ''}`;
}

const label = /^([a-z][a-z0-9-]*)--(e[a-z0-9]+)$/;

/** The workspace a Host header names, or null when it is the platform's own (or anything else). */
export function workspaceOfHost(o: WorkspaceOrigins, host: string | undefined): WorkspaceKey | null {
  if (!host) return null;
  const u = new URL(o.platformOrigin);
  const m = host.toLowerCase().match(/^([^:]+)(?::(\d+))?$/);
  if (!m) return null;
  const [, name, port] = m;
  if ((port ?? '') !== u.port) return null;
  const suffix = `.${o.domain}`;
  if (!name.endsWith(suffix)) return null;
  const first = name.slice(0, -suffix.length);
  // The environment id has no dash: the last `--` splits, whatever dashes the resource id holds.
  const i = first.lastIndexOf('--');
  if (i <= 0 || first.includes('.')) return null;
  const key = { resourceId: first.slice(0, i), environmentId: first.slice(i + 2) };
  return label.test(`${key.resourceId}--${key.environmentId}`) ? key : null;
}
