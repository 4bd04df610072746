import type { ApiClient } from '../client.ts';

/**
 * `goldpath mcp`: the platform's MCP server over stdio, for an MCP client that starts it (Claude
 * Desktop, VS Code, …). The tools call the platform's HTTP API with this user's token, like every
 * other command. The SDK is loaded here only, so other commands start as fast as before. Nothing
 * but MCP messages goes to stdout; the one line for people goes to stderr.
 */
export async function serveMcp(client: ApiClient, version: string): Promise<number> {
  const [{ createMcpServer }, { StdioServerTransport }] = await Promise.all([
    import('../../api/mcp/tools.ts'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const server = createMcpServer(client, version);
  const done = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  // The client ends the session by closing our stdin.
  process.stdin.once('end', () => void server.close());
  process.stderr.write(`goldpath MCP server on stdio, acting for the token's user at ${client.server}\n`);
  await done;
  return 0;
}
