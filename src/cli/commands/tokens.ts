import { ApiError, CliError, type ApiClient } from '../client.ts';
import { clock, dim, table } from '../format.ts';
import { print, printJson } from '../output.ts';
import type { TokenView } from '../../domain/identity/token.ts';

export type TokenInfo = TokenView;

const unsupported = 'this server does not support token management yet (it has no /api/v1/tokens): upgrade the platform, or sign out in its portal';
const when = (iso: string | null) => (iso ? clock(iso) : '-');

/** Is the 404 about the endpoint (an older server) rather than the thing asked for? */
const noSuchEndpoint = (e: unknown) => e instanceof ApiError && e.status === 404 && /no such endpoint/.test(e.message);

/** `goldpath token`: the token this CLI uses, checked against the server first so a dead one is not handed out. */
export async function showToken(client: ApiClient, opts: { json?: boolean }): Promise<number> {
  const me = await client.request<{ id: string }>('GET', '/api/v1/me');
  if (opts.json) printJson({ user: me.id, token: client.token });
  else print(client.token!);
  return 0;
}

/** The rows of `goldpath token --list`, the current token marked with `*`. */
export function tokenTable(tokens: TokenInfo[]): string {
  return table(tokens.map((t) => ({
    id: `${t.current ? '*' : ' '} ${t.id}`, kind: t.kind, label: t.label,
    created: when(t.createdAt), expires: when(t.expiresAt), 'last used': when(t.lastUsedAt),
  })), ['id', 'kind', 'label', 'created', 'expires', 'last used']);
}

export async function listTokens(client: ApiClient, opts: { json?: boolean }): Promise<number> {
  let tokens: TokenInfo[];
  try {
    ({ tokens } = await client.request<{ tokens: TokenInfo[] }>('GET', '/api/v1/tokens'));
  } catch (e) {
    throw e instanceof ApiError && e.status === 404 ? new CliError(unsupported) : e;
  }
  if (opts.json) printJson({ tokens });
  else if (tokens.length === 0) print('you have no tokens that still work');
  else print(tokenTable(tokens) + '\n' + dim('* the token this command used; `goldpath token --revoke <id>` revokes one'));
  return 0;
}

export async function revokeToken(client: ApiClient, id: string, opts: { json?: boolean }): Promise<number> {
  // Read first: to say whether it was the one in use, and to tell an older server from an unknown id.
  let tokens: TokenInfo[];
  try {
    ({ tokens } = await client.request<{ tokens: TokenInfo[] }>('GET', '/api/v1/tokens'));
  } catch (e) {
    throw e instanceof ApiError && e.status === 404 ? new CliError(unsupported) : e;
  }
  const token = tokens.find((t) => t.id === id);
  try {
    await client.request('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`);
  } catch (e) {
    if (noSuchEndpoint(e)) throw new CliError(unsupported);
    if (e instanceof ApiError && e.status === 404) throw new CliError(`you have no token ${id}: \`goldpath token --list\` shows yours`);
    throw e;
  }
  const current = token?.current ?? false;
  if (opts.json) printJson({ revoked: id, current });
  else print(current ? `revoked ${id}: it was the token this CLI uses, which no longer works (\`goldpath up\` renews the local ones)` : `revoked ${id}: it no longer works`);
  return 0;
}

/** --list and --revoke are ways of the one `token` command; asking for both is a mistake worth naming. */
export async function token(client: ApiClient, opts: { list?: boolean; revoke?: string; json?: boolean }): Promise<number> {
  if (opts.list && opts.revoke !== undefined) throw new CliError('give either --list or --revoke <id>, not both');
  if (opts.list) return listTokens(client, opts);
  if (opts.revoke !== undefined) return revokeToken(client, opts.revoke, opts);
  return showToken(client, opts);
}
