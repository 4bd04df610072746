import { EventStreamParser } from '../../infrastructure/server-sent-events/parser.ts';
import type { PlatformCall } from './tools.ts';

/** A refusal from the platform's API, as the tools read it (the CLI's ApiError has the same fields). */
export class ApiRefusal extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly details: { field: string; message: string }[] | undefined;
  constructor(status: number, code: string | undefined, message: string, details?: { field: string; message: string }[]) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * The platform's own API called in process, with the token of the MCP request: the same routes,
 * authentication, policy decisions and audit rows as a call over the network, without one.
 */
export class InProcessCall implements PlatformCall {
  readonly #fetch: (path: string, init: RequestInit) => Response | Promise<Response>;
  readonly #token: string;

  constructor(fetch: (path: string, init: RequestInit) => Response | Promise<Response>, token: string) {
    this.#fetch = fetch;
    this.#token = token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.#fetch(path, {
      method,
      headers: { accept: 'application/json', authorization: `Bearer ${this.#token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiRefusal(res.status, undefined, `the platform answered ${res.status} with something that is not JSON`);
    }
    if (!res.ok) {
      const err = (data as { error?: { code?: string; message?: string; details?: { field: string; message: string }[] } }).error;
      throw new ApiRefusal(res.status, err?.code, err?.message ?? `the platform answered ${res.status}`, err?.details);
    }
    return data as T;
  }

  /** Reads a server-sent-events route, calling onEvent for each until it returns true or the stream ends (as the CLI's client does). */
  async stream(path: string, onEvent: (event: string, data: unknown) => boolean | void): Promise<void> {
    const res = await this.#fetch(path, { headers: { accept: 'text/event-stream', authorization: `Bearer ${this.#token}` } });
    if (res.status !== 200 || !res.body) {
      const err = ((await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } }).error;
      throw new ApiRefusal(res.status, err?.code, err?.message ?? `could not follow progress (${res.status})`);
    }
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new EventStreamParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const { event, data } of parser.push(value)) if (onEvent(event, data)) return;
      }
    } finally {
      // Ends the route's stream (its follower unsubscribes), whether we stopped or it did.
      await reader.cancel().catch(() => {});
    }
  }
}
