import { clientHost } from './notebook.ts';

/**
 * When a notebook server was last used: Jupyter's own `last_activity` from `/api/status`, the
 * latest of its API requests, kernel messages and terminal input. Asking for the status is not
 * itself activity (the status handler does not track it), so measuring never keeps a notebook alive.
 * Null when the server does not answer (stopped, starting, or not ours): the caller then knows nothing.
 */
export async function notebookLastActivity(port: number, token: string, host = '127.0.0.1', timeoutMs = 2000): Promise<Date | null> {
  try {
    const res = await fetch(`http://${clientHost(host)}:${port}/api/status`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return null;
    }
    const body = (await res.json()) as { last_activity?: unknown };
    if (typeof body.last_activity !== 'string') return null;
    const at = new Date(body.last_activity);
    return Number.isNaN(at.getTime()) ? null : at;
  } catch {
    return null;
  }
}
