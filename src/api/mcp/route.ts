import type pg from 'pg';
import { bearerToken, requireToken } from '../session-routes.ts';
import type { Api } from '../openapi.ts';
import { InProcessCall } from './in-process-call.ts';

/**
 * The SDK and the tools, loaded on the first /mcp request: importing them costs the platform's
 * start a few hundred milliseconds (more on a busy machine), and most platforms never serve MCP.
 */
let loaded: Promise<[typeof import('./tools.ts'), typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js')]> | undefined;
const load = () => (loaded ??= Promise.all([import('./tools.ts'), import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js')]));

const rpcError = (code: number, message: string) => ({ jsonrpc: '2.0' as const, error: { code, message }, id: null });

/**
 * The MCP server over streamable HTTP at /mcp, for the bearer token's user. Stateless: each POST
 * gets a server of its own and its answer as JSON, so any replica answers any request and nothing
 * lives in the process (DESIGN.md). The tools call the API's own routes in process with the same
 * token, so each call is authorised, validated and audited exactly as the REST route it mirrors.
 */
export function registerMcpRoute(app: Api, deps: { pool: pg.Pool; version: string }): void {
  app.use('/mcp', requireToken(deps.pool));
  app.all('/mcp', async (c) => {
    if (c.req.method !== 'POST') {
      // No server-initiated stream and no session to end: a stateless server answers POSTs only.
      return c.json(rpcError(-32000, `${c.req.method} is not supported here: this MCP endpoint is stateless, POST JSON-RPC messages to it`), 405, { allow: 'POST' });
    }
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(rpcError(-32700, 'Parse error: the request body is not valid JSON'), 400);
    }
    const [{ createMcpServer }, { WebStandardStreamableHTTPServerTransport }] = await load();
    const call = new InProcessCall((path, init) => app.request(path, init), bearerToken(c)!);
    const server = createMcpServer(call, deps.version);
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw, { parsedBody: body });
    } finally {
      await server.close();
    }
  });
}
