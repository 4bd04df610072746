// A CSV the API answers, saved as a file by the browser. Fetched with the API token, since a plain
// link cannot carry it and the token must not go in a URL.
import { ApiError, session, type ApiErrorBody } from '../api/client.ts';

/** Fetches `path` as CSV and saves it under the name the API gives it (or `fallbackName`); returns that name. */
export async function downloadCsv(path: string, init: { method?: string; body?: unknown }, fallbackName: string): Promise<string> {
  const token = session.token();
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        Accept: 'text/csv',
        ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
  } catch {
    throw new ApiError(0, undefined, 'The platform did not answer. Is `goldpath up` still running?');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as ApiErrorBody | undefined;
    throw new ApiError(res.status, body, `The platform answered ${res.status}`);
  }
  const blob = await res.blob();
  const name = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has handed the blob to the browser's download; free it once that has started.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
