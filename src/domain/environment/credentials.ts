import type { EnvironmentView } from './schema.ts';

/** Output names that are credentials themselves, whatever the driver. */
const secretName = /(password|secret|token|privatekey|secretaccesskey|apikey)$/i;
export const HIDDEN = '(hidden: only those allowed to read this environment\'s credentials see it)';

/** A URL without what opens it: the password of its user part and any token in its query. */
function scrubUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (!url.password && ![...url.searchParams.keys()].some((k) => secretName.test(k))) return value;
  if (url.password) url.password = '';
  for (const k of [...url.searchParams.keys()]) if (secretName.test(k)) url.searchParams.delete(k);
  return url.toString();
}

/**
 * The environment as someone who may see it but not use its credentials sees it: secrets hidden,
 * URLs kept (without their password or token) so the page still says what exists and where.
 */
export function withoutCredentials(env: EnvironmentView): EnvironmentView {
  return {
    ...env,
    credentialsHidden: true,
    resources: env.resources.map((r) => ({
      ...r,
      outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, secretName.test(k) ? HIDDEN : typeof v === 'string' ? scrubUrl(v) : v])),
    })),
  };
}
