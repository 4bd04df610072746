/**
 * A minimal Jupyter client: runs one cell in a fresh kernel through the REST API and the kernel's
 * channels websocket (messaging protocol v5). Used by tests to prove that a notebook really works.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export interface CellResult {
  status: 'ok' | 'error';
  stdout: string;
  stderr: string;
  /** text/plain of the execute_result, when the cell ends in an expression */
  result?: string;
  error?: { ename: string; evalue: string };
}

interface Message {
  header: { msg_id: string; msg_type: string };
  parent_header: { msg_id?: string };
  channel?: string;
  content: Record<string, unknown>;
}

function apiBase(baseUrl: string): URL {
  const u = new URL(baseUrl);
  u.search = ''; // the notebook's tree URL carries ?token=...; the token goes in a header instead
  u.hash = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/**
 * How a client proves itself: the notebook's own token (straight to the server), or headers, e.g.
 * `Authorization: Bearer <API token>` through the platform's front door.
 */
export type NotebookAuth = string | { headers: Record<string, string> };

const authHeaders = (auth: NotebookAuth): Record<string, string> => (typeof auth === 'string' ? { Authorization: `token ${auth}` } : auth.headers);

async function api(base: URL, token: NotebookAuth, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(new URL(path, base), {
    method,
    headers: { ...authHeaders(token), 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/**
 * Starts a kernel, executes `code`, collects its outputs until the kernel is idle again, and shuts
 * the kernel down (also on failure). `baseUrl` is the notebook's URL (a ?token=... on it is ignored),
 * or its stable URL through the front door with `{ headers: { Authorization: 'Bearer …' } }`.
 */
export async function runCell(baseUrl: string, token: NotebookAuth, code: string, opts: { timeoutMs?: number; kernelName?: string } = {}): Promise<CellResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const base = apiBase(baseUrl);
  const started = await api(base, token, 'POST', 'api/kernels', opts.kernelName ? { name: opts.kernelName } : {});
  if (started.status !== 201 && started.status !== 200) {
    throw new Error(`runCell: starting a kernel failed: HTTP ${started.status} ${(await started.text()).slice(0, 300)}`);
  }
  const { id } = (await started.json()) as { id: string };
  try {
    return await execute(base, token, id, code, timeoutMs);
  } finally {
    await api(base, token, 'DELETE', `api/kernels/${id}`).then((r) => r.body?.cancel(), () => {});
  }
}

function execute(base: URL, token: NotebookAuth, kernelId: string, code: string, timeoutMs: number): Promise<CellResult> {
  const session = randomUUID();
  const wsUrl = new URL(`api/kernels/${kernelId}/channels?session_id=${session}`, base);
  wsUrl.protocol = wsUrl.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(wsUrl, { headers: authHeaders(token) });
  const msgId = randomUUID();
  const out: CellResult = { status: 'ok', stdout: '', stderr: '' };
  let idle = false;
  let replied = false;

  return new Promise<CellResult>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`runCell: no result within ${timeoutMs} ms`)), timeoutMs);
    function finish(err?: Error): void {
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {}); // a late error on close must not crash the process
      ws.close();
      if (err) reject(err);
      else resolve(out);
    }

    ws.on('open', () => {
      ws.send(
        JSON.stringify({
          header: { msg_id: msgId, username: 'goldpath', session, date: new Date().toISOString(), msg_type: 'execute_request', version: '5.3' },
          parent_header: {},
          metadata: {},
          content: { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true },
          channel: 'shell',
          buffers: [],
        }),
      );
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // binary frames carry buffers of widgets etc., not text outputs
      let msg: Message;
      try {
        msg = JSON.parse(data.toString()) as Message;
      } catch {
        return;
      }
      if (msg.parent_header?.msg_id !== msgId) return;
      const c = msg.content;
      switch (msg.header.msg_type) {
        case 'stream':
          if (c.name === 'stderr') out.stderr += String(c.text);
          else out.stdout += String(c.text);
          break;
        case 'execute_result':
          out.result = String((c.data as Record<string, unknown> | undefined)?.['text/plain'] ?? '');
          break;
        case 'error':
          out.status = 'error';
          out.error = { ename: String(c.ename), evalue: String(c.evalue) };
          break;
        case 'execute_reply':
          replied = true;
          if (c.status !== 'ok') {
            out.status = 'error';
            out.error ??= { ename: String(c.ename ?? c.status), evalue: String(c.evalue ?? '') };
          }
          break;
        case 'status':
          if (c.execution_state === 'idle') idle = true;
          break;
      }
      // idle on iopub means every output has been sent; the reply carries the final status
      if (idle && replied) finish();
    });
    ws.on('error', (err) => finish(new Error(`runCell: kernel websocket failed: ${err.message}`)));
    ws.on('close', (code) => finish(new Error(`runCell: kernel websocket closed (code ${code}) before the cell finished`)));
  });
}
